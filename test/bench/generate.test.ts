import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bigOutputRunbook,
  generateRunbook,
  trivialRunbook,
} from "../../bench/generate.js";
import { parseRunbook, validateRunbook } from "../../engine/parse/index.js";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

describe("the bench generators", () => {
  it("generate a valid runbook with prose, code and checks in every step", () => {
    const { runbook, diagnostics } = parseRunbook(
      generateRunbook({ steps: 50 }),
      { file: "generated.md" },
    );
    expect(
      [...diagnostics, ...validateRunbook(runbook)].filter(
        (d) => d.severity === "error",
      ),
    ).toEqual([]);
    expect(runbook.steps).toHaveLength(50);
    expect(
      runbook.steps.every(
        (s) => s.actions.length === 2 && s.checks.length >= 1,
      ),
    ).toBe(true);
    expect(
      runbook.steps.filter((s) => s.checks.some((c) => c.expectation.table)),
    ).toHaveLength(10);
    expect(
      runbook.sections[1]?.tree.children.some((n) => n.type === "list"),
    ).toBe(true);
    expect(
      parseRunbook(trivialRunbook(3), { file: "t.md" }).runbook.steps,
    ).toHaveLength(3);
  });

  it("make a step whose output is journaled in full (scaled down to 1 MB)", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "big.md"), bigOutputRunbook(1_000_000));
    const r = await cli(["run", "big.md", "--yes", "--state-dir", "state"], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("  | "));
    expect(lines.length).toBe(Math.ceil((Math.ceil(1_000_000 / 3) * 4) / 76));
    const { readdirSync } = await import("node:fs");
    const run = readdirSync(path.join(dir, "state", "runs"))[0] ?? "";
    const log = readFileSync(
      path.join(dir, "state", "runs", run, "output", "print-a-lot.log"),
      "utf8",
    );
    expect(
      log
        .split("\n")
        .filter((l) => /^A+=*$/.test(l))
        .join("").length,
    ).toBe(Math.ceil(1_000_000 / 3) * 4);
  });
});
