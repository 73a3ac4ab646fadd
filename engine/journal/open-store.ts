import path from "node:path";
import { FileStateStore } from "./file-store.js";
import type { StateStore } from "./state-store.js";

export interface StateSpec {
  /** The folder or `postgres://` URL to open: the caller (cli/) resolves its default. */
  readonly state: string;
  /** The command-line words that name this state again in a hint (see StateStore.flag); the caller words them. @default "" */
  readonly flag?: string;
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
  const flag = spec.flag ?? "";
  if (isDatabaseUrl(spec.state)) {
    const { PostgresStateStore } = await import("./postgres/pg-store.js");
    return new PostgresStateStore({ url: spec.state, flag });
  }
  return new FileStateStore({
    stateDir: path.resolve(spec.cwd, spec.state),
    flag,
    ...(spec.machineLockDir ? { machineLockDir: spec.machineLockDir } : {}),
  });
}
