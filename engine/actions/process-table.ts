import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** One live process as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group id. */
  readonly pgid: number;
  /** Session id. */
  readonly sid: number;
  /** `R`, `S`, `D`, `Z`, … (`Z`: exited, not yet reaped: it holds nothing). */
  readonly state: string;
  /** The program name (at most 15 characters, from /proc/<pid>/stat). */
  readonly comm: string;
}

/**
 * Every process this host's /proc shows, zombies excluded: a zombie has
 * exited and holds no resource but its pid. Empty where there is no /proc.
 */
export function listProcesses(): ProcessInfo[] {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = processInfo(Number(name));
    if (info && info.state !== "Z" && info.state !== "X") out.push(info);
  }
  return out;
}

/** What /proc/<pid>/stat says, or undefined when the process is gone. */
export function processInfo(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp session …"; comm may itself hold spaces and parentheses.
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const [state = "?", ppid = "0", pgid = "0", sid = "0"] = stat
    .slice(close + 2)
    .split(" ");
  return {
    pid,
    ppid: Number(ppid),
    pgid: Number(pgid),
    sid: Number(sid),
    state,
    comm: stat.slice(open + 1, close),
  };
}

/**
 * A process's environment as it was when it started (/proc/<pid>/environ),
 * or undefined when it cannot be read (another user's process, gone).
 */
export function processEnviron(pid: number): Map<string, string> | undefined {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/environ`, "latin1");
  } catch {
    return undefined;
  }
  const env = new Map<string, string>();
  for (const entry of raw.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** Whether the process's environment holds every `name=value` of `marker`; undefined when it cannot be read. */
export function carries(
  pid: number,
  marker: Readonly<Record<string, string>>,
): boolean | undefined {
  const env = processEnviron(pid);
  if (!env) return undefined;
  return Object.entries(marker).every(([k, v]) => env.get(k) === v);
}

/** The process's working directory, or undefined. */
export function processCwd(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** `sleep (pid 1234)`, for messages. */
export function describeProcess(p: Pick<ProcessInfo, "pid" | "comm">): string {
  return `${p.comm} (pid ${p.pid})`;
}

/** `pid` and every process above it: never signal these. */
export function ancestry(pid: number): Set<number> {
  const out = new Set<number>();
  for (
    let p: number | undefined = pid;
    p !== undefined && p > 0 && !out.has(p);
    p = processInfo(p)?.ppid
  )
    out.add(p);
  return out;
}
