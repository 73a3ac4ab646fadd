import { access, constants } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { execa } from "execa";
import type { Cluster } from "./cluster.js";
import { SandboxError, tail } from "./sandbox-error.js";
import { isExecutable, which } from "./which.js";

export interface LoadSeedOptions {
  cluster: Cluster;
  database: string;
  /** The .sql file; psql runs in its directory, so `\i` and `\copy` paths in it are relative to it. */
  file: string;
  /** The caller's environment, minus its PG* variables, is psql's. */
  env: Record<string, string | undefined>;
}

/**
 * Runs a seed file with psql (`-X -q -v ON_ERROR_STOP=1 -f`) as the cluster's
 * superuser over TCP. Everything about the connection, the password included,
 * goes through PG* environment variables: nothing on argv, where `ps` shows it.
 */
export async function loadSeedFile(options: LoadSeedOptions): Promise<void> {
  const { cluster, database } = options;
  const file = resolve(options.file);
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw new SandboxError(
      `seed file ${file} for cluster "${cluster.name}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  // The server's own psql, else the machine's (a server shipped on npm has none).
  const bundled = join(cluster.binDir, "psql");
  const psql = (await isExecutable(bundled))
    ? bundled
    : await which("psql", options.env);
  if (psql === undefined) {
    throw new SandboxError(
      `seed ${file} for cluster "${cluster.name}" needs psql, which is not installed on this machine (PATH: ${options.env.PATH || "empty"}): install PostgreSQL's client tools (apt-get install postgresql-client, brew install libpq)`,
    );
  }
  const result = await execa(
    psql,
    ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file],
    {
      env: {
        ...withoutPgVariables(options.env),
        ...connectionEnv(cluster, database),
      },
      extendEnv: false,
      cwd: dirname(file),
      stdin: "ignore",
      // Query results a seed prints are not ours to show.
      stdout: "ignore",
      reject: false,
    },
  );
  if (result.exitCode !== 0) {
    const output = result.stderr;
    throw new SandboxError(
      `seed ${file} failed on cluster "${cluster.name}", database "${database}" (${result.exitCode === undefined ? result.shortMessage : `psql exit code ${result.exitCode}`}):\n${tail(output)}`,
      { output },
    );
  }
}

/** PGSERVICE, PGSSLMODE, PGOPTIONS… from the caller's shell would point psql elsewhere. */
function withoutPgVariables(
  env: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith("PG"),
    ),
  );
}

function connectionEnv(
  cluster: Cluster,
  database: string,
): Record<string, string> {
  return {
    PGHOST: cluster.host,
    PGPORT: String(cluster.port),
    PGUSER: cluster.user,
    PGPASSWORD: cluster.password,
    PGDATABASE: database,
    PGSSLMODE: "disable",
    PGAPPNAME: "runbook-seed",
    PGCONNECT_TIMEOUT: "10",
  };
}
