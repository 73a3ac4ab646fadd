import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { LogPager } from "../../../renderers/tui/log-pager.js";

function file(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-log-pager-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, "step.log");
  writeFileSync(f, text);
  return f;
}

describe("LogPager: a step’s log read a page at a time", () => {
  it("counts lines and reads any page, an unfinished last line included", () => {
    const f = file(
      `${Array.from({ length: 1000 }, (_, i) => `line ${i}`).join("\n")}\ntail without newline`,
    );
    const p = new LogPager(f, { every: 64 });
    expect(p.index()).toBe(true);
    expect(p.lines).toBe(1001);
    expect(p.read(0, 2).map((l) => l.text)).toEqual(["line 0", "line 1"]);
    expect(p.read(500, 3).map((l) => [l.n, l.text])).toEqual([
      [500, "line 500"],
      [501, "line 501"],
      [502, "line 502"],
    ]);
    expect(p.tail(2).map((l) => l.text)).toEqual([
      "line 999",
      "tail without newline",
    ]);
    expect(p.read(2000, 5)).toEqual([]);
  });

  it("cuts a very long line and says how much", () => {
    const f = file(`short\n${"y".repeat(100_000)}\nafter\n`);
    const p = new LogPager(f, { maxLineLength: 100, chunkBytes: 4096 });
    p.index();
    const [long] = p.read(1, 1);
    expect(long?.text).toBe("y".repeat(100));
    expect(long?.cut).toBe(99_900);
    expect(p.read(2, 1)[0]?.text).toBe("after");
  });

  it("indexes a growing log from where it stopped, a slice at a time", () => {
    const f = file("a\nb\n");
    const p = new LogPager(f, { chunkBytes: 1024 });
    p.index();
    expect(p.lines).toBe(2);
    appendFileSync(f, `${"c\n".repeat(10_000)}`);
    expect(p.index(4096)).toBe(false);
    expect(p.caughtUp).toBe(false);
    while (!p.index(4096));
    expect(p.lines).toBe(10_002);
    expect(p.tail(1)[0]?.text).toBe("c");
  });

  it("a missing log is no error: the step printed nothing", () => {
    const p = new LogPager(
      path.join(os.tmpdir(), "runbook-no-such-dir", "x.log"),
    );
    p.index();
    expect(p.missing).toBe(true);
    expect(p.lines).toBe(0);
    expect(p.read(0, 10)).toEqual([]);
  });
});
