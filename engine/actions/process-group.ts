import { setTimeout as sleep } from "node:timers/promises";
import {
  ancestry,
  carries,
  listProcesses,
  processInfo,
  type ProcessInfo,
} from "./process-table.js";

export interface StopGroupOptions {
  /**
   * The group's id: the pid of its leader, which runbook started in a
   * session of its own (so the session has the same id).
   */
  readonly pgid: number;
  /** Grace between SIGTERM and SIGKILL. @default 2000 */
  readonly graceMs?: number;
  /** How long SIGKILLed processes may take to be gone. @default 5000 */
  readonly killWaitMs?: number;
  /**
   * The leader was not given a group of its own (an `interactive` block
   * stays in the terminal's foreground group, which is runbook's): stop the
   * leader and its descendants instead of a group.
   */
  readonly descendantsOnly?: boolean;
}

export interface StopGroupResult {
  /** Processes that were still there after SIGKILL (uninterruptible sleep): named in the step's message. */
  readonly left: readonly ProcessInfo[];
}

const POLL_MS = 20;

/**
 * Stops a step's process group and everything that left it: SIGTERM, a
 * grace, SIGKILL, then a check that nothing is left. A member counts while
 * it is in the group, or in the group's session: a job that made a group of
 * its own (`set -m`, a pipeline) stays in the session, and a session id is
 * never reused while a process still holds it. Processes that made a
 * session of their own (`setsid`, `pg_ctl start`) have left the step: a
 * rehearsal's teardown finds those by RUNBOOK_RUN_ID.
 */
export async function stopProcessGroup(
  o: StopGroupOptions,
): Promise<StopGroupResult> {
  if (!hasProc()) return stopGroupBlind(o);
  const never = ancestry(process.pid);
  const known = new Set<number>([o.pgid]);
  const members = (): ProcessInfo[] => {
    const procs = listProcesses().filter((p) => !never.has(p.pid));
    if (!o.descendantsOnly)
      return procs.filter((p) => p.pgid === o.pgid || p.sid === o.pgid);
    // Descendants: a child reparented to init after its parent died is still remembered by pid.
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of procs) {
        if (known.has(p.pid) || !known.has(p.ppid)) continue;
        known.add(p.pid);
        grew = true;
      }
    }
    return procs.filter((p) => known.has(p.pid));
  };
  const signalAll = (signal: NodeJS.Signals): void => {
    // The group at once (atomic against forks inside it), then each member that left it.
    if (!o.descendantsOnly) send(-o.pgid, signal);
    for (const p of members()) send(p.pid, signal);
  };
  const waitGone = async (ms: number): Promise<ProcessInfo[]> => {
    const until = Date.now() + ms;
    for (;;) {
      const left = members();
      if (left.length === 0 || Date.now() >= until) return left;
      await sleep(POLL_MS);
    }
  };
  if (members().length === 0) return { left: [] };
  signalAll("SIGTERM");
  if ((await waitGone(o.graceMs ?? 2000)).length === 0) return { left: [] };
  signalAll("SIGKILL");
  return { left: await waitGone(o.killWaitMs ?? 5000) };
}

/** Without /proc (macOS): the group by its id alone, SIGTERM, a grace, SIGKILL, as far as kill(2) can tell. */
async function stopGroupBlind(o: StopGroupOptions): Promise<StopGroupResult> {
  const target = o.descendantsOnly ? o.pgid : -o.pgid;
  const alive = (): boolean => {
    try {
      process.kill(target, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  for (const [signal, waitMs] of [
    ["SIGTERM", o.graceMs ?? 2000],
    ["SIGKILL", o.killWaitMs ?? 5000],
  ] as const) {
    if (!alive()) return { left: [] };
    send(target, signal);
    const until = Date.now() + waitMs;
    while (alive() && Date.now() < until) await sleep(POLL_MS);
  }
  return {
    left: alive()
      ? [
          {
            pid: o.pgid,
            ppid: 0,
            pgid: o.pgid,
            sid: o.pgid,
            state: "?",
            comm: `process group ${o.pgid}`,
          },
        ]
      : [],
  };
}

let procChecked: boolean | undefined;
function hasProc(): boolean {
  procChecked ??= processInfo(process.pid) !== undefined;
  return procChecked;
}

/**
 * The live processes of a group that runbook started, for `resume`: those in
 * the group or its session whose environment carries `marker` (the run's
 * RUNBOOK_RUN_ID and the step's RUNBOOK_STEP), so that a pid reused since by
 * an unrelated process does not count. A process whose environment cannot be
 * read (another user's) counts: better a question than a second copy.
 */
export function liveGroupMembers(
  pgid: number,
  marker: Readonly<Record<string, string>>,
): ProcessInfo[] {
  return listProcesses().filter(
    (p) =>
      (p.pgid === pgid || p.sid === pgid) && carries(p.pid, marker) !== false,
  );
}

/** Whether a process still exists (and is not a zombie). */
export function isRunning(pid: number): boolean {
  const info = processInfo(pid);
  if (info) return info.state !== "Z" && info.state !== "X";
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}
