import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/**
 * docs/adopting.md shows commands and the output they printed: this runs each
 * command again and compares, so that the guide cannot drift from what
 * runbook does. Values that differ between runs (run ids, ports, durations,
 * sentinel tokens) are masked on both sides.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const GUIDE = readFileSync(path.join(ROOT, "docs", "adopting.md"), "utf8");
const ORIGINAL = path.join(
  ROOT,
  "test/fixtures/corpus/python-discord_infra/docs/docs/runbooks/upgrading-postgresql.md",
);
const EXAMPLE = "examples/adopted-upgrading-postgresql.md";

/** The output the guide shows under `$ <command>`, in its ````text block. */
function shown(command: string): string {
  const start = GUIDE.indexOf(`\`\`\`\`text\n$ ${command}\n`);
  if (start < 0)
    throw new Error(`docs/adopting.md shows no output of "${command}"`);
  const from = start + `\`\`\`\`text\n$ ${command}\n`.length;
  return GUIDE.slice(from, GUIDE.indexOf("\n````", from) + 1);
}

function masked(text: string): string {
  return text
    .replace(/run \d{8}-\d{6}-[0-9a-f]+/g, "run RUN-ID")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/rb-last_write-[\w-]+/g, "TOKEN")
    .replace(/ \d+(?:\.\d+)?m?s\b/g, " DURATION")
    .replace(/\(\d+(?:\.\d+)?m?s\)/g, "(DURATION)");
}

describe("docs/adopting.md", () => {
  it("shows what lint, lint --fix and plan print on the runbook as it is", async () => {
    const dir = tempDir();
    cpSync(ORIGINAL, path.join(dir, "upgrading-postgresql.md"));
    const lint = await cli(["lint", "upgrading-postgresql.md"], { cwd: dir });
    expect(lint.code).toBe(1);
    expect(lint.stdout).toBe(shown("runbook lint upgrading-postgresql.md"));
    const fix = await cli(["lint", "--fix", "upgrading-postgresql.md"], {
      cwd: dir,
    });
    expect(fix.stdout).toBe(
      shown("runbook lint --fix upgrading-postgresql.md"),
    );
    expect(fix.code).toBe(0);
    const plan = await cli(["plan", "upgrading-postgresql.md"], { cwd: dir });
    expect(plan.stdout).toBe(shown("runbook plan upgrading-postgresql.md"));
  });

  it("ends with the converted runbook lint-clean and rehearsed green, as shown", async () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, "examples"), path.join(dir, "examples"), {
      recursive: true,
    });
    const lint = await cli(["lint", EXAMPLE], { cwd: dir });
    expect(lint.stdout).toBe(shown(`runbook lint ${EXAMPLE}`));
    expect(lint.code).toBe(0);
    const rehearse = await cli(["rehearse", EXAMPLE], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    expect(
      masked(rehearse.stdout + rehearse.stderr)
        .split("\n")
        .sort(),
    ).toEqual(
      masked(shown(`runbook rehearse ${EXAMPLE}`))
        .split("\n")
        .sort(),
    );
    expect(rehearse.stdout).toMatch(/✔ all 16 steps done/);
    expect(rehearse.code).toBe(0);
  }, 300_000);
});
