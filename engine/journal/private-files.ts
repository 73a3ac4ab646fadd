import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync } from "node:fs";

/** Creates `dir` (and parents) readable by the owner only; tightens an existing one. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Makes a new directory entry durable (after creating a file in it). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the file's own fsync still holds.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
