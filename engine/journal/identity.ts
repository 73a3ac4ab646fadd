import { existsSync } from "node:fs";
import path from "node:path";

/** What a runbook is called for the run lock and in shared state (SPEC 2). */
export interface RunbookIdentity {
  /** Front matter `id:`, else the path from the git repository's root (`/`-separated), else the file name. */
  readonly key: string;
  /** How the key was found. */
  readonly from: "id" | "git" | "file";
  /** The runbook's path relative to its git repository's root, when it is in one: resume finds it there on another machine. */
  readonly repoPath?: string;
}

/**
 * A runbook's identity: the same runbook has the same one in two clones, on
 * two machines and under two state dirs, so the lock keyed by it refuses a
 * second run anywhere it can be seen.
 */
export function runbookIdentity(
  runbook: { readonly id?: string; readonly file: string },
  cwd: string,
): RunbookIdentity {
  const file = path.resolve(cwd, runbook.file);
  const root = gitRoot(path.dirname(file));
  const repoPath =
    root === undefined
      ? undefined
      : path.relative(root, file).split(path.sep).join("/");
  if (runbook.id !== undefined)
    return {
      key: runbook.id,
      from: "id",
      ...(repoPath !== undefined ? { repoPath } : {}),
    };
  if (repoPath !== undefined) return { key: repoPath, from: "git", repoPath };
  return { key: path.basename(file), from: "file" };
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree or submodule). */
export function gitRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}
