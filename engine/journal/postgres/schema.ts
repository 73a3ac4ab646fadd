import pg from "pg";

/**
 * The schema `runbook` (SPEC 2), one migration per version. A migration is
 * applied once, in a transaction that holds an advisory lock, so two
 * operators' first runs against a new database never race to create it.
 */
const MIGRATIONS: readonly string[] = [
  // 1: runs, their journal events, their steps' output in bounded chunks, and who holds each runbook's lock.
  `CREATE TABLE runbook.runs (
     run_id     text PRIMARY KEY,
     runbook    text NOT NULL,
     title      text NOT NULL,
     file       text NOT NULL,
     user_name  text NOT NULL,
     host       text NOT NULL,
     cwd        text NOT NULL,
     mode       text NOT NULL,
     started_at timestamptz NOT NULL,
     outcome    text NOT NULL DEFAULT 'unfinished'
   );
   CREATE INDEX runs_started ON runbook.runs (started_at DESC, run_id DESC);
   CREATE TABLE runbook.events (
     run_id text NOT NULL REFERENCES runbook.runs ON DELETE CASCADE,
     seq    integer NOT NULL,
     entry  json NOT NULL,
     PRIMARY KEY (run_id, seq)
   );
   CREATE TABLE runbook.output (
     id     bigserial PRIMARY KEY,
     run_id text NOT NULL REFERENCES runbook.runs ON DELETE CASCADE,
     step   text NOT NULL,
     chunk  bytea NOT NULL
   );
   CREATE INDEX output_run ON runbook.output (run_id, id);
   CREATE TABLE runbook.locks (
     runbook   text PRIMARY KEY,
     run_id    text NOT NULL,
     user_name text NOT NULL,
     host      text NOT NULL,
     pid       integer NOT NULL,
     since     timestamptz NOT NULL
   );`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The advisory lock namespace of runbook's own locks (`'rbk1'` as an int4): the run locks use it with a hash of the identity. */
export const LOCK_NAMESPACE = 0x72626b31;

/**
 * A connection to the state database: synchronous commit on whatever the
 * server's default (every event is durable before the engine goes on), and
 * TCP keepalives on both ends, so a holder whose machine vanished loses its
 * lock within about half a minute instead of the kernel's two hours.
 */
export function stateClient(url: string, applicationName: string): pg.Client {
  return new pg.Client({
    connectionString: url,
    application_name: applicationName,
    options:
      "-c synchronous_commit=on -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 -c idle_in_transaction_session_timeout=0",
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000,
  });
}

/**
 * Creates or migrates the schema on first use. Fast when it is current (one
 * query); otherwise under `pg_advisory_xact_lock`, so concurrent first uses
 * wait for each other and the second finds the work done.
 */
export async function migrate(client: pg.Client): Promise<void> {
  if ((await currentVersion(client)) === SCHEMA_VERSION) return;
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_catalog.pg_advisory_xact_lock($1, 0)", [
      LOCK_NAMESPACE,
    ]);
    await client.query("CREATE SCHEMA IF NOT EXISTS runbook");
    await client.query(
      "CREATE TABLE IF NOT EXISTS runbook.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM runbook.schema_version",
    );
    const from = rows[0]?.v ?? 0;
    if (from > SCHEMA_VERSION)
      throw new Error(
        `its schema runbook is at version ${from}, written by a newer runbook (this one knows ${SCHEMA_VERSION}): upgrade runbook`,
      );
    for (let v = from + 1; v <= SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v - 1] ?? "");
      await client.query(
        "INSERT INTO runbook.schema_version (version) VALUES ($1)",
        [v],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function currentVersion(client: pg.Client): Promise<number | undefined> {
  const { rows } = await client.query<{ t: string | null }>(
    "SELECT pg_catalog.to_regclass('runbook.schema_version')::text AS t",
  );
  if (!rows[0]?.t) return undefined;
  const v = await client.query<{ v: number | null }>(
    "SELECT max(version) AS v FROM runbook.schema_version",
  );
  const version = v.rows[0]?.v ?? undefined;
  if (version !== undefined && version > SCHEMA_VERSION)
    throw new Error(
      `its schema runbook is at version ${version}, written by a newer runbook (this one knows ${SCHEMA_VERSION}): upgrade runbook`,
    );
  return version;
}

/** The int4 key of an identity's run lock (within LOCK_NAMESPACE), non-negative so it reads the same in pg_locks.objid. */
export function lockKey(
  identity: string,
  hash: (text: string) => Buffer,
): number {
  return hash(identity).readUInt32BE(0) & 0x7fffffff;
}
