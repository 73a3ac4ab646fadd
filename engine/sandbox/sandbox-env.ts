import type { Cluster } from "./cluster.js";

/** The part of a name usable in an environment variable's: `app-db` → `APP_DB`. */
export function envName(clusterName: string): string {
  return clusterName.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/**
 * Environment variables telling a rehearsal's steps where the sandbox is:
 * `RUNBOOK_SANDBOX_DIR`, and per cluster `RUNBOOK_CLUSTER_<NAME>_HOST`,
 * `_PORT`, `_PGDATA`, `_SOCKET` (the private socket directory, where the
 * server user connects without a password) and `_USER` (the OS user running
 * the server, e.g. for `runuser -u "$RUNBOOK_CLUSTER_SOURCE_USER" -- pg_ctl …`).
 * No password: that is a secret and reaches steps through database URLs.
 */
export function sandboxEnv(sandbox: {
  readonly root: string;
  readonly clusters: ReadonlyMap<string, Cluster>;
}): Record<string, string> {
  const env: Record<string, string> = { RUNBOOK_SANDBOX_DIR: sandbox.root };
  for (const cluster of sandbox.clusters.values()) {
    const prefix = `RUNBOOK_CLUSTER_${envName(cluster.name)}`;
    env[`${prefix}_HOST`] = cluster.host;
    env[`${prefix}_PORT`] = String(cluster.port);
    env[`${prefix}_PGDATA`] = cluster.dataDir;
    env[`${prefix}_SOCKET`] = cluster.socketDir;
    env[`${prefix}_USER`] = cluster.osUser;
  }
  return env;
}

/** The names sandboxEnv gives a rehearsal's steps, for clusters with these names: `${RUNBOOK_SANDBOX_DIR}` may be used before the sandbox exists. */
export function sandboxEnvNames(clusterNames: Iterable<string>): string[] {
  const names = ["RUNBOOK_SANDBOX_DIR"];
  for (const name of clusterNames)
    for (const part of ["HOST", "PORT", "PGDATA", "SOCKET", "USER"])
      names.push(`RUNBOOK_CLUSTER_${envName(name)}_${part}`);
  return names;
}
