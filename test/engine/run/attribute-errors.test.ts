import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { automatic } from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown, stepEnds } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";
import { requireThat } from "../../helpers/require.js";

const endOf = (r: Awaited<ReturnType<typeof runMarkdown>>, stepId: string) =>
  r.events.find((e) => e.type === "step-end" && e.stepId === stepId);

describe("attribute values filled in when a step starts", () => {
  it("refuses a duration over 24 days when its step starts, before any of the step runs", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  t: { default: 600h }",
        "---",
        "## Long",
        "```sh",
        "touch first",
        "```",
        '```sh {timeout="${t}"}',
        "touch second",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(endOf(r, "long")).toMatchObject({
      state: "failed",
      message: expect.stringContaining('timeout="600h" is longer than 24 days'),
    });
    expect(existsSync(path.join(dir, "first"))).toBe(false);
  });

  it("holds wait= and retry-delay= to the same limit", async () => {
    const dir = tempDir();
    const interaction = {
      ...automatic({ yes: "all" }),
      failed: async () => "skip" as const,
    };
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  h: { default: 577h }",
        "---",
        "## A",
        '```sh {retry=1 retry-delay="${h}"}',
        "true",
        "```",
        "## B",
        '::check{sh=true wait="${h}"}',
      ),
      { dir, interaction },
    );
    expect(endOf(r, "a")).toMatchObject({
      state: "failed",
      message: expect.stringContaining(
        'retry-delay="577h" is longer than 24 days',
      ),
    });
    expect(endOf(r, "b")).toMatchObject({
      state: "failed",
      message: expect.stringContaining('wait="577h" is longer than 24 days'),
    });
  });

  it("stops a step whose check names an undefined variable before the step runs", async () => {
    const dir = tempDir();
    // The checks before the run refuse it (test/cli/spec-clauses.test.ts); past them, the run itself still never leaves ${nope} as written.
    const r = await runMarkdown(
      md(
        "## S",
        "```sh",
        "touch ran",
        "```",
        '::check{sh="true" cwd="${nope}"}',
      ),
      { dir, tolerate: (d) => d.rule === "undefined-variable" },
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(endOf(r, "s")).toMatchObject({
      message: expect.stringContaining('cwd="${nope}": ${nope} is not defined'),
    });
    expect(existsSync(path.join(dir, "ran"))).toBe(false);
  });

  it("resolves a later action against what an earlier action of the same step captured", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## S",
        "```sh {capture=d}",
        "mkdir -p made && echo made",
        "```",
        '```sh {cwd="${d}" timeout="${t}"}',
        "pwd > where",
        "```",
        "```sh {capture=t}",
        "echo 5s",
        "```",
      ),
      { dir, yes: "all" },
    );
    // t is captured after the block that uses it: parsing accepts that (same step), the run says so when it gets there.
    expect(endOf(r, "s")).toMatchObject({
      state: "failed",
      message: expect.stringContaining('timeout="${t}": ${t} is not defined'),
    });
    const ok = await runMarkdown(
      md(
        "## S",
        "```sh {capture=d}",
        "mkdir -p made2 && echo made2",
        "```",
        '```sh {cwd="${d}"}',
        "pwd > where",
        "```",
      ),
      { dir },
    );
    expect(ok.outcome.exitCode).toBe(0);
    expect(
      readFileSync(path.join(dir, "made2", "where"), "utf8").trim(),
    ).toMatch(/made2$/);
  });

  it("keeps a value that holds ${…} as data: it is interpolated once, never again", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "${HOME}"));
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  d: { description: a directory }",
        "---",
        "## S",
        '```sh {cwd="${d}"}',
        "pwd > where",
        "```",
        '```text {file="${d}/f.txt"}',
        "x",
        "```",
      ),
      { dir, set: { d: "${HOME}" } },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(
      readFileSync(path.join(dir, "${HOME}", "where"), "utf8").trim(),
    ).toMatch(/\/\$\{HOME\}$/);
    expect(existsSync(path.join(dir, "${HOME}", "f.txt"))).toBe(true);
  });

  it("masks a secret that an attribute holds in the message of a failure", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  api_token: { default: tok-98765 }",
        "---",
        "## S",
        '```sh {timeout="${api_token}"}',
        "true",
        "```",
      ),
      { dir },
    );
    const end = endOf(r, "s");
    expect(end).toMatchObject({
      state: "failed",
      message: expect.stringContaining('timeout="***" is not a duration'),
    });
    expect(JSON.stringify(r.journal)).not.toContain("tok-98765");
  });
});

describe("a process that cannot start says what is wrong", () => {
  it("names a working directory that does not exist", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  where: { default: no-such-dir }",
        "---",
        "## S",
        '```sh {cwd="${where}"}',
        "true",
        "```",
        "## C",
        "```console {cwd=also-missing}",
        "$ true",
        "```",
      ),
      { dir, yes: "all" },
    );
    expect(endOf(r, "s")).toMatchObject({
      state: "failed",
      message: `sh block at line 6: could not start: no such working directory: ${path.join(dir, "no-such-dir")}`,
    });
    expect(JSON.stringify(r.events)).not.toContain("command not found");
  });

  it("names a working directory that is a file", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "plain"), "");
    const r = await runMarkdown(
      md("## S", "```sh {cwd=plain}", "true", "```"),
      { dir },
    );
    expect(endOf(r, "s")).toMatchObject({
      message: expect.stringContaining(
        `the working directory ${path.join(dir, "plain")} is not a directory`,
      ),
    });
  });

  it("says a program is missing, or cannot be run", async () => {
    const dir = tempDir();
    const missing = await runMarkdown(md("## S", "```bash", "true", "```"), {
      dir,
      env: { PATH: path.join(dir, "empty") },
    });
    expect(endOf(missing, "s")).toMatchObject({
      message:
        "sh block at line 2: could not start: no such program: bash (not found on PATH)",
    });
    const bin = path.join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "bash"), "#!/bin/sh\n");
    chmodSync(path.join(bin, "bash"), 0o644);
    const denied = await runMarkdown(md("## S", "```bash", "true", "```"), {
      dir,
      env: { PATH: bin },
    });
    expect(endOf(denied, "s")).toMatchObject({
      message:
        "sh block at line 2: could not start: permission denied: cannot run bash",
    });
  });

  it("says a user= account does not exist", async () => {
    requireThat(
      process.getuid?.() === 0,
      "root, for user= through runuser (CI runs as root)",
    );
    const dir = tempDir();
    const r = await runMarkdown(
      md("## S", "```sh {user=no-such-user-rb}", "true", "```"),
      { dir },
    );
    expect(stepEnds(r.events)).toEqual([["s", "failed"]]);
    expect(endOf(r, "s")).toMatchObject({
      message:
        "sh block at line 2: could not start: no such user: no-such-user-rb",
    });
  });
});
