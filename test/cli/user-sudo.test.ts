/**
 * SPEC 1.3 `user=` and SPEC 3 "Remote targets are real": as an ordinary
 * user, `user=postgres` goes through `sudo -n`. The test makes an
 * unprivileged OS user and a sudoers rule for it (both removed afterwards)
 * and runs the built CLI as that user with runuser. Without the rule the run
 * says so in one line: never a password prompt, never a hang.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, collect, waitFor, type CliResult } from "../helpers/cli.js";
import { md, parse } from "../helpers/parse.js";
import { requireThat } from "../helpers/require.js";
import { runMarkdown } from "../helpers/run.js";
import { resolveParams } from "../../engine/params/index.js";
import { runPreflight } from "../../engine/preflight/index.js";
import { sshdUnavailable, startSshd, type TestSshd } from "../helpers/sshd.js";
import { tempDir } from "../helpers/temp.js";

/** Why these tests cannot run here, or undefined. */
function unavailable(): string | undefined {
  if (process.getuid?.() !== 0)
    return "root (to create a user and a sudoers rule)";
  for (const tool of [
    "/usr/bin/sudo",
    "/usr/sbin/useradd",
    "/usr/sbin/userdel",
    "/usr/sbin/visudo",
    "/usr/sbin/runuser",
  ])
    if (!existsSync(tool)) return `${tool} (.ci/run installs sudo)`;
  if (spawnSync("getent", ["passwd", "postgres"]).status !== 0)
    return "an OS user postgres (apt-get install postgresql)";
  if (!existsSync(CLI)) return `the built CLI at ${CLI} (npm run build)`;
  return undefined;
}

const missing = unavailable();
const suffix = randomBytes(3).toString("hex");
/** Two ordinary users: one allowed to become postgres without a password, one with no rule at all. */
const ALLOWED = `rbop${suffix}`;
const STRANGER = `rbno${suffix}`;
const SUDOERS = `/etc/sudoers.d/runbook-test-${suffix}`;
let home = "";

function sh(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

beforeAll(() => {
  if (missing) return;
  home = mkdtempSync(path.join(tmpdir(), "runbook-sudo-"));
  chmodSync(home, 0o755);
  for (const user of [ALLOWED, STRANGER]) {
    // Password '*': no password logs in, but the account is not locked (sshd refuses a locked one).
    sh("useradd", [
      "--no-create-home",
      "--home-dir",
      path.join(home, user),
      "--shell",
      "/bin/sh",
      "--no-user-group",
      "--password",
      "*",
      user,
    ]);
    const dir = path.join(home, user);
    sh("mkdir", ["-m", "0755", dir]);
    chownSync(
      dir,
      Number(spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout),
      0,
    );
  }
  sh("mkdir", ["-m", "1777", path.join(home, "shared")]);
  const rule = path.join(home, "rule");
  writeFileSync(rule, `${ALLOWED} ALL=(postgres) NOPASSWD: ALL\n`, {
    mode: 0o440,
  });
  sh("visudo", ["-c", "-q", "-f", rule]);
  writeFileSync(SUDOERS, `${ALLOWED} ALL=(postgres) NOPASSWD: ALL\n`, {
    mode: 0o440,
  });
});

afterAll(() => {
  if (missing) return;
  rmSync(SUDOERS, { force: true });
  for (const user of [ALLOWED, STRANGER]) spawnSync("userdel", [user]);
  rmSync(home, { recursive: true, force: true });
});

/** Runs `runbook run --yes` on `markdown` as the OS user `user`, in that user's home. */
function runAs(
  user: string,
  markdown: string,
  extra: readonly string[] = [],
): { file: string; dir: string; done: Promise<CliResult> } {
  const dir = path.join(home, user);
  const file = path.join(dir, `runbook-${randomBytes(3).toString("hex")}.md`);
  writeFileSync(file, markdown);
  chownSync(
    file,
    Number(spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout),
    0,
  );
  const child = spawn(
    "/usr/sbin/runuser",
    [
      "-u",
      user,
      "--",
      process.execPath,
      CLI,
      "run",
      "--yes",
      "--reporter",
      "plain",
      file,
      ...extra,
    ],
    {
      cwd: dir,
      env: {
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: dir,
        LANG: "C.UTF-8",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  return { file, dir, done: collect(child, 120_000) };
}

function pgrep(pattern: string): string[] {
  return spawnSync("pgrep", ["-a", "-f", pattern], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((l) => l !== "");
}

const FM = md(
  "---",
  "params:",
  '  greeting: { default: "hello from a param" }',
  "---",
);

describe("user= as an ordinary user, through sudo -n (SPEC 1.3, 3)", () => {
  beforeAll(() => requireThat(missing === undefined, missing ?? ""));

  it("runs user=postgres blocks and checks as postgres, with the params in their environment", async () => {
    const { done } = runAs(
      ALLOWED,
      FM +
        md(
          "## As postgres",
          "```sh {user=postgres}",
          'echo "block: $(id -un) says $greeting"',
          "```",
          "```console {user=postgres}",
          "$ id -un",
          "postgres",
          "```",
          '::check{sh="id -un" user=postgres expect="postgres"}',
          "## As the invoking user",
          "```sh",
          'echo "plain: $(id -un)"',
          "```",
        ),
    );
    const r = await done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("block: postgres says hello from a param");
    expect(r.stdout).toContain(`plain: ${ALLOWED}`);
  });

  it("a timeout stops a user=postgres block whole, also as an ordinary user", async () => {
    const marker = `sleep ${1000 + randomInt(1000)}.${randomInt(100_000, 999_999)}`;
    const { done } = runAs(
      ALLOWED,
      FM +
        md(
          "## Sleeps",
          "```sh {user=postgres timeout=8s}",
          `( trap '' TERM; exec ${marker} ) &`,
          marker,
          "```",
        ),
    );
    let ended = false;
    void done.finally(() => (ended = true));
    // Both sleeps run as postgres before the timeout: there is something to stop.
    await waitFor(
      () =>
        ended || pgrep(marker).filter((l) => l.includes(" sleep ")).length >= 2,
      30_000,
    );
    expect(ended).toBe(false);
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/timed out after 8s/);
    await waitFor(() => pgrep(marker).length === 0, 15_000);
  });

  it("without a sudoers rule: one clear line, no password prompt, no hang, and the block does not run", async () => {
    const marker = path.join(home, "shared", "ran-as-postgres");
    const { done } = runAs(
      STRANGER,
      FM +
        md("## As postgres", "```sh {user=postgres}", `touch ${marker}`, "```"),
    );
    const started = Date.now();
    const r = await done;
    expect(r.signal, "the run hung and was killed").toBeNull();
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(1);
    const all = r.stdout + r.stderr;
    expect(all).toMatch(
      /could not start: cannot run as postgres: sudo -n says "a password is required"; runbook never asks for a password: a sudoers rule with NOPASSWD for this user is needed, or run runbook as root/,
    );
    expect(all).not.toMatch(/\[sudo\] password for/);
    expect(existsSync(marker)).toBe(false);
  });
});

/**
 * The same on a host: ssh logs in as an ordinary user (through an alias of a
 * generated ssh_config), and the supervisor there becomes postgres with
 * `sudo -n`, then stops the script's group itself on a timeout.
 */
describe("user= on a host where ssh logs in as an ordinary user: sudo -n there (SPEC 3)", () => {
  const noSshd = sshdUnavailable();
  let sshd: TestSshd | undefined;
  beforeAll(async () => {
    requireThat(
      missing === undefined && noSshd === undefined,
      missing ?? `a real sshd: ${noSshd ?? ""}`,
    );
    sshd = await startSshd();
    for (const [alias, user] of [
      ["op", ALLOWED],
      ["stranger-op", STRANGER],
    ] as const) {
      sshd.authorize(user);
      sshd.alias(alias, { user });
    }
  });
  afterAll(() => sshd?.stop());
  const HOSTS = md(
    "---",
    "params:",
    '  greeting: { default: "hello from a param" }',
    "hosts:",
    '  db: { ssh: "op" }',
    '  other: { ssh: "stranger-op" }',
    "---",
  );

  it("runs user=postgres as postgres, and a timeout leaves nothing of it on the host", async () => {
    const dir = tempDir();
    const marker = `sleep ${1000 + randomInt(1000)}.${randomInt(100_000, 999_999)}`;
    const running = runMarkdown(
      HOSTS +
        md(
          "## Who",
          "```sh {on=db}",
          'echo "login: $(id -un)"',
          "```",
          "```sh {on=db user=postgres}",
          'echo "block: $(id -un) says $greeting"',
          "```",
          "## Sleeps",
          "```sh {on=db user=postgres timeout=12s}",
          `( trap '' TERM; exec ${marker} ) &`,
          marker,
          "```",
        ),
      { dir, env: sshd?.env() ?? {} },
    );
    let ended = false;
    void running.finally(() => (ended = true));
    await waitFor(
      () =>
        ended || pgrep(marker).filter((l) => l.includes(" sleep ")).length >= 2,
      60_000,
    );
    expect(ended, "the run ended before its sleeps were seen on the host").toBe(
      false,
    );
    const r = await running;
    expect(r.output).toContain(`login: ${ALLOWED}`);
    expect(r.output).toContain("block: postgres says hello from a param");
    expect(
      r.events
        .filter((e) => e.type === "step-end")
        .map((e) => e.type === "step-end" && [e.stepId, e.state]),
    ).toEqual([
      ["who", "done"],
      ["sleeps", "failed"],
    ]);
    await waitFor(() => pgrep(marker).length === 0, 15_000);
  });

  it("without a sudoers rule on the host: one clear line, and the block does not run", async () => {
    const dir = tempDir();
    const marker = path.join(home, "shared", "ran-on-host-as-postgres");
    const r = await runMarkdown(
      HOSTS +
        md(
          "## As postgres",
          "```sh {on=other user=postgres}",
          `touch ${marker}`,
          "```",
        ),
      { dir, env: sshd?.env() ?? {} },
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      state: "failed",
      message: `sh block at line 9: could not start: cannot run as postgres: sudo -n -u postgres asks ${STRANGER} for a password (a sudoers rule with NOPASSWD is needed) (host other)`,
    });
    expect(r.output).not.toMatch(/\[sudo\] password for/);
    expect(existsSync(marker)).toBe(false);
  });

  it("preflight reports the missing rule as a ✘ line with what to do", async () => {
    const { runbook } = parse(
      HOSTS +
        md(
          "## As postgres",
          "```sh {on=other user=postgres}",
          "pg_ctl --version",
          "```",
          "## Allowed",
          "```sh {on=db user=postgres}",
          "pg_ctl --version",
          "```",
        ),
    );
    const r = await runPreflight({
      runbook,
      params: resolveParams(runbook, { set: {}, env: {}, mode: "live" }).values,
      env: sshd?.env() ?? {},
      cwd: tempDir(),
      isRoot: true,
      signal: new AbortController().signal,
    });
    expect(
      r.probes.find((p) => p.subject === "programs on host other as postgres"),
    ).toMatchObject({
      state: "fail",
      why: expect.stringContaining(
        `cannot run as postgres: sudo -n -u postgres asks ${STRANGER} for a password`,
      ),
      fix: "add a sudoers rule with NOPASSWD on host other that lets the login user run commands as postgres (or log in as root)",
    });
    expect(r.probes.find((p) => p.subject === "host db")).toMatchObject({
      state: "pass",
    });
  });
});
