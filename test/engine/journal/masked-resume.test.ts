import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  readJournal,
  runDir,
  runState,
} from "../../../engine/journal/index.js";
import type { Param } from "../../../engine/model/index.js";
import { automatic, type Interaction } from "../../../engine/run/index.js";
import { cli } from "../../helpers/cli.js";
import { md } from "../../helpers/parse.js";
import { runFile, runMarkdown, type RunResult } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

const SECRET = "DbPw/09%87@zz";
const CONN = `postgres://rails:${SECRET}@db.example/app`;

/** Step one captures a connection string holding the secret, and a secret token; step two fails until `ok` exists. */
function runbook(dir: string): string {
  return md(
    "---",
    "params:",
    `  rails_password: { default: "${SECRET}" }`,
    "---",
    "## Capture",
    "```sh {capture=conn_info}",
    'echo "postgres://rails:${rails_password}@db.example/app"',
    "```",
    "```sh {capture=api_token}",
    "echo tok-0123456789",
    "```",
    "## Use",
    "```sh",
    `test -e ${dir}/ok`,
    `printf '%s\\n%s\\n' "$conn_info" "$api_token" > ${dir}/used`,
    "```",
  );
}

async function firstRun(dir: string): Promise<RunResult> {
  const r = await runMarkdown(runbook(dir), { dir });
  expect(r.outcome.exitCode).toBe(1);
  return r;
}

function stateOf(r: RunResult) {
  return runState(
    readJournal(path.join(runDir(r.stateDir, r.outcome.runId), "journal.jsonl"))
      .entries,
  );
}

describe("resume and values the journal holds masked (SPEC 2)", () => {
  it("the journal keeps neither the secret capture nor the one that held a secret", async () => {
    const dir = tempDir();
    const state = stateOf(await firstRun(dir));
    expect(state.captures.get("conn_info")).toEqual({ secret: false });
    expect(state.captures.get("api_token")).toEqual({ secret: true });
  });

  it("without a terminal, refuses to resume before anything runs, saying which value to give again and why", async () => {
    const dir = tempDir();
    const first = await firstRun(dir);
    writeFileSync(path.join(dir, "ok"), "");
    const resume = { runId: first.outcome.runId, state: stateOf(first) };
    await expect(
      runFile(path.join(dir, "runbook.md"), { dir, resume }),
    ).rejects.toMatchObject({
      code: "USAGE",
      message: expect.stringMatching(
        /"conn_info", captured by step "capture", was not stored in the journal because it held a secret\. Give it again with --set conn_info=…/,
      ),
    });
    // Nothing ran: the step that uses the values did not write them.
    expect(() => readFileSync(path.join(dir, "used"))).toThrow();
  });

  it("uses the values given again (never ***), and masks them again", async () => {
    const dir = tempDir();
    const first = await firstRun(dir);
    writeFileSync(path.join(dir, "ok"), "");
    const r = await runFile(path.join(dir, "runbook.md"), {
      dir,
      resume: {
        runId: first.outcome.runId,
        state: stateOf(first),
        captures: { conn_info: CONN, api_token: "tok-0123456789" },
      },
    });
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "used"), "utf8")).toBe(
      `${CONN}\ntok-0123456789\n`,
    );
    expect(JSON.stringify(r.journal)).not.toContain(SECRET);
    expect(JSON.stringify(r.journal)).not.toContain("tok-0123456789");
  });

  it("in a terminal, asks for each one, masked", async () => {
    const dir = tempDir();
    const first = await firstRun(dir);
    writeFileSync(path.join(dir, "ok"), "");
    const asked: Param[] = [];
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      askParam: async (param) => {
        asked.push(param);
        return param.name === "conn_info" ? CONN : "tok-0123456789";
      },
    };
    const r = await runFile(path.join(dir, "runbook.md"), {
      dir,
      interaction,
      resume: { runId: first.outcome.runId, state: stateOf(first) },
    });
    expect(r.outcome.exitCode).toBe(0);
    expect(asked.map((p) => [p.name, p.secret])).toEqual([
      ["conn_info", true],
      ["api_token", true],
    ]);
    expect(asked[0]?.description).toBe(
      'captured by step "capture"; not stored because it held a secret',
    );
    expect(readFileSync(path.join(dir, "used"), "utf8")).toBe(
      `${CONN}\ntok-0123456789\n`,
    );
  });

  it("never falls back to the default of a param that held a secret and was given otherwise", async () => {
    const dir = tempDir();
    const file = path.join(dir, "rb.md");
    writeFileSync(
      file,
      md(
        "---",
        "params:",
        '  note: { default: "-" }',
        `  rails_password: { default: "${SECRET}" }`,
        "---",
        "## One",
        "```sh",
        'printf "%s" "$note" > note-seen',
        `test -e ${dir}/ok`,
        "```",
      ),
    );
    const first = await runFile(file, { dir, set: { note: `pw ${SECRET}` } });
    expect(first.outcome.exitCode).toBe(1);
    writeFileSync(path.join(dir, "ok"), "");
    const resume = {
      runId: first.outcome.runId,
      state: stateOf(first),
      unknown: "rerun" as const,
    };
    await expect(runFile(file, { dir, resume })).rejects.toMatchObject({
      code: "USAGE",
      message: expect.stringMatching(
        /param "note" was given \(set\) when the run started .* because it held a secret; its default would be used instead\. Give it again with --set note=…/,
      ),
    });
    const r = await runFile(file, {
      dir,
      resume,
      set: { note: `pw ${SECRET}` },
    });
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "note-seen"), "utf8")).toBe(
      `pw ${SECRET}`,
    );
  });

  it("through the CLI: a param that held a secret is asked for again like a secret, never restored masked", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      md(
        "---",
        "params:",
        `  db_password: { description: x }`,
        "  dsn: { description: a plain param that holds the password }",
        "---",
        "## One",
        "```sh",
        'printf "%s" "$dsn" > dsn-seen',
        `test -e ${dir}/ok`,
        "```",
      ),
    );
    const dsn = `host=db password=${SECRET}`;
    const first = await cli(
      [
        "run",
        "rb.md",
        "--yes",
        "--state-dir",
        "state",
        "--set",
        `db_password=${SECRET}`,
        "--set",
        `dsn=${dsn}`,
      ],
      { cwd: dir },
    );
    expect(first.code).toBe(1);
    writeFileSync(path.join(dir, "ok"), "");
    const refused = await cli(
      [
        "resume",
        "--yes",
        "--state-dir",
        "state",
        "--rerun-unknown",
        "--set",
        `db_password=${SECRET}`,
      ],
      { cwd: dir },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/param "dsn" has no value/);
    const resumed = await cli(
      [
        "resume",
        "--yes",
        "--state-dir",
        "state",
        "--rerun-unknown",
        "--set",
        `db_password=${SECRET}`,
        "--set",
        `dsn=${dsn}`,
      ],
      { cwd: dir },
    );
    expect(resumed.code).toBe(0);
    expect(readFileSync(path.join(dir, "dsn-seen"), "utf8")).toBe(dsn);
    for (const out of [first, refused, resumed])
      expect(out.stdout + out.stderr).not.toContain(SECRET);
  });
});
