import type { Cluster, SandboxCluster } from "./cluster.js";
import { destroySandbox } from "./destroy-sandbox.js";
import { ensureDatabase } from "./ensure-database.js";
import type { PgInstall } from "./find-postgres.js";
import { loadSeedFile } from "./load-seed.js";
import { SandboxError } from "./sandbox-error.js";

/** Throwaway PostgreSQL clusters for one rehearsal. */
export interface Sandbox {
  /** The temporary directory holding every cluster: `<root>/<name>/{data,sock,server.log}`. */
  readonly root: string;
  readonly install: PgInstall;
  /** By name, in the order first asked for. */
  readonly clusters: ReadonlyMap<string, Cluster>;
  /**
   * Creates the database if missing, then runs the .sql file with
   * `psql -X -q -v ON_ERROR_STOP=1 -f` as the superuser over TCP, the password
   * in PGPASSWORD. psql runs in the file's directory.
   * @throws {SandboxError} with psql's stderr as `output`.
   */
  loadSeed(options: {
    cluster: string;
    database: string;
    file: string;
  }): Promise<void>;
  /** Creates the database unless it exists. */
  ensureDatabase(options: { cluster: string; database: string }): Promise<void>;
  /**
   * Stops every server under `root` (immediate shutdown) and removes `root`,
   * or with `keep` does nothing. Idempotent: every call gets the same promise.
   */
  teardown(): Promise<void>;
}

/** The handle over started clusters; teardown is memoised so that every caller waits for the same one. */
export function createSandbox(options: {
  root: string;
  install: PgInstall;
  clusters: ReadonlyMap<string, SandboxCluster>;
  env: Record<string, string | undefined>;
  keep: boolean;
}): Sandbox {
  const { root, install, clusters, env, keep } = options;
  let teardown: Promise<void> | undefined;
  const lookup = (name: string): Cluster => {
    if (teardown !== undefined && !keep)
      throw new SandboxError(`the sandbox in ${root} has been torn down`);
    const cluster = clusters.get(name);
    if (cluster === undefined) {
      throw new SandboxError(
        `no sandbox cluster "${name}"; this sandbox has ${[...clusters.keys()].map((n) => `"${n}"`).join(", ") || "none"}.`,
      );
    }
    return cluster;
  };
  return {
    root,
    install,
    clusters,
    async ensureDatabase({ cluster, database }) {
      await ensureDatabase(lookup(cluster), database);
    },
    async loadSeed({ cluster, database, file }) {
      const target = lookup(cluster);
      await ensureDatabase(target, database);
      await loadSeedFile({ cluster: target, database, file, env });
    },
    teardown() {
      teardown ??= keep ? Promise.resolve() : destroySandbox(root);
      return teardown;
    },
  };
}
