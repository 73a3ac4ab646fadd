import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processInfo } from "../../../engine/actions/process-table.js";
import { waitFor } from "../../helpers/cli.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown, stepEnds } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

describe("shell actions", () => {
  it("runs sh with -e and bash with -euo pipefail", async () => {
    const dir = tempDir();
    const sh = await runMarkdown(
      md("## S", "```sh", "false", "echo after > after-sh", "```"),
      { dir },
    );
    expect(sh.outcome.exitCode).toBe(1);
    expect(existsSync(path.join(dir, "after-sh"))).toBe(false);
    const pipefail = await runMarkdown(
      md("## B", "```bash", "false | true", "echo after > after-bash", "```"),
      { dir },
    );
    expect(pipefail.outcome.exitCode).toBe(1);
    expect(existsSync(path.join(dir, "after-bash"))).toBe(false);
    const unset = await runMarkdown(
      md("## U", "```bash", 'echo "$NO_SUCH_VARIABLE_HERE"', "```"),
      { dir },
    );
    expect(unset.outcome.status).toBe("failed");
  });

  it("gives steps RUNBOOK_* variables, params and captures as environment variables", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  greeting: { default: "hi there" }',
        "---",
        "## First",
        "```sh {capture=who}",
        'echo "  world  "',
        "```",
        "## Second",
        "```sh",
        'echo "$RUNBOOK_STEP|$RUNBOOK_MODE|$greeting|$who|${RUNBOOK_RUN_ID:+id}|$(basename "$RUNBOOK_FILE")" > vars',
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "vars"), "utf8").trim()).toBe(
      "second|live|hi there|world|id|runbook.md",
    );
  });

  it("accepts the expected exit status and fails on another", async () => {
    const dir = tempDir();
    expect(
      (
        await runMarkdown(md("## S", "```sh {exit=3}", "exit 3", "```"), {
          dir,
        })
      ).outcome.exitCode,
    ).toBe(0);
    const wrong = await runMarkdown(
      md("## S", "```sh {exit=3}", "exit 0", "```"),
      { dir },
    );
    expect(wrong.outcome.exitCode).toBe(1);
    expect(wrong.events.find((e) => e.type === "step-end")).toMatchObject({
      state: "failed",
      message: expect.stringContaining("exit status 0, expected 3"),
    });
  });

  it("retries a failing block with a delay", async () => {
    const dir = tempDir();
    // Each try records when it started (ns): the delay is measured between tries, not around the run.
    const r = await runMarkdown(
      md(
        "## S",
        "```sh {retry=2 retry-delay=200ms}",
        'date +%s%N >> tries; test "$(wc -l < tries)" -ge 3',
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    const starts = readFileSync(path.join(dir, "tries"), "utf8")
      .trim()
      .split("\n")
      .map((ns) => Number(BigInt(ns) / 1_000_000n));
    expect(starts).toHaveLength(3);
    for (const [i, at] of starts.slice(1).entries())
      expect(at - (starts[i] ?? 0)).toBeGreaterThanOrEqual(200);
    const never = await runMarkdown(
      md(
        "## S",
        "```sh {retry=1 retry-delay=10ms}",
        "echo try >> attempts; false",
        "```",
      ),
      { dir },
    );
    expect(never.outcome.exitCode).toBe(1);
    expect(
      readFileSync(path.join(dir, "attempts"), "utf8").trim().split("\n"),
    ).toHaveLength(2);
  });

  it("kills the whole process group at the timeout", async () => {
    const dir = tempDir();
    // Both sleeps outlast any test: the run ends only because the timeout killed the group.
    const r = await runMarkdown(
      md(
        "## S",
        "```sh {timeout=500ms}",
        "( sleep 1000; touch survivor ) &",
        "echo $! > child",
        "sleep 1000",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      message: expect.stringContaining("timed out after 500ms"),
    });
    // The background subshell, which would touch the file, is gone (a zombie waiting to be reaped counts as gone).
    const child = Number(readFileSync(path.join(dir, "child"), "utf8"));
    await waitFor(() => gone(child));
    expect(existsSync(path.join(dir, "survivor"))).toBe(false);
  });

  it("leaves background processes of a finished step running (a step may start a server)", async () => {
    const dir = tempDir();
    // A handshake, not a sleep: the background process acts only once the test says so, after the step has ended.
    const r = await runMarkdown(
      md(
        "## S",
        "```sh",
        "( while [ ! -e go ]; do sleep 0.05; done; touch late ) > /dev/null 2>&1 &",
        "echo started",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    writeFileSync(path.join(dir, "go"), "");
    await waitFor(() => existsSync(path.join(dir, "late")));
  });

  it("does not hang on a background process that keeps the output pipe open", async () => {
    const dir = tempDir();
    // The sleep holds stdout and stderr open for longer than any test: the run must end without waiting for it.
    const r = await runMarkdown(
      md(
        "## S",
        "```sh",
        "sleep 1000 &",
        "echo $! > holder",
        "echo done",
        "```",
      ),
      { dir },
    );
    process.kill(
      Number(readFileSync(path.join(dir, "holder"), "utf8")),
      "SIGKILL",
    );
    expect(r.outcome.exitCode).toBe(0);
  });

  it("runs in cwd= relative to where runbook started, and reads nothing from stdin", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## S",
        "```sh {cwd=sub}",
        "pwd > ../where",
        "cat > ../stdin || true",
        "```",
      ),
      { dir: await mkdir(dir, "sub") },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "where"), "utf8").trim()).toBe(
      path.join(dir, "sub"),
    );
    expect(readFileSync(path.join(dir, "stdin"), "utf8")).toBe("");
  });

  it("honours only= (live/rehearsal) and run=false", async () => {
    const dir = tempDir();
    const text = md(
      "## S",
      "```sh {only=live}",
      "touch live",
      "```",
      "```sh {only=rehearsal}",
      "touch rehearsal",
      "```",
      "```sh {run=false}",
      "touch never",
      "```",
    );
    await runMarkdown(text, { dir });
    expect([
      existsSync(path.join(dir, "live")),
      existsSync(path.join(dir, "rehearsal")),
      existsSync(path.join(dir, "never")),
    ]).toEqual([true, false, false]);
    const dir2 = tempDir();
    await runMarkdown(text, { dir: dir2, mode: "rehearsal" });
    expect([
      existsSync(path.join(dir2, "live")),
      existsSync(path.join(dir2, "rehearsal")),
    ]).toEqual([false, true]);
  });

  it("runs as another user with user= (runuser as root)", async () => {
    if (process.getuid?.() !== 0) return expect(process.getuid?.()).not.toBe(0);
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## S",
        "```sh {user=postgres capture=me}",
        "id -un",
        "```",
        "## T",
        "```sh",
        'echo "$me" > who',
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "who"), "utf8").trim()).toBe("postgres");
  });

  it("sends an on= script over ssh on stdin with the variables exported, never in argv", async () => {
    const dir = tempDir();
    const bin = path.join(dir, "bin");
    await mkdir(dir, "bin");
    // A stand-in for OpenSSH: records its argv and runs the remote command with the script on stdin.
    writeFileSync(
      path.join(bin, "ssh"),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/ssh-argv"\nfor last; do :; done\nexec sh -c "$last"\n`,
    );
    chmodSync(path.join(bin, "ssh"), 0o755);
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  db_password: { default: 'p@ss w0rd' }",
        "  target: { default: db1 }",
        "hosts:",
        '  db1: { ssh: "root@${target}.example" }',
        "---",
        "## Remote",
        "```bash {on=db1}",
        'echo "remote sees $db_password in $RUNBOOK_STEP" > ' +
          path.join(dir, "remote-out"),
        "```",
      ),
      { dir, env: { PATH: `${bin}:${process.env["PATH"]}` } },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "remote-out"), "utf8").trim()).toBe(
      "remote sees p@ss w0rd in remote",
    );
    const argv = readFileSync(path.join(dir, "ssh-argv"), "utf8");
    expect(argv).toContain("root@db1.example");
    expect(argv).toContain("BatchMode=yes");
    expect(argv).not.toContain("p@ss w0rd");
    expect(argv).not.toContain("remote sees");
  });

  it("streams output and records it, masked, in the step log", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        "  api_token: { default: tok-123456 }",
        "---",
        "## Out",
        "```sh",
        'echo "line one"; echo "token $api_token" >&2',
        "```",
      ),
      { dir },
    );
    expect(r.output).toContain("line one");
    expect(r.output).toContain("token ***");
    expect(r.output).not.toContain("tok-123456");
    const log = readFileSync(
      path.join(r.stateDir, "runs", r.outcome.runId, "output", "out.log"),
      "utf8",
    );
    expect(log).toContain("token ***");
    expect(log).not.toContain("tok-123456");
  });

  it("reports a command that cannot start", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md("## S", "```sh", "definitely-not-a-command-xyz", "```"),
      { dir },
    );
    expect(stepEnds(r.events)).toEqual([["s", "failed"]]);
    expect(r.output).toMatch(/not found/);
  });
});

async function mkdir(dir: string, name: string): Promise<string> {
  const { mkdirSync } = await import("node:fs");
  mkdirSync(path.join(dir, name), { recursive: true });
  return dir;
}

/** Whether `pid` has ended: no such process, or a zombie that holds nothing. */
function gone(pid: number): boolean {
  const state = processInfo(pid)?.state;
  return state === undefined || state === "Z" || state === "X";
}
