import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chownSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Sandbox } from "../../../engine/sandbox/index.js";

/**
 * Sandbox clusters made to look like production servers: each one answers
 * on its own loopback address at the standard port 5432 (a TCP relay to the
 * cluster's free port), so a runbook's URLs (`postgres://…@${primary_host}:5432/…`)
 * reach it unchanged, with passwords in a pgpass file as operators keep them.
 */
export interface LiveLike {
  /** PGPASSFILE: a line per address and per cluster port. */
  readonly pgpass: string;
  close(): Promise<void>;
}

export async function liveLike(o: {
  sandbox: Sandbox;
  addresses: Readonly<Record<string, string>>;
  dir: string;
}): Promise<LiveLike> {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const lines: string[] = [];
  for (const [name, address] of Object.entries(o.addresses)) {
    const cluster = o.sandbox.clusters.get(name);
    if (!cluster) throw new Error(`no cluster ${name}`);
    const server = net.createServer((client) => {
      const upstream = net.connect(cluster.port, "127.0.0.1");
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(5432, address, () => resolve());
    });
    servers.push(server);
    lines.push(
      `${address}:5432:*:postgres:${escape(cluster.password)}`,
      `127.0.0.1:${cluster.port}:*:postgres:${escape(cluster.password)}`,
    );
  }
  const pgpass = path.join(o.dir, "pgpass");
  writeFileSync(pgpass, `${lines.join("\n")}\n`, { mode: 0o600 });
  // Root (these tests) reads it whoever owns it; the postgres OS user of `user=postgres` blocks needs to own it.
  if (process.getuid?.() === 0) chownSync(pgpass, uidOf("postgres"), -1);
  return {
    pgpass,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/:/g, "\\:");
}

function uidOf(user: string): number {
  const r = spawnSync("id", ["-u", user], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.trim()) : -1;
}

/**
 * Everything a runbook could change, as text: per cluster a `pg_dumpall`
 * (roles with their password verifiers, every database, its schema, rows
 * and sequence positions), the replication slots, the settings not at their
 * defaults and prepared transactions, the configuration files and recovery
 * signals of its data directory; then every file under `paths` (type, mode,
 * size, SHA-256). Two snapshots are equal when nothing was changed.
 */
export function snapshot(o: {
  sandbox: Sandbox;
  paths: readonly string[];
}): string {
  const parts: string[] = [];
  for (const cluster of [...o.sandbox.clusters.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const env = {
      ...process.env,
      PGPASSWORD: cluster.password,
      PGHOST: "127.0.0.1",
      PGPORT: String(cluster.port),
      PGUSER: "postgres",
      PGCONNECT_TIMEOUT: "10",
    };
    const dump = spawnSync(
      path.join(o.sandbox.install.binDir, "pg_dumpall"),
      ["--no-password"],
      { env, encoding: "utf8", maxBuffer: 1 << 28 },
    );
    if (dump.status !== 0)
      throw new Error(`pg_dumpall of ${cluster.name} failed: ${dump.stderr}`);
    const state = spawnSync(
      path.join(o.sandbox.install.binDir, "psql"),
      ["-X", "-A", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"],
      {
        env,
        encoding: "utf8",
        input: [
          "SELECT slot_name, slot_type, database, temporary FROM pg_replication_slots ORDER BY 1;",
          "SELECT name, setting FROM pg_settings WHERE source NOT IN ('default', 'override', 'client', 'session') ORDER BY 1;",
          "SELECT gid FROM pg_prepared_xacts ORDER BY 1;",
          "SELECT subname FROM pg_subscription ORDER BY 1;",
        ].join("\n"),
      },
    );
    if (state.status !== 0)
      throw new Error(`psql on ${cluster.name} failed: ${state.stderr}`);
    const files = [
      "pg_hba.conf",
      "pg_ident.conf",
      "postgresql.conf",
      "postgresql.auto.conf",
      "standby.signal",
      "recovery.signal",
    ].map((f) => `${f}: ${fileLine(path.join(cluster.dataDir, f))}`);
    // pg_dump 17.6/16.10/15.14 and later fence a dump with \restrict KEY lines, a new random key each time.
    const stable = dump.stdout.replace(
      /^\\(un)?restrict \S+$/gm,
      "\\$1restrict KEY",
    );
    parts.push(
      `== cluster ${cluster.name}\n${stable}\n${state.stdout}\n${files.join("\n")}`,
    );
  }
  parts.push(`== files\n${o.paths.flatMap((p) => listing(p)).join("\n")}`);
  return parts.join("\n");
}

function listing(root: string): string[] {
  if (!existsSync(root)) return [`${root}: absent`];
  const out: string[] = [];
  const walk = (p: string): void => {
    out.push(`${p}: ${fileLine(p)}`);
    const st = lstatSync(p);
    if (st.isDirectory())
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
  };
  walk(root);
  return out;
}

function fileLine(p: string): string {
  if (!existsSync(p)) return "absent";
  const st = lstatSync(p);
  const mode = (st.mode & 0o7777).toString(8);
  if (st.isDirectory()) return `dir ${mode} uid=${st.uid}`;
  if (st.isSymbolicLink()) return `link ${mode}`;
  return `file ${mode} uid=${st.uid} ${st.size} bytes sha256=${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
}
