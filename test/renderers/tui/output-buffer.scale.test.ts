import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { OutputBuffer } from "../../../renderers/tui/output-buffer.js";

// Scale (the `scale` project, in `npm test`, not `test:fast`): 135 MB through the buffer, with the heap measured.

v8.setFlagsFromString("--expose-gc");
/** A full collection, so heap sizes mean what is really kept. */
const gc = vm.runInNewContext("gc") as () => void;

describe("OutputBuffer at scale", () => {
  it("stays small however much a step prints (135 MB of base64)", () => {
    const line = `${"QUFB".repeat(19)}\n`;
    const chunk = line.repeat(Math.floor(65536 / line.length));
    const b = new OutputBuffer();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let sent = 0;
    for (let i = 0; sent < 135e6; i++) {
      // Shift the chunk boundary so lines straddle chunks, as pipes deliver them.
      const cut = i % 50;
      b.push("stdout", chunk.slice(cut) + chunk.slice(0, cut));
      sent += chunk.length;
      if (i % 100 === 0) b.tail(200);
    }
    expect(b.length).toBe(500);
    expect(b.totalLines).toBeGreaterThan(1_700_000);
    expect(b.totalBytes).toBe(sent);
    // Memory is the promise (SPEC 4: bounded however much a step prints); the time is `npm run bench`'s.
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(8e6);
  });

  it("a kept line does not keep its (large) chunk alive", () => {
    const b = new OutputBuffer({ capacity: 400 });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++)
      b.push(
        "stdout",
        `${String(i).repeat(60_000).slice(0, 60_000)}\nshort line ${i} with some more text\n`,
      );
    gc();
    // 200 chunks of 60 kB would be 12 MB; the ring holds 200 cut long lines and 200 short ones.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(3e6);
    expect(b.tail(2).map((l) => l.text)).toEqual([
      "199".repeat(667).slice(0, 2000),
      "short line 199 with some more text",
    ]);
  });
});
