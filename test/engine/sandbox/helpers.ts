import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";

/** The test process's environment, as the engine would be given it by cli/. */
export const env: Record<string, string | undefined> = { ...process.env };

/**
 * A fresh directory under the system temp dir. Mode 0755 because, run as
 * root, the sandbox's servers run as `postgres` and must be able to enter it.
 */
export function makeTempDir(prefix: string): {
  path: string;
  remove: () => void;
} {
  const path = mkdtempSync(join(tmpdir(), `runbook-test-${prefix}-`));
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Command lines of running processes that mention `text` (a data dir, a sandbox root). */
export function processesMentioning(text: string): string[] {
  const ps = execFileSync("ps", ["-e", "-o", "pid=,args="], {
    encoding: "utf8",
  });
  return ps
    .split("\n")
    .filter((line) => line.includes(text) && !line.includes("ps -e"));
}

/** One query over TCP with a password (a URL or its parts), the way a rehearsal step connects. */
export async function query<Row extends Record<string, unknown>>(
  connection:
    | string
    | {
        host: string;
        port: number;
        user: string;
        password: string;
        database: string;
      },
  sql: string,
): Promise<Row[]> {
  const client = new pg.Client({
    ...(typeof connection === "string"
      ? { connectionString: connection }
      : connection),
    ssl: false,
  });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Runs a program as `user` (through runuser when that is not us), for what a rehearsal step would do. */
export function runAs(
  user: string,
  file: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): string {
  const asRoot = process.getuid?.() === 0 && user !== "root";
  return execFileSync(
    asRoot ? "runuser" : file,
    asRoot ? ["-u", user, "--", file, ...args] : [...args],
    {
      encoding: "utf8",
      env: { ...process.env, ...extraEnv },
      cwd: "/",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
