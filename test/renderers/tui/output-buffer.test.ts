import { describe, expect, it } from "vitest";
import { OutputBuffer } from "../../../renderers/tui/output-buffer.js";

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

  it("clear() forgets everything", () => {
    const b = new OutputBuffer();
    b.push("stdout", "a\nb");
    b.clear();
    expect(b.tail()).toEqual([]);
    expect(b.totalLines).toBe(0);
    expect(b.totalBytes).toBe(0);
  });
});
