import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { LogPager } from "../../../renderers/tui/log-pager.js";

// Scale (the `scale` project, in `npm test`, not `test:fast`): a 50 MB log.

function file(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-log-pager-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, "step.log");
  writeFileSync(f, text);
  return f;
}

describe("LogPager: a big log read a page at a time", () => {
  it("reads a page of a 50 MB log without reading the log", () => {
    const line = `${"z".repeat(99)}\n`;
    const f = file(line.repeat(500_000));
    const p = new LogPager(f);
    while (!p.index());
    expect(p.lines).toBe(500_000);
    const before = process.memoryUsage().heapUsed;
    const page = p.read(250_000, 40);
    expect(page).toHaveLength(40);
    expect(page[0]?.n).toBe(250_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(5_000_000);
  });
});
