import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { OutputBuffer } from "../../../renderers/tui/output-buffer.js";

v8.setFlagsFromString("--expose-gc");
/** A full collection, so heap sizes mean what is really kept. */
const gc = vm.runInNewContext("gc") as () => void;

const texts = (b: OutputBuffer, n?: number): string[] =>
  b.tail(n).map((l) => l.text);

describe("OutputBuffer", () => {
  it("keeps lines split across chunks, and an unfinished last line", () => {
    const b = new OutputBuffer();
    b.push("stdout", "hel");
    b.push("stdout", "lo\nwor");
    expect(texts(b)).toEqual(["hello", "wor"]);
    b.push("stdout", "ld\n");
    expect(texts(b)).toEqual(["hello", "world"]);
    expect(b.totalLines).toBe(2);
    expect(b.totalBytes).toBe(12);
  });

  it("ends a line when the stream changes, and remembers each line’s stream", () => {
    const b = new OutputBuffer();
    b.push("stdout", "out without newline");
    b.push("stderr", "err\n");
    expect(b.tail().map((l) => [l.stream, l.text])).toEqual([
      ["stdout", "out without newline"],
      ["stderr", "err"],
    ]);
  });

  it("keeps only the last `capacity` lines, counting all of them", () => {
    const b = new OutputBuffer({ capacity: 5 });
    for (let i = 1; i <= 12; i++) b.push("stdout", `line ${i}\n`);
    expect(texts(b)).toEqual([
      "line 8",
      "line 9",
      "line 10",
      "line 11",
      "line 12",
    ]);
    expect(b.totalLines).toBe(12);
    expect(texts(b, 2)).toEqual(["line 11", "line 12"]);
  });

  it("a chunk with more lines than the ring is counted, and only its last lines are kept", () => {
    const b = new OutputBuffer({ capacity: 3 });
    b.push("stdout", "partial start of line 0 ");
    b.push(
      "stdout",
      `${Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n")}\ntail`,
    );
    expect(texts(b, 4)).toEqual(["line 8", "line 9", "line 10", "tail"]);
    expect(b.totalLines).toBe(10);
    b.push("stdout", " end\nnext\n");
    expect(texts(b)).toEqual(["line 10", "tail end", "next"]);
    expect(b.totalLines).toBe(12);
  });

  it("cuts a very long line and says how much was cut", () => {
    const b = new OutputBuffer({ maxLineLength: 20 });
    b.push("stdout", "a".repeat(15));
    b.push("stdout", `${"b".repeat(30)}\n`);
    const [line] = b.tail();
    expect(line?.text).toBe(`${"a".repeat(15)}${"b".repeat(5)}`);
    expect(line?.cut).toBe(25);
  });

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

  it("clear() forgets everything", () => {
    const b = new OutputBuffer();
    b.push("stdout", "a\nb");
    b.clear();
    expect(b.tail()).toEqual([]);
    expect(b.totalLines).toBe(0);
    expect(b.totalBytes).toBe(0);
  });
});
