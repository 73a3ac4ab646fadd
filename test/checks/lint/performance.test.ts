import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { tempDir } from "../../helpers/temp.js";
import { generateRunbook } from "../../fixtures/lint/generate-runbook.js";

/**
 * `runbook lint` (node start, parse, rules, bash -n) on generated runbooks of
 * 10 and 10,000 steps: clean, and whole. Their times are printed for the
 * record; the budget (10 steps < 0.4 s, 10,000 steps < 5 s) is held by
 * `npm run bench` (bench/figures/lint.ts), not by a wall-clock bound that a
 * loaded machine breaks. shellcheck is left out here: it needs 1 to 2 ms of
 * CPU per block on its own (about 27 s more for this 10,000-step runbook on
 * two cores).
 */
describe("lint at size", () => {
  async function time(steps: number): Promise<void> {
    const dir = tempDir();
    writeFileSync(path.join(dir, "big.md"), generateRunbook(steps));
    const started = performance.now();
    const result = await cli(
      ["lint", "big.md", "--no-shellcheck", "--format", "json"],
      { cwd: dir, timeoutMs: 280_000 },
    );
    const ms = performance.now() - started;
    expect(result.stderr).toBe("");
    expect(
      JSON.parse(result.stdout).filter(
        (d: { severity: string }) => d.severity === "error",
      ),
    ).toEqual([]);
    expect(result.code).toBe(0);
    console.log(
      `runbook lint --no-shellcheck, ${steps} steps: ${Math.round(ms)} ms`,
    );
  }

  it("lints a 10-step runbook", async () => {
    await time(10);
  });

  // Time enough for a loaded two-core machine (about 14 s on an idle one): a hang still fails.
  it("lints a 10,000-step runbook", async () => {
    await time(10_000);
  }, 300_000);
});
