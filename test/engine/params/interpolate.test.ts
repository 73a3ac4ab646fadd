import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RunbookError } from "../../../engine/model/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

const paramsOf = (r: Awaited<ReturnType<typeof runMarkdown>>) => {
  const run = r.journal.find((e) => e.type === "run");
  return run?.type === "run" ? run.params : [];
};

describe("${name} in a param default and rehearsal value (SPEC 1.1)", () => {
  it("interpolates environment variables, other params and sentinels in a default", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  home: { default: "${HOME}/x" }',
        '  sub: { default: "${home}/sub-${tok}", pattern: "^/" }',
        "---",
        "::sentinel{#tok}",
        "",
        "## S",
        "```sh",
        'printf "%s\\n" "$home" "$sub" > seen',
        "```",
      ),
      { dir, env: { PATH: process.env["PATH"], HOME: "/home/someone" } },
    );
    expect(r.outcome.exitCode).toBe(0);
    const [home, sub] = readFileSync(path.join(dir, "seen"), "utf8")
      .trim()
      .split("\n");
    expect(home).toBe("/home/someone/x");
    expect(sub).toMatch(/^\/home\/someone\/x\/sub-rb-tok-/);
    // The journal records what the run used, so a resume uses it too.
    expect(paramsOf(r)).toEqual([
      expect.objectContaining({
        name: "home",
        value: "/home/someone/x",
        source: "default",
      }),
      expect.objectContaining({ name: "sub", value: sub, source: "default" }),
    ]);
  });

  it("uses a rehearsal value with the sandbox's variables, and never makes a folder named ${…}", async () => {
    const dir = tempDir();
    const sandboxDir = path.join(dir, "sandbox");
    mkdirSync(sandboxDir);
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  work: { default: /nowhere, rehearsal: "${RUNBOOK_SANDBOX_DIR}/work" }',
        "---",
        "## S",
        "```sh",
        'mkdir -p "$work"',
        "```",
        '```sh {cwd="${work}"}',
        "touch here",
        "```",
      ),
      {
        dir,
        mode: "rehearsal",
        sandbox: {
          clusters: new Map(),
          env: { RUNBOOK_SANDBOX_DIR: sandboxDir },
        },
      },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(existsSync(path.join(sandboxDir, "work", "here"))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes("${"))).toEqual([]);
    expect(paramsOf(r)).toEqual([
      expect.objectContaining({
        name: "work",
        value: `${sandboxDir}/work`,
        source: "rehearsal",
      }),
    ]);
  });

  it("leaves values the operator gave as they are", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  a: { default: "${HOME}" }',
        "  b: { default: x }",
        "---",
        "## S",
        "```sh",
        'printf "%s|%s\\n" "$a" "$b" > seen',
        "```",
      ),
      {
        dir,
        set: { a: "${HOME}" },
        env: { PATH: process.env["PATH"], HOME: "/h", b: "${HOME}" },
      },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "seen"), "utf8").trim()).toBe(
      "${HOME}|${HOME}",
    );
  });

  it("refuses an undefined name, a circle and a pattern mismatch before anything runs", async () => {
    const dir = tempDir();
    const refusal = async (fm: string[]): Promise<RunbookError> => {
      const error = await runMarkdown(
        md("---", "params:", ...fm, "---", "## S", "```sh", "touch ran", "```"),
        { dir, env: { PATH: process.env["PATH"], HOME: "/h" } },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunbookError);
      expect(existsSync(path.join(dir, "ran"))).toBe(false);
      // Nothing was journaled: the run never started.
      expect(existsSync(path.join(dir, "state"))).toBe(false);
      return error as RunbookError;
    };
    const undefinedName = await refusal([
      '  a: { default: "${NOT_SET_ANYWHERE}/x" }',
    ]);
    expect(undefinedName.code).toBe("RUNBOOK_INVALID");
    expect(undefinedName.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining(
        'param "a": its default "${NOT_SET_ANYWHERE}/x" names ${NOT_SET_ANYWHERE}, which is not defined',
      ),
    ]);
    const circle = await refusal([
      '  a: { default: "${b}" }',
      '  b: { default: "x${a}" }',
    ]);
    expect(circle.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("a → b → a"),
    ]);
    const pattern = await refusal([
      '  a: { default: "${HOME}", pattern: "^[0-9]+$" }',
    ]);
    expect(pattern.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('param "a": "/h" does not match its pattern'),
    ]);
  });

  it("treats a value built from a secret as a secret", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  db_password: { default: s3cr3t-value-42 }",
        '  url: { default: "postgres://app:${db_password}@h/db" }',
        "---",
        "## S",
        "```sh",
        'echo "$url"',
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).not.toContain("s3cr3t-value-42");
    expect(JSON.stringify(r.journal)).not.toContain("s3cr3t-value-42");
    expect(paramsOf(r)).toContainEqual(
      expect.objectContaining({ name: "url", secret: true }),
    );
  });
});
