import { existsSync } from "node:fs";
import path from "node:path";
import { gitRoot, type RunEntry } from "../engine/journal/index.js";
import { usageError } from "../engine/model/index.js";
import type { Io } from "./io.js";

/**
 * Where the runbook of a run is on this machine (SPEC 2): `--file`; else its
 * recorded path from the git root, under the git repository of the current
 * directory (another machine, another clone: the operator's own checkout
 * wins); else the recorded absolute path, if it exists.
 */
export function findRunbook(
  run: RunEntry,
  given: string | undefined,
  io: Io,
): string {
  if (given !== undefined) {
    const file = path.resolve(io.cwd, given);
    if (!existsSync(file)) throw usageError(`--file ${given}: no such file`);
    return file;
  }
  const recorded = run.file;
  const root = gitRoot(io.cwd);
  const inRepo =
    root !== undefined && run.repoPath !== undefined
      ? path.join(root, ...run.repoPath.split("/"))
      : undefined;
  if (inRepo !== undefined && existsSync(inRepo)) return inRepo;
  if (existsSync(recorded)) return recorded;
  const where =
    run.repoPath !== undefined
      ? ` (${run.repoPath} in its git repository${root ? `; not under ${root}` : "; the current directory is in none"})`
      : "";
  throw usageError(
    `cannot find the runbook of this run: it was ${recorded} on ${run.host}${where}. Resume from inside a clone of its repository, or pass --file PATH`,
  );
}
