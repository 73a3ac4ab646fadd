import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/** A check that waits until a background writer says the replica caught up (a few tries later). */
const WAIT = `# Wait

## Wait for the replica

\`\`\`sh
echo "42 bytes behind" > lag
( for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -e go ] && break; sleep 0.1; done; echo "0 bytes behind" > lag ) > /dev/null 2>&1 &
\`\`\`

::check{sh="cat lag; touch go" expect="0 bytes behind" wait=30s every=100ms}
`;

describe("a waiting check through the line reporters (SPEC 1.4: the last value it got)", () => {
  it("--reporter json: check-progress with the last value and tries, then a check-end with expected and actual; step-start names the log", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "wait.md"), WAIT);
    const r = await cli(["run", "wait.md", "--yes", "--reporter", "json"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const progress = events.filter((e) => e["type"] === "check-progress");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({
      stepId: "wait-for-the-replica",
      index: 0,
      attempts: 1,
      actual: "42 bytes behind",
      message: 'expected "0 bytes behind", got "42 bytes behind"',
    });
    const end = events.find((e) => e["type"] === "check-end") as
      { outcome: Record<string, unknown> } | undefined;
    expect(end?.outcome).toMatchObject({
      kind: "pass",
      expected: "0 bytes behind",
      actual: "0 bytes behind",
    });
    const start = events.find((e) => e["type"] === "step-start");
    expect(start?.["log"]).toMatch(
      /\/\.runbook\/runs\/\d{8}-\d{6}-[0-9a-f]{6}\/output\/wait-for-the-replica\.log$/,
    );
  });

  it("plain: a line with the value it last got, and the passing check with both values", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "wait.md"), WAIT);
    const r = await cli(["run", "wait.md", "--yes"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^ {2}… check 1 waiting: last got "42 bytes behind" \(try 1, [\d.]+m?s\)$/m,
    );
    expect(r.stdout).toMatch(
      /^ {2}✓ check 1: got "0 bytes behind" \(expected 0 bytes behind · actual 0 bytes behind\) after \d+ tries$/m,
    );
  });
});
