import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DrainWriter } from "../../../engine/run/drain-writer.js";

/** A stream that never drains until told to fail, like a pipe whose reader stopped reading, then went away. */
function stuckStream(): Writable & { fail: (code: string) => void } {
  let pending: ((error?: Error) => void) | undefined;
  const stream = new Writable({
    highWaterMark: 4,
    write(_chunk, _enc, callback) {
      pending = callback;
    },
  });
  return Object.assign(stream, {
    fail: (code: string) => pending?.(Object.assign(new Error(code), { code })),
  });
}

describe("DrainWriter", () => {
  it("ends the wait when the stream fails (EPIPE) instead of waiting for a drain that never comes, and drops later writes", async () => {
    const stream = stuckStream();
    const writer = new DrainWriter(stream);
    writer.write("more than four bytes");
    const wait = writer.drained;
    expect(wait).toBeInstanceOf(Promise);
    stream.fail("EPIPE");
    await wait;
    expect(writer.drained).toBeUndefined();
    expect(writer.error).toMatchObject({ code: "EPIPE" });
    writer.write("dropped");
    expect(writer.drained).toBeUndefined();
  });
});
