import {
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
  chmodSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Interaction } from "../../../engine/run/index.js";
import { automatic } from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown, stepEnds } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

describe("file= blocks", () => {
  it("replaces, keeping a backup and the file mode, and interpolates ${name} unless raw", async () => {
    const dir = tempDir();
    const conf = path.join(dir, "app.conf");
    writeFileSync(conf, "old=1\n");
    chmodSync(conf, 0o640);
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        `  conf: { default: "${conf}" }`,
        '  port: { default: "5433" }',
        "---",
        "## W",
        '```ini {file="${conf}"}',
        "port=${port}",
        "literal=$HOME",
        "```",
        "```ini {file=raw.txt raw}",
        "kept=${port}",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(conf, "utf8")).toBe("port=5433\nliteral=$HOME\n");
    expect(readFileSync(`${conf}.runbook-bak`, "utf8")).toBe("old=1\n");
    expect(statSync(conf).mode & 0o777).toBe(0o640);
    expect(readFileSync(path.join(dir, "raw.txt"), "utf8")).toBe(
      "kept=${port}\n",
    );
    expect(r.output).toContain("-old=1");
    expect(r.output).toContain("+port=5433");
  });

  it("appends, and manages a block idempotently between markers", async () => {
    const dir = tempDir();
    const hba = path.join(dir, "pg_hba.conf");
    writeFileSync(hba, "local all all peer");
    const text = md(
      "---",
      "params:",
      `  hba: { default: "${hba}" }`,
      '  cidr: { default: "10.0.0.5/32" }',
      "---",
      "## Allow replication",
      '```conf {file="${hba}" mode=block}',
      "host replication rep ${cidr} scram-sha-256",
      "```",
      "## Note",
      "```conf {file=notes.txt mode=append}",
      "one more line",
      "```",
    );
    await runMarkdown(text, { dir });
    const once = readFileSync(hba, "utf8");
    expect(once).toBe(
      "local all all peer\n# BEGIN runbook allow-replication\nhost replication rep 10.0.0.5/32 scram-sha-256\n# END runbook allow-replication\n",
    );
    const again = await runMarkdown(text, {
      dir,
      set: { cidr: "10.0.0.6/32" },
    });
    expect(again.outcome.exitCode).toBe(0);
    expect(readFileSync(hba, "utf8")).toBe(
      once.replace("10.0.0.5", "10.0.0.6"),
    );
    await runMarkdown(text, { dir, set: { cidr: "10.0.0.6/32" } });
    expect(readFileSync(hba, "utf8").match(/BEGIN runbook/g)).toHaveLength(1);
    expect(readFileSync(path.join(dir, "notes.txt"), "utf8")).toBe(
      "one more line\none more line\none more line\n",
    );
  });

  it("masks secrets in the diff it shows", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  db_password: { default: "hunter2-secret" }',
        "---",
        "## W",
        "```ini {file=secret.conf}",
        "password=${db_password}",
        "```",
      ),
      { dir },
    );
    expect(readFileSync(path.join(dir, "secret.conf"), "utf8")).toBe(
      "password=hunter2-secret\n",
    );
    expect(r.output).toContain("+password=***");
    expect(r.output).not.toContain("hunter2-secret");
  });
});

describe("console transcripts", () => {
  it("passes when every command prints what is written under it, with ... for any lines", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## C",
        "```console",
        "$ cd /tmp && pwd",
        "/tmp",
        "$ pwd",
        "/tmp",
        '$ printf "a\\nb\\nc\\nd\\n"',
        "a",
        "...",
        "d",
        "$ echo err >&2",
        "err",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
  });

  it("fails on a mismatch, naming the line and what was printed", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md("## C", "```console", "$ echo 41", "42", "```"),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      message: expect.stringContaining(
        'line 3: `echo 41` printed "41", expected "42"',
      ),
    });
  });
});

describe("gates and manual steps", () => {
  const text = md(
    "## Plain",
    "```sh",
    "touch plain",
    "```",
    "## Danger",
    '::confirm{type="app_production"}',
    "```sh {confirm}",
    "touch danger",
    "```",
    "## Hand",
    "::manual[Flip the switch]",
  );

  it("stops a --yes run at a gate (exit 1, resumable) without running the gated block", async () => {
    const dir = tempDir();
    const r = await runMarkdown(text, { dir, yes: "steps" });
    expect(r.outcome).toMatchObject({ status: "stopped", exitCode: 1 });
    expect(existsSync(path.join(dir, "plain"))).toBe(true);
    expect(existsSync(path.join(dir, "danger"))).toBe(false);
    expect(r.journal.filter((e) => e.type === "gate")).toMatchObject([
      { kind: "typed", answer: "quit", by: "auto" },
    ]);
  });

  it("answers gates under --yes=all and journals that they were answered automatically", async () => {
    const dir = tempDir();
    const r = await runMarkdown(text, { dir, yes: "all" });
    expect(r.outcome.exitCode).toBe(0);
    expect(
      r.journal
        .filter((e) => e.type === "gate")
        .map((e) => e.type === "gate" && [e.kind, e.answer, e.by]),
    ).toEqual([
      ["typed", "yes", "auto"],
      ["block", "yes", "auto"],
      ["manual", "done", "auto"],
    ]);
  });

  it("asks the operator: skip a step, retry a failure, stop at a gate answered no", async () => {
    const dir = tempDir();
    const asked: string[] = [];
    let failures = 0;
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      confirmStep: async (step) => {
        asked.push(`step:${step.id}`);
        return step.id === "skip-me" ? "skip" : "run";
      },
      failed: async (step) => {
        asked.push(`failed:${step.id}`);
        failures++;
        writeFileSync(path.join(dir, "fixed"), "");
        return failures === 1 ? "retry" : "quit";
      },
      gate: async (request) => {
        asked.push(`gate:${request.prompt}`);
        return "no";
      },
    };
    const r = await runMarkdown(
      md(
        "## Skip me",
        "```sh",
        "touch skipped",
        "```",
        "## Flaky",
        "```sh",
        "test -e fixed",
        "```",
        "## Gate",
        '::confirm{prompt="Is traffic stopped?"}',
        "```sh",
        "touch gated",
        "```",
      ),
      { dir, yes: "none", interaction },
    );
    expect(asked).toEqual([
      "step:skip-me",
      "step:flaky",
      "failed:flaky",
      "step:gate",
      "gate:Is traffic stopped?",
    ]);
    expect(stepEnds(r.events)).toEqual([
      ["skip-me", "skipped"],
      ["flaky", "failed"],
      ["flaky", "done"],
      ["gate", "failed"],
    ]);
    expect(existsSync(path.join(dir, "skipped"))).toBe(false);
    expect(existsSync(path.join(dir, "gated"))).toBe(false);
    expect(r.outcome).toMatchObject({ status: "stopped", exitCode: 1 });
  });
});

describe("file= ownership", () => {
  it("keeps the owner of the file and of its backup (a pg_hba.conf owned by postgres)", async () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0);
    const { chownSync } = await import("node:fs");
    const { execFileSync } = await import("node:child_process");
    const dir = tempDir();
    const conf = path.join(dir, "pg_hba.conf");
    writeFileSync(conf, "local all all peer\n");
    const uid = Number(
      execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }),
    );
    const gid = Number(
      execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }),
    );
    chownSync(conf, uid, gid);
    chmodSync(conf, 0o600);
    const r = await runMarkdown(
      md(
        "## Hba",
        `\`\`\`conf {file="${conf}" mode=block}`,
        "host all all 127.0.0.1/32 scram-sha-256",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    for (const f of [conf, `${conf}.runbook-bak`])
      expect([
        statSync(f).uid,
        statSync(f).gid,
        statSync(f).mode & 0o777,
      ]).toEqual([uid, gid, 0o600]);
  });
});

describe("checks with only=, user= and on=", () => {
  it("skips a check meant for the other mode, and runs a shell check as another user", async () => {
    const dir = tempDir();
    const asRoot = process.getuid?.() === 0;
    const r = await runMarkdown(
      md(
        "## C",
        "```sh",
        "true",
        "```",
        '::check{sh="false" only=rehearsal}',
        `::check{sh="id -un" expect="${asRoot ? "postgres" : (process.env["USER"] ?? "")}"${asRoot ? " user=postgres" : ""}}`,
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(
      r.events
        .filter((e) => e.type === "check-end")
        .map((e) => e.type === "check-end" && e.outcome.message),
    ).toEqual([
      "only=rehearsal: not checked in a live run",
      `got "${asRoot ? "postgres" : (process.env["USER"] ?? "")}"`,
    ]);
  });

  it("sends a db= shell block's connection variables to an on= host", async () => {
    const dir = tempDir();
    const bin = path.join(dir, "bin");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "ssh"),
      '#!/bin/sh\nfor last; do :; done\nexec sh -c "$last"\n',
    );
    chmodSync(path.join(bin, "ssh"), 0o755);
    const r = await runMarkdown(
      md(
        "---",
        'databases: { app: "postgres://u:pw-secret@db.internal:6432/appdb" }',
        'hosts: { h: "root@h" }',
        "---",
        "## R",
        "```sh {on=h db=app}",
        `echo "$PGHOST:$PGPORT/$PGDATABASE" > ${path.join(dir, "remote")}`,
        "```",
      ),
      { dir, env: { PATH: `${bin}:${process.env["PATH"]}` } },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "remote"), "utf8").trim()).toBe(
      "db.internal:6432/appdb",
    );
  });
});
