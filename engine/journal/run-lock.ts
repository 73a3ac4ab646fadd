import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { ensurePrivateDir } from './private-files.js';

export interface RunLock {
  readonly file: string;
  release(): void;
}

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly runId: string;
  readonly since: string;
}

export class LockedError extends Error {}

/**
 * Makes sure only one run of a runbook proceeds in a state dir at a time. The
 * lock file names its holder; a lock whose holder process is gone (on this
 * host) is stale and taken over, so a crash never leaves a runbook locked.
 */
export function acquireRunLock(options: { stateDir: string; runbookFile: string; runId: string; pid: number }): RunLock {
  const dir = path.join(options.stateDir, 'locks');
  ensurePrivateDir(dir);
  const key = createHash('sha256').update(path.resolve(options.runbookFile)).digest('hex').slice(0, 24);
  const file = path.join(dir, `${key}.lock`);
  const info: LockInfo = { pid: options.pid, host: hostname(), runId: options.runId, since: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      return { file, release: () => releaseIfOurs(file, info) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder && holder.host === info.host && holder.pid === info.pid) return { file, release: () => releaseIfOurs(file, holder) };
    if (holder && (holder.host !== info.host || isAlive(holder.pid))) {
      throw new LockedError(`another run of ${options.runbookFile} is in progress (run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.since}); wait for it or stop it first`);
    }
    rmSync(file, { force: true });
  }
  throw new LockedError(`cannot lock ${file}`);
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function releaseIfOurs(file: string, info: LockInfo): void {
  const holder = readLock(file);
  if (holder && holder.pid === info.pid && holder.runId === info.runId) rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
