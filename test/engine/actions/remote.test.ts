/**
 * SPEC 1.3 `on=` and SPEC 3 "Remote targets are real": sh, bash, `file=`,
 * `user=`, `cwd=` and checks through the system OpenSSH client, against a
 * real sshd on 127.0.0.1 reached by an alias of a generated ssh_config
 * (test/helpers/sshd.ts). The "host" is this machine, so what the remote
 * side did is visible here: its files, its processes and their argv.
 */
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDir } from "../../../engine/journal/index.js";
import { listProcesses } from "../../../engine/actions/process-table.js";
import { waitFor } from "../../helpers/cli.js";
import { md } from "../../helpers/parse.js";
import { requireThat } from "../../helpers/require.js";
import { runMarkdown, stepEnds, type RunResult } from "../../helpers/run.js";
import {
  sshdUnavailable,
  startSshd,
  type TestSshd,
} from "../../helpers/sshd.js";
import { tempDir } from "../../helpers/temp.js";

const unavailable = sshdUnavailable();
let sshd: TestSshd | undefined;
beforeAll(async () => {
  if (unavailable) return;
  sshd = await startSshd();
  sshd.alias("db1");
});
afterAll(() => sshd?.stop());

const SECRET = `Pw-${randomBytes(6).toString("hex")}/@%`;
/** `db1` is an alias (User root in the generated ssh_config); `rootdb` names the user in the target. */
const FM = md(
  "---",
  "params:",
  '  greeting: { default: "hello there" }',
  `  db_password: { default: "${SECRET}" }`,
  "  dir: { description: a scratch directory on the host }",
  "hosts:",
  '  db1: { ssh: "db1" }',
  '  rootdb: { ssh: "root@db1" }',
  "---",
);

async function run(
  body: string,
  dir: string,
  set: Record<string, string> = {},
): Promise<RunResult> {
  return runMarkdown(FM + body, {
    dir,
    env: sshd?.env() ?? {},
    set: { dir, ...set },
  });
}

/** Every file the run wrote under its state dir (journal, output logs), as one text. */
function stateText(r: RunResult): string {
  const at = runDir(r.stateDir, r.outcome.runId);
  return readdirSync(at, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => readFileSync(path.join(f.parentPath, f.name), "utf8"))
    .join("\n");
}

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe("on= through a real OpenSSH server (SPEC 1.3, 3)", () => {
  beforeAll(() =>
    requireThat(
      unavailable === undefined,
      `a real sshd and root (.ci/run installs openssh-server): ${unavailable ?? ""}`,
    ),
  );

  it("runs sh as /bin/sh -e and bash as bash -euo pipefail on the host, with params as variables, secrets masked, and a capture", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## On the host",
        "```sh {on=db1}",
        'case $- in *e*) echo "sh errexit on";; esac',
        'echo "sh says $greeting as $(id -un) in HOME=$HOME, step $RUNBOOK_STEP"',
        'echo "the password is $db_password"',
        'echo "on stderr: $db_password" >&2',
        "```",
        "```bash {on=rootdb}",
        "shopt -o pipefail",
        'if false | true; then echo "pipefail off"; fi',
        "```",
        "```sh {on=rootdb capture=remote_home}",
        'echo "$HOME"',
        "```",
        "## Back here",
        "```sh",
        'echo "captured: $remote_home"',
        "```",
      ),
      dir,
    );
    expect(stepEnds(r.events)).toEqual([
      ["on-the-host", "done"],
      ["back-here", "done"],
    ]);
    expect(r.output).toContain("sh errexit on");
    // The session's HOME is the server's (sshd's SetEnv): the script ran there, not here.
    expect(r.output).toContain(
      `sh says hello there as root in HOME=${sshd?.serverHome ?? "?"}, step on-the-host`,
    );
    expect(r.output).toMatch(/pipefail\s+on/);
    expect(r.output).not.toContain("pipefail off");
    expect(r.output).toContain(`captured: ${sshd?.serverHome ?? "?"}`);
    expect(r.output).toContain("the password is ***");
    expect(r.output).toContain("on stderr: ***");
    expect(r.output).not.toContain(SECRET);
    expect(stateText(r)).not.toContain(SECRET);
  });

  it("sends the script on stdin: neither its text nor a secret is ever in a process argv on the host (or here)", async () => {
    const dir = tempDir();
    const token = `argv-probe-${randomBytes(6).toString("hex")}`;
    const ready = path.join(dir, "ready");
    const go = path.join(dir, "go");
    const running = run(
      md(
        "## Wait on the host",
        "```bash {on=db1}",
        `# ${token}`,
        'echo "$db_password" > /dev/null',
        `touch ${ready}`,
        `while [ ! -e ${go} ]; do sleep 0.05; done`,
        "echo released",
        "```",
      ),
      dir,
    );
    await waitFor(() => existsSync(ready), 60_000);
    const argvs = listProcesses().map((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/cmdline`, "utf8").replaceAll(
          "\0",
          " ",
        );
      } catch {
        return "";
      }
    });
    writeFileSync(go, "");
    // The ssh client and the remote shells were seen: the scan looked at the right processes.
    expect(
      argvs.some((a) => a.includes("/usr/bin/ssh") && a.includes(" db1 ")),
    ).toBe(true);
    expect(argvs.some((a) => /^bash -euo pipefail -s/.test(a))).toBe(true);
    expect(
      argvs.filter((a) => a.includes(token) || a.includes(SECRET)),
    ).toEqual([]);
    const r = await running;
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).toContain("released");
  });

  it("a command of the script that reads stdin gets nothing, as it does here: it never eats the rest of the script", async () => {
    const dir = tempDir();
    // Long enough that no shell has it all in its buffer when the commands run.
    const filler = Array.from(
      { length: 2000 },
      (_, i) => `: filler line ${i} ${"x".repeat(60)}`,
    );
    for (const lang of ["sh", "bash"]) {
      const r = await run(
        md(
          "## Reads stdin",
          `\`\`\`${lang} {on=db1}`,
          "echo before",
          "cat",
          'read -r line || echo "read got end of input"',
          ...filler,
          "echo after",
          "```",
        ),
        dir,
      );
      expect(r.outcome.exitCode, lang).toBe(0);
      expect(r.output, lang).toMatch(
        /before\n(.*\n)*read got end of input\n(.*\n)*after/,
      );
      expect(r.output, lang).not.toContain("filler line");
    }
  });

  it("runs a console transcript on the host (user=, cwd=), and a transcript that differs fails the step", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## Transcript",
        '```console {on=db1 user=postgres cwd="${dir}"}',
        "$ id -un",
        "postgres",
        '$ echo "$greeting"; pwd',
        "hello there",
        dir,
        "$ cd /tmp && pwd",
        "/tmp",
        "$ pwd",
        "/tmp",
        "```",
        "## Differs",
        "```console {on=db1}",
        "$ id -un",
        "postgres",
        "```",
      ),
      dir,
    );
    expect(stepEnds(r.events)).toEqual([
      ["transcript", "done"],
      ["differs", "failed"],
    ]);
    expect(
      r.events.find((e) => e.type === "step-end" && e.state === "failed"),
    ).toMatchObject({
      message: expect.stringContaining(
        '`id -un` printed "root", expected "postgres"',
      ),
    });
  });

  it("user= runs as that user on the host, through the alias and with root@ in the target", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## As postgres",
        "```sh {on=db1 user=postgres}",
        'echo "alias: $(id -un) $greeting"',
        "```",
        "```bash {on=rootdb user=postgres}",
        'echo "root@: $(id -un) $greeting"',
        "```",
      ),
      dir,
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).toContain("alias: postgres hello there");
    expect(r.output).toContain("root@: postgres hello there");
  });

  it("user= naming no account of the host fails the step with one clear line", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## Nobody",
        "```sh {on=db1 user=no-such-user-4242}",
        "echo should-not-run",
        "```",
      ),
      dir,
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.output).not.toContain("should-not-run");
    const end = r.events.find((e) => e.type === "step-end");
    expect(end).toMatchObject({
      state: "failed",
      message: expect.stringContaining("no-such-user-4242"),
    });
  });

  it("cwd= is a directory on the host; one that does not exist there is said so", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## Where",
        '```sh {on=db1 cwd="${dir}"}',
        'echo "in $(pwd)"',
        "```",
        "## Nowhere",
        "```sh {on=db1 cwd=/no/such/dir-4242}",
        "echo should-not-run",
        "```",
      ),
      dir,
    );
    expect(r.output).toContain(`in ${dir}`);
    expect(stepEnds(r.events)).toEqual([
      ["where", "done"],
      ["nowhere", "failed"],
    ]);
    expect(r.output).not.toContain("should-not-run");
    expect(
      r.events.find((e) => e.type === "step-end" && e.state === "failed"),
    ).toMatchObject({
      message:
        "sh block at line 15: could not start: no such working directory: /no/such/dir-4242 (host db1)",
    });
  });

  it("a shell check runs on the host (on=, user=), and a failing one fails the step", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## Checked",
        "```sh {on=db1}",
        "echo ok",
        "```",
        ':::check{on=db1 user=postgres expect="postgres"}',
        "```sh",
        "id -un",
        "```",
        ":::",
        `::check{on=db1 sh='echo "$HOME"' expect="${sshd?.serverHome ?? "?"}"}`,
        "## Fails",
        "```sh {on=db1}",
        "true",
        "```",
        '::check{on=db1 sh="echo $greeting" expect="goodbye"}',
      ),
      dir,
    );
    const checks = r.events.flatMap((e) =>
      e.type === "check-end" ? [e.outcome] : [],
    );
    expect(checks.map((c) => c.kind)).toEqual(["pass", "pass", "mismatch"]);
    expect(checks[2]?.message).toMatch(/hello there/);
    expect(stepEnds(r.events)).toEqual([
      ["checked", "done"],
      ["fails", "failed"],
    ]);
  });

  it("file= writes on the host in every mode: backup, diff, mode kept, a new file holding a secret 0600, and block mode idempotent", async () => {
    const dir = tempDir();
    const conf = path.join(dir, "postgresql.conf");
    const hba = path.join(dir, "pg_hba.conf");
    const pgpass = path.join(dir, "pgpass");
    writeFileSync(conf, "listen_addresses = 'localhost'\n");
    chmodSync(conf, 0o640);
    writeFileSync(hba, "local all all peer\n");
    const body = md(
      "## Configure",
      '```ini {on=db1 file="${dir}/postgresql.conf"}',
      "listen_addresses = '*'",
      "```",
      '```text {on=db1 file="${dir}/pg_hba.conf" mode=append}',
      "host all all 10.0.0.0/8 scram-sha-256",
      "```",
      '```text {on=db1 file="${dir}/pg_hba.conf" mode=block}',
      "host replication replicator 10.0.0.2/32 scram-sha-256",
      "```",
      '```text {on=db1 file="${dir}/pgpass"}',
      "*:5432:*:app:${db_password}",
      "```",
    );
    const r = await run(body, dir);
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(conf, "utf8")).toBe("listen_addresses = '*'\n");
    expect(readFileSync(`${conf}.runbook-bak`, "utf8")).toBe(
      "listen_addresses = 'localhost'\n",
    );
    expect(modeOf(conf)).toBe(0o640);
    expect(readFileSync(hba, "utf8")).toBe(
      [
        "local all all peer",
        "host all all 10.0.0.0/8 scram-sha-256",
        "# BEGIN runbook configure",
        "host replication replicator 10.0.0.2/32 scram-sha-256",
        "# END runbook configure",
        "",
      ].join("\n"),
    );
    // The backup is the file as the block found it (after the append).
    expect(readFileSync(`${hba}.runbook-bak`, "utf8")).toBe(
      "local all all peer\nhost all all 10.0.0.0/8 scram-sha-256\n",
    );
    expect(readFileSync(pgpass, "utf8")).toBe(`*:5432:*:app:${SECRET}\n`);
    expect(modeOf(pgpass)).toBe(0o600);
    expect(existsSync(`${pgpass}.runbook-bak`)).toBe(false);
    // The diffs are shown, masked.
    expect(r.output).toContain("-listen_addresses = 'localhost'");
    expect(r.output).toContain("+listen_addresses = '*'");
    expect(r.output).toContain("+*:5432:*:app:***");
    expect(r.output).not.toContain(SECRET);
    expect(stateText(r)).not.toContain(SECRET);

    // Again: the replace and the block change nothing, the append appends once more.
    const again = await run(body, dir);
    expect(again.outcome.exitCode).toBe(0);
    expect(again.output).toContain(`${conf}: already up to date`);
    expect(again.output).toContain(`${pgpass}: already up to date`);
    expect(
      readFileSync(hba, "utf8").match(/# BEGIN runbook configure/g),
    ).toHaveLength(1);
    expect(readFileSync(hba, "utf8").match(/10\.0\.0\.0\/8/g)).toHaveLength(2);

    // An append to a file that holds a secret keeps the secret: what is read back is the file, not the masked text shown.
    const more = await run(
      md(
        "## More",
        '```text {on=db1 file="${dir}/pgpass" mode=append}',
        "*:5433:*:app:other",
        "```",
      ),
      dir,
    );
    expect(more.outcome.exitCode).toBe(0);
    expect(readFileSync(pgpass, "utf8")).toBe(
      `*:5432:*:app:${SECRET}\n*:5433:*:app:other\n`,
    );
    expect(more.output).not.toContain(SECRET);
  });

  it("file= on a host that cannot be written says where and why", async () => {
    const dir = tempDir();
    const r = await run(
      md(
        "## Write",
        "```text {on=db1 file=/no/such/dir-4242/x.conf}",
        "a = 1",
        "```",
      ),
      dir,
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      state: "failed",
      message: expect.stringMatching(
        /\/no\/such\/dir-4242\/x\.conf: cannot write on db1: .*No such file or directory/,
      ),
    });
  });
});
