import { chown, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCacheDir } from "./cache-dir.js";
import type { SandboxCluster } from "./cluster.js";
import { destroySandbox } from "./destroy-sandbox.js";
import { findPostgres, type PgInstall } from "./find-postgres.js";
import { freePorts } from "./free-port.js";
import { envName } from "./sandbox-env.js";
import { createSandbox, type Sandbox } from "./sandbox.js";
import { SandboxError } from "./sandbox-error.js";
import { assertServerCanEnter } from "./server-access.js";
import { resolveServerUser } from "./server-user.js";
import { generatePassword } from "./scram.js";
import { startCluster } from "./start-cluster.js";
import { ensureTemplate } from "./template.js";

export interface StartSandboxOptions {
  /** Cluster names (`sandbox.cluster` in the runbook); duplicates share one cluster. */
  clusters: readonly string[];
  /** Searched for PostgreSQL, runuser and the cache directory; psql's environment. */
  env: Record<string, string | undefined>;
  /** teardown() leaves the servers running and the directory in place. @default false */
  keep?: boolean;
  /** Whose sandbox this is: root (0) runs the servers as `postgres`. @default process.getuid() */
  uid?: number;
  /** Where the initdb template is cached. @default $XDG_CACHE_HOME/runbook, ~/.cache/runbook, else <tmpDir>/runbook-cache-<uid> */
  cacheDir?: string;
  /** Where the sandbox directory is created. @default env.TMPDIR, else os.tmpdir() */
  tmpDir?: string;
  /** Aborting stops and removes whatever was started, and startSandbox rejects. */
  signal?: AbortSignal;
  /** A PostgreSQL already found with findPostgres. @default findPostgres({ env, embedded }) */
  install?: PgInstall;
  /** Bin directories of server binaries shipped on npm, used when the system has none (see findPostgres). @default [] */
  embedded?: readonly string[];
}

/**
 * Test seams, not part of the engine's contract.
 * @internal
 */
export interface SandboxSeams {
  /** Extra postgresql.conf settings per cluster name. */
  clusterSettings?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How long a server may take to accept connections. @default 30000 */
  startTimeoutMs?: number;
  /** Ports to try first, one per cluster, instead of free ones. */
  ports?: readonly number[];
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Starts one throwaway cluster per name, in parallel, each a copy of a cached
 * initdb template (see SPEC 1.1 `sandbox:`). If anything fails or `signal`
 * aborts, everything started is stopped and removed before it rejects.
 *
 * @throws {SandboxError}
 */
export async function startSandbox(
  options: StartSandboxOptions,
  seams: SandboxSeams = {},
): Promise<Sandbox> {
  const { env, signal } = options;
  const names = clusterNames(options.clusters);
  checkAborted(signal);
  const install =
    options.install ??
    (await findPostgres({
      env,
      ...(options.embedded ? { embedded: options.embedded } : {}),
    }));
  const uid = options.uid ?? process.getuid?.() ?? -1;
  const user = await resolveServerUser({
    uid,
    gid: process.getgid?.() ?? -1,
    env,
  });
  const tmpDir = options.tmpDir ?? (env.TMPDIR || tmpdir());
  let root: string;
  try {
    root = await mkdtemp(join(tmpDir, "runbook-sandbox-"));
  } catch (error) {
    throw new SandboxError(
      `cannot create the sandbox directory in ${tmpDir}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  try {
    // The server user creates files here too (initdb's output, a rehearsal's replica).
    if (user.runuser !== undefined) await chown(root, user.uid, user.gid);
    await assertServerCanEnter(root, user);
    const cacheDir = await resolveCacheDir({
      cacheDir: options.cacheDir,
      env,
      tmpDir,
      uid,
    });
    checkAborted(signal);
    const templateDir = await ensureTemplate({
      install,
      user,
      cacheDir,
      scratchDir: root,
      env,
    });
    checkAborted(signal);
    const preset = seams.ports ?? [];
    const ports = [
      ...preset,
      ...(await freePorts(Math.max(0, names.length - preset.length))),
    ];
    // One superuser password for every cluster of a sandbox: a rehearsal that copies roles
    // from one cluster to another (pg_dumpall, pg_basebackup) keeps a working password.
    const password = generatePassword();
    const clusters = await startClusters(
      names,
      signal,
      (name, index, clusterSignal) =>
        startCluster({
          name,
          root,
          templateDir,
          install,
          user,
          env,
          password,
          signal: clusterSignal,
          port: ports[index] ?? 0,
          nextPort: async () => (await freePorts(1))[0] ?? 0,
          settings: seams.clusterSettings?.[name],
          timeoutMs: seams.startTimeoutMs ?? 30_000,
        }),
    );
    checkAborted(signal);
    return createSandbox({
      root,
      install,
      clusters,
      env,
      keep: options.keep ?? false,
    });
  } catch (error) {
    await destroySandbox(root).catch(() => undefined);
    throw error instanceof SandboxError
      ? error
      : new SandboxError(
          `could not start the sandbox: ${(error as Error).message}`,
          { cause: error },
        );
  }
}

/**
 * Starts every cluster at once. The first failure aborts the others' waits,
 * so that a bad cluster does not leave us waiting out a sibling's start, and
 * is the error reported.
 */
async function startClusters(
  names: readonly string[],
  signal: AbortSignal | undefined,
  start: (
    name: string,
    index: number,
    signal: AbortSignal,
  ) => Promise<SandboxCluster>,
): Promise<Map<string, SandboxCluster>> {
  const all = new AbortController();
  const forward = (): void => all.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener("abort", forward, { once: true });
  let firstError: unknown;
  try {
    const results = await Promise.allSettled(
      names.map((name, index) =>
        start(name, index, all.signal).catch((error: unknown) => {
          if (!all.signal.aborted) {
            firstError = error;
            all.abort(error);
          }
          throw error;
        }),
      ),
    );
    const clusters = new Map<string, SandboxCluster>();
    for (const result of results) {
      if (result.status === "rejected") throw firstError ?? result.reason;
      clusters.set(result.value.name, result.value);
    }
    return clusters;
  } finally {
    signal?.removeEventListener("abort", forward);
  }
}

function clusterNames(requested: readonly string[]): string[] {
  const names = [...new Set(requested)];
  const byEnvName = new Map<string, string>();
  for (const name of names) {
    if (!CLUSTER_NAME.test(name)) {
      throw new SandboxError(
        `sandbox cluster name "${name}" is not usable: use up to 63 letters, digits, '.', '_' and '-', starting with a letter or digit.`,
      );
    }
    const other = byEnvName.get(envName(name));
    if (other !== undefined) {
      throw new SandboxError(
        `sandbox clusters "${other}" and "${name}" would share the variables RUNBOOK_CLUSTER_${envName(name)}_*: rename one.`,
      );
    }
    byEnvName.set(envName(name), name);
  }
  return names;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new SandboxError("starting the sandbox was aborted", {
      cause: signal.reason,
    });
}
