import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { fsProblem } from "../engine/journal/index.js";
import { RunbookError, usageError } from "../engine/model/index.js";

/**
 * Refuses a state dir that cannot be used, before anything runs, in words an
 * operator can act on: one that is not a folder (exit 2), or that cannot be
 * read, or written for a run (exit 1). A missing one is created by the run,
 * in a parent that must then be writable.
 */
export function checkStateDir(stateDir: string, need: "read" | "write"): void {
  let isDir: boolean;
  try {
    isDir = statSync(stateDir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (need === "write") checkCreatable(stateDir);
      return;
    }
    if (code === "ENOTDIR")
      throw usageError(
        `the state dir ${stateDir} cannot be used: a part of its path is a file, not a folder (pass --state-dir)`,
      );
    throw unusable(stateDir, error);
  }
  if (!isDir)
    throw usageError(
      `the state dir ${stateDir} is a file, not a folder: pass --state-dir with a folder`,
    );
  try {
    accessSync(
      stateDir,
      constants.R_OK | constants.X_OK | (need === "write" ? constants.W_OK : 0),
    );
  } catch (error) {
    throw unusable(stateDir, error, need);
  }
}

/** The nearest folder that exists above a missing state dir must let us create it. */
function checkCreatable(stateDir: string): void {
  let parent = path.dirname(stateDir);
  for (;;) {
    try {
      if (!statSync(parent).isDirectory())
        throw usageError(
          `the state dir ${stateDir} cannot be created: ${parent} is a file, not a folder`,
        );
      break;
    } catch (error) {
      if (error instanceof RunbookError) throw error;
      if (
        (error as NodeJS.ErrnoException).code !== "ENOENT" ||
        path.dirname(parent) === parent
      )
        throw unusable(stateDir, error, "write");
      parent = path.dirname(parent);
    }
  }
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new RunbookError(
      "STOPPED",
      `the state dir ${stateDir} cannot be created: ${fsProblem(error, parent)}. Pass --state-dir with a folder you can write`,
    );
  }
}

function unusable(
  stateDir: string,
  error: unknown,
  need: "read" | "write" = "read",
): RunbookError {
  const what = need === "write" ? "read and written" : "read";
  return new RunbookError(
    "STOPPED",
    `the state dir ${stateDir} cannot be ${what}: ${fsProblem(error, stateDir)}. Pass --state-dir with a folder you can use, or fix its permissions`,
  );
}
