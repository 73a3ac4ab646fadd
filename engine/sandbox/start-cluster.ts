import { chmod, chown, mkdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { SandboxCluster } from "./cluster.js";
import { copyTree } from "./copy-tree.js";
import type { PgInstall } from "./find-postgres.js";
import { launchServer, type LaunchResult } from "./launch-server.js";
import { SandboxError, tail } from "./sandbox-error.js";
import { scramVerifier } from "./scram.js";
import { clusterSettings, renderSettings } from "./server-config.js";
import type { ServerUser } from "./server-user.js";
import { TEMPLATE_MARKER } from "./template.js";

export interface StartClusterOptions {
  name: string;
  /** The sandbox root; the cluster lives in `<root>/<name>/`. */
  root: string;
  templateDir: string;
  install: PgInstall;
  user: ServerUser;
  port: number;
  /** Another free port, when the server finds `port` taken. */
  nextPort: () => Promise<number>;
  env: Record<string, string | undefined>;
  /** postgresql.conf settings for this cluster only (a test seam). */
  settings?: Readonly<Record<string, string>> | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The superuser's password; one per sandbox (see startSandbox). */
  password: string;
}

/** Tries with other ports when the chosen one was taken between finding and binding it. */
const BIND_ATTEMPTS = 4;
/** sun_path is 108 bytes on Linux and 104 on macOS, with its NUL. */
const MAX_SOCKET_PATH = 103;

/**
 * Copies the template into `<root>/<name>/data`, gives it its port and
 * private socket directory, starts it and sets the superuser's generated
 * password. Layout: `data/` (PGDATA), `sock/` (0700), `server.log`.
 */
export async function startCluster(
  options: StartClusterOptions,
): Promise<SandboxCluster> {
  const { name, root, install, user } = options;
  const clusterDir = join(root, name);
  const dataDir = join(clusterDir, "data");
  const socketDir = join(clusterDir, "sock");
  const logFile = join(clusterDir, "server.log");
  const owner =
    user.runuser === undefined ? undefined : { uid: user.uid, gid: user.gid };

  for (const dir of [clusterDir, socketDir]) {
    await mkdir(dir, { mode: 0o700 });
    if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
  }
  await copyTree({
    from: options.templateDir,
    to: dataDir,
    owner,
    skip: new Set([TEMPLATE_MARKER]),
  });
  // PostgreSQL refuses a data directory others can read.
  await chmod(dataDir, 0o700);

  const password = options.password;
  const setupSql = `ALTER ROLE postgres PASSWORD '${await scramVerifier(password)}'`;
  const baseConf = await readFile(join(dataDir, "postgresql.conf"), "utf8");
  const env: Record<string, string> = {
    PATH: [install.binDir, options.env.PATH].filter(Boolean).join(delimiter),
    LC_ALL: "C",
  };

  let port = options.port;
  for (let attempt = 1; ; attempt++) {
    const socketPath = join(socketDir, `.s.PGSQL.${port}`);
    if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
      throw new SandboxError(
        `the socket path ${socketPath} of cluster "${name}" is longer than ${MAX_SOCKET_PATH} bytes: use a shorter tmpDir or cluster name.`,
      );
    }
    const settings = {
      ...options.settings,
      ...clusterSettings({ port, socketDir }),
    };
    await writeFile(
      join(dataDir, "postgresql.conf"),
      baseConf + renderSettings(`runbook sandbox: cluster ${name}`, settings),
    );
    const result = await launchServer({
      binDir: install.binDir,
      user,
      dataDir,
      socketDir,
      port,
      logFile,
      cwd: clusterDir,
      env,
      setupSql,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    if (result.state === "ready") break;
    if (
      result.state === "exited" &&
      isBindFailure(result.log) &&
      attempt < BIND_ATTEMPTS
    ) {
      port = await options.nextPort();
      continue;
    }
    throw launchError(name, logFile, result);
  }
  return new SandboxCluster({
    name,
    port,
    password,
    dataDir,
    socketDir,
    binDir: install.binDir,
    osUser: user.name,
    logFile,
  });
}

function isBindFailure(log: string): boolean {
  return /could not bind IPv4 address|could not create any TCP\/IP sockets|Address already in use/.test(
    log,
  );
}

function launchError(
  name: string,
  logFile: string,
  result: Exclude<LaunchResult, { state: "ready" }>,
): SandboxError {
  switch (result.state) {
    case "aborted":
      return new SandboxError(`starting cluster "${name}" was aborted`, {
        cause: result.reason,
      });
    case "exited":
      return new SandboxError(
        `PostgreSQL for cluster "${name}" exited while starting (${result.exit}); the end of ${logFile}:\n${tail(result.log)}`,
        {
          output: result.log,
        },
      );
    case "timeout":
      return new SandboxError(
        `PostgreSQL for cluster "${name}" did not accept connections in time (last: ${result.lastError}); the end of ${logFile}:\n${tail(result.log)}`,
        { output: result.log },
      );
  }
}
