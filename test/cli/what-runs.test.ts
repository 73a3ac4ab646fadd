import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

const FM = md(
  "---",
  "databases:",
  '  app: { url: "postgres://postgres@127.0.0.1:1/postgres", sandbox: { cluster: main } }',
  "---",
);

describe("what runs is exactly what the page shows (the built CLI)", () => {
  it("refuses a check that could leave its read-only transaction, in run, rehearse, plan and lint, before anything runs", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "sneaky.md"),
      FM +
        md(
          "# Sneaky",
          "",
          "## Leave a mark",
          "",
          "```sh",
          "touch ran",
          "```",
          "",
          "## Sneak a write into a check",
          "",
          '::check{db=app sql="COMMIT; CREATE TABLE escaped(x int); SELECT 1"}',
        ),
    );
    for (const args of [
      ["rehearse", "sneaky.md"],
      ["run", "sneaky.md", "--yes"],
      ["plan", "sneaky.md"],
    ]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(
        /^sneaky\.md:15:21: error: COMMIT would end the check's read-only transaction.* \[check-read-only\]$/m,
      );
    }
    const lint = await cli(["lint", "sneaky.md", "--format", "json"], {
      cwd: dir,
    });
    expect(lint.code).toBe(1);
    expect(JSON.parse(lint.stdout)).toContainEqual(
      expect.objectContaining({
        line: 15,
        column: 21,
        severity: "error",
        rule: "check-read-only",
      }),
    );
    expect(existsSync(path.join(dir, "ran"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["sneaky.md"]);
  });

  it("refuses a check with a side effect that a read-only transaction allows, in run, rehearse, plan and lint, before anything runs", async () => {
    const dir = tempDir();
    const checks = [
      "::check{db=app sql=\"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'app'\" expect=0}",
      ":::check{db=app}",
      "```sql",
      "SELECT 1;",
      "COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'",
      "```",
      ":::",
    ];
    writeFileSync(
      path.join(dir, "effects.md"),
      FM +
        md(
          "## Leave a mark",
          "",
          "```sh",
          "touch ran",
          "```",
          "",
          "## Check with side effects",
          "",
          ...checks,
        ),
    );
    for (const args of [
      ["run", "effects.md", "--yes"],
      ["rehearse", "effects.md"],
      ["plan", "effects.md"],
    ]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(
        /^effects\.md:13:21: error: pg_terminate_backend\(\) ends another session, which a read-only transaction does not stop: .* \[check-read-only\]$/m,
      );
      expect(r.stderr).toMatch(
        /^effects\.md:17:1: error: COPY … TO PROGRAM runs a program on the server.* \[check-read-only\]$/m,
      );
    }
    const lint = await cli(["lint", "effects.md", "--format", "json"], {
      cwd: dir,
    });
    expect(lint.code).toBe(1);
    const errors = (
      JSON.parse(lint.stdout) as {
        line: number;
        column: number;
        severity: string;
        rule: string;
      }[]
    ).filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.line, d.column, d.rule])).toEqual([
      [13, 21, "check-read-only"],
      [17, 1, "check-read-only"],
    ]);
    expect(readdirSync(dir)).toEqual(["effects.md"]);
  });

  it("refuses an unknown attribute on a code block in run, rehearse, plan and lint, and says what was meant", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "typo.md"),
      md("## Wait", "", "```sh {timout=5m}", "touch ran", "```"),
    );
    for (const args of [
      ["run", "typo.md", "--yes"],
      ["rehearse", "typo.md"],
      ["plan", "typo.md"],
    ]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(
        "typo.md:3:8: error: unknown attribute timout= on a sh block: did you mean timeout=? [unknown-attribute]",
      );
    }
    const lint = await cli(["lint", "typo.md", "--format", "json"], {
      cwd: dir,
    });
    expect(lint.code).toBe(1);
    expect(JSON.parse(lint.stdout)).toEqual([
      {
        file: "typo.md",
        line: 3,
        column: 8,
        severity: "error",
        rule: "unknown-attribute",
        message:
          "unknown attribute timout= on a sh block: did you mean timeout=?",
      },
    ]);
    expect(existsSync(path.join(dir, "ran"))).toBe(false);
  });

  it("runs a runbook whose other fences hold anything, and lints a comment after the language as a warning", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "fences.md"),
      md(
        "## Show and run",
        "",
        "```text {x",
        "not ours",
        "```",
        "",
        "```REDISCLI_AUTH=$(cat pw) redis-cli",
        "GET k",
        "```",
        "",
        '```sh {"name":"mark","tag":"demo"}',
        "echo one > out.txt",
        "```",
        "",
        "```sh then the second",
        "echo two >> out.txt",
        "```",
      ),
    );
    const run = await cli(["run", "fences.md", "--yes"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(readdirSync(dir).sort()).toContain("out.txt");
    expect((await cli(["plan", "fences.md"], { cwd: dir })).code).toBe(0);
    const lint = await cli(["lint", "fences.md", "--format", "json"], {
      cwd: dir,
    });
    expect(lint.code).toBe(0);
    expect(JSON.parse(lint.stdout)).toEqual([
      expect.objectContaining({
        line: 15,
        column: 7,
        severity: "warning",
        rule: "fence-comment",
      }),
    ]);
  });
});
