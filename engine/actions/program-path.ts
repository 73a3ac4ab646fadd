import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/**
 * Why `command` cannot be started from `cwd` with this `PATH` (no such
 * program, not executable), in the words spawn() errors get; undefined when
 * it can. For a process started through a wrapper (see runProcess), whose
 * own spawn always succeeds.
 */
export function programProblem(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  const candidates = command.includes("/")
    ? [path.resolve(cwd, command)]
    : (env["PATH"] ?? "")
        .split(path.delimiter)
        .map((dir) => path.resolve(cwd, dir, command));
  let denied = false;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EACCES") denied = true;
    }
  }
  return denied
    ? `permission denied: cannot run ${command}`
    : `no such program: ${command}${command.includes("/") ? "" : " (not found on PATH)"}`;
}
