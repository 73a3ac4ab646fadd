import path from "node:path";
import { FileStateStore } from "./file-store.js";
import type { StateStore } from "./state-store.js";

export interface StateSpec {
  /** `--state` / `--state-dir` as given, else RUNBOOK_STATE, else undefined (`.runbook`). */
  readonly state?: string;
  /** The state came from RUNBOOK_STATE: a resume hint needs no flag for it. */
  readonly fromEnv?: boolean;
  readonly cwd: string;
  /** See FileStoreOptions.machineLockDir. */
  readonly machineLockDir?: string;
}

/** A `postgres://` or `postgresql://` URL names a database; anything else is a folder. */
export function isDatabaseUrl(state: string): boolean {
  return /^postgres(ql)?:\/\//i.test(state);
}

/** Opens the state a command names. PostgreSQL support is loaded only when it is used. */
export async function openStateStore(spec: StateSpec): Promise<StateStore> {
  const given = spec.state ?? ".runbook";
  if (isDatabaseUrl(given)) {
    const { PostgresStateStore, maskedUrl } =
      await import("./postgres/pg-store.js");
    return new PostgresStateStore({
      url: given,
      flag: spec.fromEnv ? "" : `--state ${maskedUrl(given)}`,
    });
  }
  const stateDir = path.resolve(spec.cwd, given);
  const flag =
    spec.fromEnv || stateDir === path.resolve(spec.cwd, ".runbook")
      ? ""
      : `--state-dir ${given}`;
  return new FileStateStore({
    stateDir,
    flag,
    ...(spec.machineLockDir ? { machineLockDir: spec.machineLockDir } : {}),
  });
}
