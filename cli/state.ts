import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  isDatabaseUrl,
  maskedUrl,
  openStateStore,
  type StateStore,
} from "../engine/journal/index.js";
import { usageError } from "../engine/model/index.js";
import type { Io } from "./io.js";
import { checkStateDir } from "./state-dir.js";

/** Where runs are kept when no flag and no RUNBOOK_STATE says otherwise (SPEC 2): the one copy of that default. */
export const DEFAULT_STATE_DIR = ".runbook";

/**
 * The command that continues a run, as the operator types it: `runbook resume
 * <id>`, plus the words that name its state again unless it is the default
 * (or RUNBOOK_STATE, which the same shell still has).
 */
export function resumeCommand(
  runId: string,
  store: Pick<StateStore, "flag">,
): string {
  return `runbook resume ${runId}${store.flag ? ` ${store.flag}` : ""}`;
}

/** The words that name a state again in a hint: none for the default or one RUNBOOK_STATE names. */
function stateFlag(state: string, fromEnv: boolean, cwd: string): string {
  if (fromEnv) return "";
  if (isDatabaseUrl(state)) return `--state ${maskedUrl(state)}`;
  return path.resolve(cwd, state) === path.resolve(cwd, DEFAULT_STATE_DIR)
    ? ""
    : `--state-dir ${state}`;
}

export interface StateFlags {
  /** `--state DIR|postgres://…` */
  readonly state?: string;
  /** `--state-dir DIR`, the older name. */
  readonly stateDir?: string;
}

/** The state flags without undefined members (exactOptionalPropertyTypes). */
export function stateFlags(flags: StateFlags): StateFlags {
  return {
    ...(flags.state !== undefined ? { state: flags.state } : {}),
    ...(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {}),
  };
}

/**
 * The state a command uses (SPEC 2): `--state` (or its older name
 * `--state-dir`), else RUNBOOK_STATE, else {@link DEFAULT_STATE_DIR}. A folder that cannot
 * be used is refused before anything runs.
 */
export async function openState(
  flags: StateFlags,
  io: Io,
  need: "read" | "write",
): Promise<StateStore> {
  if (
    flags.state !== undefined &&
    flags.stateDir !== undefined &&
    flags.state !== flags.stateDir
  ) {
    throw usageError(
      `--state ${flags.state} and --state-dir ${flags.stateDir} name two places: --state-dir is the older name of --state, give one`,
    );
  }
  const flag = flags.state ?? flags.stateDir;
  const fromEnv = flag === undefined && (io.env["RUNBOOK_STATE"] ?? "") !== "";
  const state = flag ?? (fromEnv ? io.env["RUNBOOK_STATE"] : undefined);
  if (state === "")
    throw usageError("--state is empty: give a folder or a postgres:// URL");
  const named = state ?? DEFAULT_STATE_DIR;
  if (!isDatabaseUrl(named)) checkStateDir(path.resolve(io.cwd, named), need);
  return openStateStore({
    state: named,
    flag: stateFlag(named, fromEnv, io.cwd),
    cwd: io.cwd,
    machineLockDir: machineLockDir(io.env),
  });
}

/**
 * The folder every run of this user on this machine sees, whatever its state
 * dir or clone: the file state's run lock is taken there too
 * (docs/decisions.md). RUNBOOK_LOCK_DIR overrides it.
 */
export function machineLockDir(env: Io["env"]): string {
  const set = env["RUNBOOK_LOCK_DIR"];
  if (set) return path.resolve(set);
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime && path.isAbsolute(runtime) && existsSync(runtime))
    return path.join(runtime, "runbook", "locks");
  return path.join(
    tmpdir(),
    `runbook-${process.getuid?.() ?? "user"}`,
    "locks",
  );
}
