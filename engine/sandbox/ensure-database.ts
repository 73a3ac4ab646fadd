import pg from "pg";
import type { Cluster } from "./cluster.js";
import { SandboxError } from "./sandbox-error.js";

/**
 * Creates `database` on the cluster unless it exists, as the superuser over
 * TCP with the generated password (the way a rehearsal's steps connect).
 */
export async function ensureDatabase(
  cluster: Cluster,
  database: string,
): Promise<void> {
  const client = new pg.Client({
    host: cluster.host,
    port: cluster.port,
    user: cluster.user,
    password: cluster.password,
    database: "postgres",
    ssl: false,
    application_name: "runbook-sandbox",
    connectionTimeoutMillis: 10_000,
  });
  client.on("error", () => {
    // Reported through the awaited calls below.
  });
  try {
    await client.connect();
    const found = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [database],
    );
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } catch (error) {
    // Another caller created it between our look and our CREATE (42P04, or 23505 when the two commit at once).
    const code = (error as { code?: unknown }).code;
    if (code === "42P04" || code === "23505") return;
    throw new SandboxError(
      `could not create database "${database}" on cluster "${cluster.name}": ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
