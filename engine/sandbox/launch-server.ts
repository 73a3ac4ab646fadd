import { spawn, type ChildProcess } from "node:child_process";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { asServerUser, type ServerUser } from "./server-user.js";

export interface LaunchOptions {
  binDir: string;
  user: ServerUser;
  dataDir: string;
  socketDir: string;
  port: number;
  logFile: string;
  /** The server user can enter it; the server's working directory until it chdirs to PGDATA. */
  cwd: string;
  /** Inherited by the server and so by archive_command and friends. */
  env: Record<string, string>;
  /** Run over the trusted socket once the server accepts connections. */
  setupSql: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** How a launch ended: ready for connections, or the server exited first, or we gave up. */
export type LaunchResult =
  | { state: "ready" }
  | { state: "exited"; exit: string; log: string }
  | { state: "timeout"; lastError: string; log: string }
  | { state: "aborted"; reason: unknown };

/** How often to try connecting: pg_ctl -w waits 100ms between looks, which is most of a warm start. */
const POLL_MS = 15;

/**
 * Starts `postgres -D` in its own session (so that a Ctrl-C meant for us does
 * not reach it) with its output appended to `logFile`, then connects over the
 * private socket every few milliseconds until it accepts connections, and
 * runs `setupSql`. The server outlives us: it is stopped through its
 * postmaster.pid, never through this child.
 */
export async function launchServer(
  options: LaunchOptions,
): Promise<LaunchResult> {
  const child = await spawnServer(options);
  let exit: string | undefined;
  child.once(
    "exit",
    (code, signal) =>
      (exit = signal === null ? `exit code ${code}` : `signal ${signal}`),
  );
  child.once("error", (error) => (exit = error.message));
  child.unref();

  const deadline = Date.now() + options.timeoutMs;
  let lastError = "no connection attempt yet";
  for (;;) {
    if (options.signal?.aborted) {
      await killLaunch(child, () => exit !== undefined);
      return { state: "aborted", reason: options.signal.reason };
    }
    const error = await tryConnect(options);
    if (error === undefined) return { state: "ready" };
    lastError = error;
    if (exit !== undefined)
      return { state: "exited", exit, log: await readLog(options.logFile) };
    if (Date.now() > deadline) {
      await killLaunch(child, () => exit !== undefined);
      return {
        state: "timeout",
        lastError,
        log: await readLog(options.logFile),
      };
    }
    await sleep(POLL_MS);
  }
}

async function spawnServer(options: LaunchOptions): Promise<ChildProcess> {
  const log = await open(options.logFile, "a", 0o600);
  try {
    if (options.user.runuser !== undefined)
      await log.chown(options.user.uid, options.user.gid);
    const { file, args } = asServerUser(
      options.user,
      join(options.binDir, "postgres"),
      ["-D", options.dataDir],
    );
    return spawn(file, args, {
      detached: true,
      stdio: ["ignore", log.fd, log.fd],
      cwd: options.cwd,
      env: options.env,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    await log.close();
  }
}

/** undefined when connected and set up; else why not. */
async function tryConnect(options: LaunchOptions): Promise<string | undefined> {
  const client = new pg.Client({
    host: options.socketDir,
    port: options.port,
    user: "postgres",
    database: "postgres",
    // Not from PGSSLMODE and friends in our environment: the socket has no TLS.
    ssl: false,
    application_name: "runbook-sandbox",
    connectionTimeoutMillis: 2_000,
  });
  client.on("error", () => {
    // A failed attempt is reported through connect(); later errors do not matter.
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    return (error as Error).message;
  }
  try {
    await client.query(options.setupSql);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Stops a server that never became ready. SIGQUIT to the whole process group
 * is an immediate shutdown for the postmaster (and ends runuser); SIGKILL if
 * it has not gone within a few seconds.
 */
async function killLaunch(
  child: ChildProcess,
  hasExited: () => boolean,
): Promise<void> {
  if (child.pid === undefined) return;
  for (const [signal, waitMs] of [
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    if (hasExited()) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + waitMs;
    while (!hasExited() && Date.now() < until) await sleep(10);
  }
}

async function readLog(logFile: string): Promise<string> {
  return readFile(logFile, "utf8").catch(() => "");
}
