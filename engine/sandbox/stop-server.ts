import { readFile, readdir, readlink, realpath } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxError } from "./sandbox-error.js";

/** How long an immediate shutdown may take before SIGKILL. */
const QUIT_TIMEOUT_MS = 10_000;

/**
 * Stops the postmaster of `dataDir`, if one runs, with an immediate shutdown
 * (SIGQUIT: no checkpoint, the data is thrown away), waiting until it has
 * exited. Doing this ourselves rather than with `pg_ctl stop` polls every
 * 10ms instead of 100ms and needs no runuser. Does nothing for a stopped
 * server or a stale postmaster.pid.
 */
export async function stopServer(dataDir: string): Promise<void> {
  const pid = await postmasterPid(dataDir);
  if (pid === undefined || !(await isPostmasterOf(pid, dataDir))) return;
  for (const [signal, waitMs] of [
    ["SIGQUIT", QUIT_TIMEOUT_MS],
    ["SIGKILL", 5_000],
  ] as const) {
    if (!send(pid, signal)) return;
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!(await isAlive(pid))) return;
      await sleep(10);
    }
  }
  throw new SandboxError(
    `PostgreSQL (pid ${pid}) of ${dataDir} did not exit after SIGQUIT and SIGKILL: stop it by hand (kill -9 ${pid}).`,
  );
}

/**
 * Every data directory under `root` with a postmaster.pid: the sandbox's
 * clusters and any a rehearsal made there (a replica from pg_basebackup).
 */
export async function findRunningDataDirs(
  root: string,
  depth = 4,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  if (names.includes("PG_VERSION"))
    return names.includes("postmaster.pid") ? [root] : [];
  if (depth === 0) return [];
  const nested = await Promise.all(
    names.map((name) => findRunningDataDirs(join(root, name), depth - 1)),
  );
  return nested.flat();
}

async function postmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number(
      (await readFile(join(dataDir, "postmaster.pid"), "utf8")).split(
        "\n",
        1,
      )[0],
    );
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A pid from a stale postmaster.pid may belong to an unrelated process by now.
 * The postmaster's working directory is its data directory; where /proc
 * cannot tell, trust the pid file as pg_ctl does.
 */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  let cwd: string;
  try {
    cwd = await readlink(`/proc/${pid}/cwd`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      return (await procAvailable()) ? false : isAlive(pid);
    return isAlive(pid);
  }
  return cwd === (await realpath(dataDir).catch(() => dataDir));
}

async function procAvailable(): Promise<boolean> {
  return readlink("/proc/self/cwd").then(
    () => true,
    () => false,
  );
}

/** Alive and not a zombie: an exited postmaster reparented to a PID 1 that never reaps is gone for us. */
async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

function send(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
