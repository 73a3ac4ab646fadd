import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  runProcess,
  type ProcessOptions,
} from "../../../engine/actions/process.js";
import {
  listProcesses,
  processInfo,
} from "../../../engine/actions/process-table.js";
import { waitFor } from "../../helpers/cli.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

/** Every live process of the group or the session `pgid` leads. */
function groupLeft(pgid: number): string[] {
  return listProcesses()
    .filter((p) => p.pgid === pgid || p.sid === pgid)
    .map((p) => `${p.comm} (pid ${p.pid}, pgid ${p.pgid}, sid ${p.sid})`);
}

/** Runs `script` with bash in its own group, as a step's block runs, and reports the group id it had. */
async function run(
  script: string,
  options: Partial<ProcessOptions> = {},
): Promise<{
  result: Awaited<ReturnType<typeof runProcess>>;
  pgid: number;
  output: string;
}> {
  let pgid = 0;
  let output = "";
  const result = await runProcess({
    command: "bash",
    args: ["-c", script],
    env: {
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      RUNBOOK_RUN_ID: "test-run",
      RUNBOOK_STEP: "test-step",
    },
    cwd: process.cwd(),
    stdin: "ignore",
    secrets: [],
    onOutput: (_s, text) => (output += text),
    onSpawn: (id) => (pgid = id),
    killGraceMs: 300,
    ...options,
  });
  // Whatever a test left on purpose is removed after it, whatever happens.
  onTestFinished(() => {
    for (const p of listProcesses())
      if (p.sid === pgid || p.pgid === pgid) process.kill(p.pid, "SIGKILL");
  });
  return { result, pgid, output };
}

describe("a step's process group is gone after a timeout, an interrupt or a failure (SPEC 1.2, 1.3)", () => {
  it("a timeout kills a member that ignores SIGTERM after the leader has exited", async () => {
    // The leader dies of SIGTERM; its background child ignores it and would live on.
    const { result, pgid } = await run(
      `( trap '' TERM; exec sleep 1000 ) & echo started; exec sleep 1000`,
      { timeoutMs: 500 },
    );
    expect(result.timedOut).toBe(true);
    expect(pgid).toBeGreaterThan(0);
    // No waiting: the promise settles only once nothing of the group is left.
    expect(groupLeft(pgid)).toEqual([]);
  });

  it("a timeout kills a leader that ignores SIGTERM, and its children", async () => {
    const { result, pgid } = await run(
      `trap '' TERM; sleep 1000 & sleep 1000 & wait`,
      { timeoutMs: 300 },
    );
    expect(result.timedOut).toBe(true);
    expect(groupLeft(pgid)).toEqual([]);
  });

  it("an interrupt kills a job that made a process group of its own but stayed in the session", async () => {
    const controller = new AbortController();
    let bgPid = 0;
    const running = run(`set -m; sleep 1000 & echo "bg $!"; sleep 1000`, {
      signal: controller.signal,
      onOutput: (_s, text) => {
        const m = /bg (\d+)/.exec(text);
        if (m) bgPid = Number(m[1]);
      },
    });
    await waitFor(() => bgPid > 0 && processInfo(bgPid) !== undefined);
    const bg = processInfo(bgPid);
    // It really left the group (job control), but not the session.
    expect(bg?.pgid).toBe(bgPid);
    expect(bg?.sid).not.toBe(bgPid);
    controller.abort();
    const { result, pgid } = await running;
    expect(result.interrupted).toBe(true);
    expect(bg?.sid).toBe(pgid);
    expect(groupLeft(pgid)).toEqual([]);
    // Gone, or a zombie waiting for init to reap it: it holds nothing.
    expect(processInfo(bgPid)?.state ?? "Z").toBe("Z");
  });

  it("a failed script leaves nothing running; a successful one may leave a server behind", async () => {
    const failed = await run(
      `( trap '' TERM; exec sleep 1000 ) & sleep 0.1; exit 3`,
      { expectedExit: 0 },
    );
    expect(failed.result.exitCode).toBe(3);
    expect(groupLeft(failed.pgid)).toEqual([]);

    const ok = await run(`sleep 1000 >/dev/null 2>&1 & exit 0`, {
      expectedExit: 0,
    });
    expect(ok.result.exitCode).toBe(0);
    expect(groupLeft(ok.pgid)).toHaveLength(1);
  });

  it("a process that takes SIGTERM is not made to wait for the grace", async () => {
    // The grace outlasts the test's own timeout: a run that waited for it would fail the test, whatever the load.
    const { result, pgid } = await run(`sleep 1000 & sleep 1000`, {
      timeoutMs: 200,
      killGraceMs: 600_000,
    });
    expect(result.timedOut).toBe(true);
    expect(groupLeft(pgid)).toEqual([]);
  });

  it("through the engine: the group is journaled when it starts, and a timed-out step leaves nothing", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## S",
        "```bash {timeout=1s}",
        `( trap '' TERM; exec sleep 1000 ) &`,
        "echo $$ > leader",
        "exec sleep 1000",
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(1);
    const leader = Number(readFileSync(path.join(dir, "leader"), "utf8"));
    const group = r.journal.find((e) => e.type === "group");
    expect(group).toMatchObject({ type: "group", step: "s", pgid: leader });
    const start = r.journal.findIndex((e) => e.type === "step-start");
    expect(r.journal.indexOf(group!)).toBe(start + 1);
    expect(groupLeft(leader)).toEqual([]);
    // And nothing anywhere carries this run's id any more.
    const runId = r.outcome.runId;
    const carriers = listProcesses().filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, "latin1")
          .split("\0")
          .includes(`RUNBOOK_RUN_ID=${runId}`);
      } catch {
        return false;
      }
    });
    expect(carriers).toEqual([]);
  });
});
