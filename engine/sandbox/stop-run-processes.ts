import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ancestry,
  listProcesses,
  processCwd,
  processEnviron,
  type ProcessInfo,
} from "../actions/index.js";

/** A process of a run that was still running at the end, and how it was stopped. */
export interface StoppedProcess {
  readonly pid: number;
  /** `postgres`, `sleep`, … */
  readonly name: string;
  /** The step that started it (its RUNBOOK_STEP). */
  readonly step?: string;
  /** A postmaster's data directory. */
  readonly dataDir?: string;
  /** `fast shutdown`, `SIGTERM`, `SIGKILL`; `still running` when even SIGKILL did not end it. */
  readonly how:
    | "fast shutdown"
    | "immediate shutdown"
    | "SIGTERM"
    | "SIGKILL"
    | "still running";
}

export interface StopRunProcessesOptions {
  /**
   * Environment entries that mark a process as the run's: any one of them
   * (`RUNBOOK_RUN_ID=<id>`, `RUNBOOK_SANDBOX_DIR=<root>`).
   */
  readonly markers: Readonly<Record<string, string>>;
  /** How long a fast shutdown may take before an immediate one, then SIGKILL. @default 30000 */
  readonly shutdownMs?: number;
  /** Grace between SIGTERM and SIGKILL for other processes. @default 2000 */
  readonly graceMs?: number;
}

const POLL_MS = 20;

/**
 * Stops every process that a run's steps left running (SPEC 3, `rehearse`):
 * those whose environment (/proc/<pid>/environ, as it was when they started)
 * carries one of `markers`, whatever group or session they moved to
 * (`pg_ctl start` puts the server in a session of its own). A postmaster
 * gets a fast shutdown (SIGINT, like `pg_ctl stop -m fast`), then an
 * immediate one, then SIGKILL; anything else SIGTERM, a grace, SIGKILL.
 * Never runbook itself or a process above it.
 */
export async function stopRunProcesses(
  o: StopRunProcessesOptions,
): Promise<StoppedProcess[]> {
  const never = ancestry(process.pid);
  const stopped: StoppedProcess[] = [];
  const seen = new Set<number>();
  // A second round catches what a stopped process started while it went (a supervisor's last respawn).
  for (let round = 0; round < 3; round++) {
    const found = listProcesses().filter(
      (p) =>
        !never.has(p.pid) && !seen.has(p.pid) && isMarked(p.pid, o.markers),
    );
    if (found.length === 0) break;
    for (const p of found) seen.add(p.pid);
    const postmasters = new Set(found.filter(isPostmaster).map((p) => p.pid));
    // A postmaster's own children go with it; stopping them one by one would crash it instead.
    const others = found.filter(
      (p) => !postmasters.has(p.pid) && !postmasters.has(p.ppid),
    );
    const results = await Promise.all([
      ...found
        .filter((p) => postmasters.has(p.pid))
        .map((p) => stopPostmaster(p, o.shutdownMs ?? 30_000)),
      ...others.map((p) => stopProcess(p, o.graceMs ?? 2000)),
    ]);
    stopped.push(...results);
  }
  return stopped;
}

/** `stopped: postgres (pid 1234) started by step "follower" (fast shutdown of /tmp/…/data)`. */
export function describeStopped(p: StoppedProcess): string {
  const by = p.step ? ` started by step "${p.step}"` : "";
  const how = p.dataDir ? `${p.how} of ${p.dataDir}` : p.how;
  return p.how === "still running"
    ? `could not stop: ${p.name} (pid ${p.pid})${by}: stop it by hand (kill -9 ${p.pid})`
    : `stopped: ${p.name} (pid ${p.pid})${by} (${how})`;
}

function isMarked(
  pid: number,
  markers: Readonly<Record<string, string>>,
): boolean {
  const env = processEnviron(pid);
  return (
    env !== undefined &&
    Object.entries(markers).some(([k, v]) => env.get(k) === v)
  );
}

/** A postmaster runs in its data directory, whose postmaster.pid names it. */
function isPostmaster(p: ProcessInfo): boolean {
  if (p.comm !== "postgres" && p.comm !== "postmaster") return false;
  const cwd = processCwd(p.pid);
  if (!cwd) return false;
  try {
    return (
      Number(
        readFileSync(join(cwd, "postmaster.pid"), "utf8").split("\n", 1)[0],
      ) === p.pid
    );
  } catch {
    return false;
  }
}

async function stopPostmaster(
  p: ProcessInfo,
  shutdownMs: number,
): Promise<StoppedProcess> {
  const dataDir = processCwd(p.pid);
  const base = {
    pid: p.pid,
    name: p.comm,
    ...stepOf(p.pid),
    ...(dataDir ? { dataDir } : {}),
  };
  // SIGINT: fast shutdown (clients disconnected, a checkpoint); SIGQUIT: immediate.
  for (const [signal, waitMs, how] of [
    ["SIGINT", shutdownMs, "fast shutdown"],
    ["SIGQUIT", 5000, "immediate shutdown"],
    ["SIGKILL", 5000, "SIGKILL"],
  ] as const) {
    send(p.pid, signal);
    if (await gone(p.pid, waitMs)) return { ...base, how };
  }
  return { ...base, how: "still running" };
}

async function stopProcess(
  p: ProcessInfo,
  graceMs: number,
): Promise<StoppedProcess> {
  const base = { pid: p.pid, name: p.comm, ...stepOf(p.pid) };
  send(p.pid, "SIGTERM");
  if (await gone(p.pid, graceMs)) return { ...base, how: "SIGTERM" };
  send(p.pid, "SIGKILL");
  if (await gone(p.pid, 5000)) return { ...base, how: "SIGKILL" };
  return { ...base, how: "still running" };
}

function stepOf(pid: number): { step?: string } {
  const step = processEnviron(pid)?.get("RUNBOOK_STEP");
  return step ? { step } : {};
}

/** Waits until `pid` has exited (a zombie counts as exited), up to `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    const state = statState(pid);
    if (state === undefined || state === "Z" || state === "X") return true;
    if (Date.now() >= until) return false;
    await sleep(POLL_MS);
  }
}

function statState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0];
  } catch {
    return undefined;
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}
