import { homedir } from "node:os";
import { lstat, mkdir } from "node:fs/promises";
import { join } from "node:path";

export interface CacheDirOptions {
  /** An explicit cache directory; used as is. */
  cacheDir?: string | undefined;
  env: Record<string, string | undefined>;
  /** Where the last-resort cache goes. */
  tmpDir: string;
  /** Our uid: a shared temp directory is only trusted when we own it. */
  uid: number;
}

/**
 * Where the initdb template is kept between runs: `cacheDir`, else
 * `$XDG_CACHE_HOME/runbook`, `~/.cache/runbook`, else `<tmpDir>/runbook-cache-<uid>`.
 * Returns undefined when none can be used, and the caller then builds a
 * template for this sandbox alone.
 */
export async function resolveCacheDir(
  options: CacheDirOptions,
): Promise<string | undefined> {
  if (options.cacheDir !== undefined) {
    await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
    return options.cacheDir;
  }
  const home = options.env.HOME || safeHomedir();
  const candidates = [
    options.env.XDG_CACHE_HOME
      ? join(options.env.XDG_CACHE_HOME, "runbook")
      : undefined,
    home === undefined ? undefined : join(home, ".cache", "runbook"),
  ];
  for (const dir of candidates) {
    if (dir === undefined) continue;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      return dir;
    } catch {
      // A read-only or missing home: try the next place.
    }
  }
  return privateTempDir(
    join(options.tmpDir, `runbook-cache-${options.uid}`),
    options.uid,
  );
}

/**
 * The template's configuration is executed by the server, so a directory in a
 * world-writable place is only used if it is ours and nobody else can write it.
 */
async function privateTempDir(
  dir: string,
  uid: number,
): Promise<string | undefined> {
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return undefined;
  }
  try {
    const info = await lstat(dir);
    return info.isDirectory() && info.uid === uid && (info.mode & 0o022) === 0
      ? dir
      : undefined;
  } catch {
    return undefined;
  }
}

function safeHomedir(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
