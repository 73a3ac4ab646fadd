import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { RunbookError } from "../model/index.js";
import { fsProblem } from "./fs-problem.js";
import { ensurePrivateDir } from "./private-files.js";
import { plural } from "../model/index.js";

export interface RunLock {
  readonly file: string;
  release(): void;
}

/** Who holds a runbook's lock: what a refused second run names. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** Absent in locks written before it was recorded. */
  readonly user?: string;
  readonly runId: string;
  readonly since: string;
}

/** A second run of the same runbook (exit 1): the message names the holder. */
export class LockedError extends RunbookError {
  constructor(
    message: string,
    readonly holder?: LockHolder,
  ) {
    super("STOPPED", message);
    this.name = "LockedError";
  }
}

export interface LockOptions {
  /** The folder the lock file goes in (created 0700). */
  readonly dir: string;
  /** The runbook's identity: the lock is keyed by it (SPEC 2). */
  readonly identity: string;
  /** How a refusal names the runbook. */
  readonly label: string;
  readonly runId: string;
  readonly pid: number;
  /** Who runs it, named to whoever is refused. */
  readonly user?: string;
  /** @default os.hostname() */
  readonly host?: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Makes sure only one run of a runbook proceeds at a time among those that
 * see `dir`. The lock file names its holder; a lock whose holder process is
 * gone (on this host) is stale and taken over, so a crash never leaves a
 * runbook locked.
 *
 * @throws {LockedError} when another live run holds it, or the folder cannot hold a lock.
 */
export function acquireRunLock(options: LockOptions): RunLock {
  const file = lockFile(options.dir, options.identity);
  try {
    ensurePrivateDir(options.dir);
  } catch (error) {
    throw new LockedError(
      `cannot use the lock folder ${options.dir}: ${fsProblem(error, options.dir)}`,
    );
  }
  const now = options.now ?? (() => new Date());
  const host = options.host ?? hostname();
  const info: LockHolder = {
    pid: options.pid,
    host,
    ...(options.user ? { user: options.user } : {}),
    runId: options.runId,
    since: now().toISOString(),
  };
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify(info));
      } finally {
        closeSync(fd);
      }
      return { file, release: () => releaseIfOurs(file, info) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        rmSync(file, { force: true });
        throw new LockedError(
          `cannot lock ${options.label} in ${options.dir}: ${fsProblem(error, file)}`,
        );
      }
    }
    const holder = readLock(file);
    if (holder && holder.host === info.host && holder.pid === info.pid)
      return { file, release: () => releaseIfOurs(file, holder) };
    if (holder && (holder.host !== info.host || isAlive(holder.pid)))
      throw new LockedError(
        lockedMessage(options.label, holder, `remove ${file}`, now()),
        holder,
      );
    rmSync(file, { force: true });
  }
  throw new LockedError(
    `cannot lock ${options.label}: its lock ${file} keeps changing hands; try again`,
  );
}

/** The live holder of an identity's lock in `dir` (another process), if any: a command can refuse before it starts anything. */
export function runLockHolder(options: {
  readonly dir: string;
  readonly identity: string;
  readonly pid: number;
  readonly host?: string;
}): (LockHolder & { readonly file: string }) | undefined {
  const file = lockFile(options.dir, options.identity);
  const holder = readLock(file);
  if (!holder) return undefined;
  if (
    holder.host === (options.host ?? hostname()) &&
    (holder.pid === options.pid || !isAlive(holder.pid))
  )
    return undefined;
  return { ...holder, file };
}

/** The words of a refused second run: who holds the runbook, where, since when, and what to do. */
export function lockedMessage(
  runbook: string,
  holder: LockHolder,
  freeIt: string,
  now = new Date(),
): string {
  const who = `${holder.user ? `${holder.user} on ` : "on "}${holder.host}`;
  const since = `since ${holder.since}${ago(holder.since, now)}`;
  const advice =
    holder.host === hostname()
      ? `wait for it to end, or stop it (kill ${holder.pid}); a run whose process has died frees its lock by itself`
      : `it runs on another host, so runbook cannot tell whether it is still alive: wait for it, or if it is gone for good ${freeIt}`;
  return `another run of ${runbook} is in progress (run ${holder.runId}, by ${who}, pid ${holder.pid}, ${since}): ${advice}`;
}

function lockFile(dir: string, identity: string): string {
  const key = createHash("sha256").update(identity).digest("hex").slice(0, 24);
  return path.join(dir, `${key}.lock`);
}

function ago(since: string, now: Date): string {
  const ms = now.getTime() - Date.parse(since);
  if (!Number.isFinite(ms) || ms < 0) return "";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return ", less than a minute ago";
  if (minutes < 120) return `, ${plural(minutes, "minute")} ago`;
  return `, ${Math.round(minutes / 60)} hours ago`;
}

function readLock(file: string): LockHolder | undefined {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<LockHolder>;
    if (typeof data.pid !== "number" || typeof data.host !== "string")
      return undefined;
    return {
      pid: data.pid,
      host: data.host,
      ...(typeof data.user === "string" ? { user: data.user } : {}),
      runId: String(data.runId ?? "?"),
      since: String(data.since ?? "?"),
    };
  } catch {
    return undefined; // missing, unreadable or half-written: treated as stale
  }
}

function releaseIfOurs(file: string, info: LockHolder): void {
  const holder = readLock(file);
  if (holder && holder.pid === info.pid && holder.runId === info.runId)
    rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
