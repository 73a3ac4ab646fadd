import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

const SHARED = path.resolve(import.meta.dirname, "../../../shared");

describe("exit statuses and messages (SPEC 3)", () => {
  it("exits 2 with file:line:column for an invalid runbook, and runs nothing", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "bad.md"),
      md(
        "## A",
        '::step{#a needs="ghost"}',
        "```sh {timeout=soon}",
        "touch ran",
        "```",
      ),
    );
    const r = await cli(["run", "bad.md", "--yes"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^bad\.md:2:1: error: step "a" needs "ghost", which is not a step id \[unknown-needs\]$/m,
    );
    expect(r.stderr).toMatch(
      /^bad\.md:3:1: error: timeout="soon" is not a duration/m,
    );
    expect(readdirSync(dir)).toEqual(["bad.md"]);
  });

  it("exits 2 for usage errors: unknown options, missing files, no terminal without --yes", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "ok.md"), md("## A", "```sh", "true", "```"));
    expect(
      (await cli(["run", "ok.md", "--frobnicate"], { cwd: dir })).code,
    ).toBe(2);
    const missing = await cli(["plan", "nope.md"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read nope\.md: ENOENT/);
    const noTty = await cli(["run", "ok.md"], { cwd: dir });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    expect(
      (await cli(["run", "ok.md", "--yes", "--only", "zzz"], { cwd: dir }))
        .stderr,
    ).toMatch(/no step "zzz"/);
  });

  it("refuses to run a file with no steps (exit 2), and plans it as empty (exit 0)", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "prose.md"),
      md("# Only prose", "Nothing to run here."),
    );
    const run = await cli(["run", "prose.md", "--yes"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/prose\.md has no steps/);
    const plan = await cli(["plan", "prose.md"], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/No steps/);
  });

  it("exits 0 on success and 1 when a step fails", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "ok.md"), md("## A", "```sh", "true", "```"));
    writeFileSync(
      path.join(dir, "fail.md"),
      md("## A", "```sh", "exit 4", "```"),
    );
    expect((await cli(["run", "ok.md", "--yes"], { cwd: dir })).code).toBe(0);
    expect((await cli(["run", "fail.md", "--yes"], { cwd: dir })).code).toBe(1);
  });

  it("reads the real seeds (not runbooks of our format) without a stack trace", async () => {
    const seeds = readdirSync(path.join(SHARED, "seeds"));
    expect(seeds.length).toBeGreaterThan(0);
    for (const seed of seeds) {
      const r = await cli(["plan", path.join(SHARED, "seeds", seed)], {
        cwd: tempDir(),
      });
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
      expect(r.stderr).not.toMatch(/internal error/);
    }
  });

  it("prints help listing every command, and --version", async () => {
    const help = await cli(["--help"], { cwd: tempDir() });
    expect(help.code).toBe(0);
    for (const command of [
      "run",
      "resume",
      "plan",
      "lint",
      "render",
      "graph",
      "rehearse",
      "report",
    ])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    expect(
      (await cli(["--version"], { cwd: tempDir() })).stdout.trim(),
    ).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
