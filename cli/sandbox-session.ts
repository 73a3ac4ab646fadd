import { statfsSync } from "node:fs";
import path from "node:path";
import type { Runbook } from "../engine/model/index.js";
import { RunbookError } from "../engine/model/index.js";
import { resolveUrl } from "../engine/params/index.js";
import type { SandboxBinding } from "../engine/run/index.js";
import type { Sandbox } from "../engine/sandbox/index.js";
import { embeddedPostgresBinDirs } from "./embedded-postgres.js";

export interface SandboxSession {
  readonly sandbox: Sandbox;
  readonly binding: SandboxBinding;
  readonly secrets: readonly string[];
}

/**
 * Starts the throwaway clusters a runbook's databases name, loads their seeds
 * (creating each seeded database first) and returns how the engine reaches them.
 */
export async function startSandboxFor(
  runbook: Runbook,
  options: {
    env: Readonly<Record<string, string | undefined>>;
    keep: boolean;
    signal: AbortSignal;
    lookup: (name: string) => string | undefined;
  },
): Promise<SandboxSession | undefined> {
  const names = [
    ...new Set(
      runbook.databases.flatMap((d) => (d.sandbox ? [d.sandbox.cluster] : [])),
    ),
  ];
  const { startSandbox, sandboxEnv, SandboxError } =
    await import("../engine/sandbox/index.js");
  let sandbox: Sandbox;
  const tmpDir = sandboxTmpDir(options.env);
  try {
    sandbox = await startSandbox({
      clusters: names,
      env: { ...options.env },
      embedded: embeddedPostgresBinDirs(),
      keep: options.keep,
      signal: options.signal,
      ...(tmpDir ? { tmpDir } : {}),
    });
  } catch (error) {
    if (options.signal.aborted)
      throw new RunbookError(
        "INTERRUPTED",
        "interrupted while the sandbox was starting: nothing ran, and nothing was left behind",
        { cause: error },
      );
    if (error instanceof SandboxError)
      throw new RunbookError(
        "STEP_FAILED",
        `cannot start the sandbox: ${error.message}${error.output ? `\n${error.output}` : ""}`,
        { cause: error },
      );
    throw error;
  }
  try {
    for (const db of runbook.databases) {
      if (!db.sandbox?.seed) continue;
      // As the engine reaches it: a URL that does not resolve means database postgres (SPEC 1.1).
      // Encoded as the engine encodes it: a password holding `/` or `@` must not move the database name.
      const url = resolveUrl(db.url, options.lookup);
      const database =
        (url.missing.length === 0 ? databaseName(url.text) : undefined) ??
        "postgres";
      await sandbox.loadSeed({
        cluster: db.sandbox.cluster,
        database,
        file: path.resolve(runbook.dir, db.sandbox.seed),
      });
    }
  } catch (error) {
    await sandbox.teardown();
    const output = (error as { output?: string }).output;
    throw new RunbookError(
      "STEP_FAILED",
      `cannot load a seed: ${(error as Error).message}${output ? `\n${output}` : ""}`,
      { cause: error },
    );
  }
  const clusters = new Map(
    [...sandbox.clusters].map(([name, c]) => [
      name,
      { host: c.host, port: c.port, password: c.password },
    ]),
  );
  const env = { ...sandboxEnv(sandbox), PATH: sandbox.install.binDir };
  return {
    sandbox,
    binding: { clusters, env },
    secrets: [...sandbox.clusters.values()].map((c) => c.password),
  };
}

/**
 * Where the clusters live: TMPDIR when it is set, else tmpfs when it has room
 * (a cluster is a thousand small files; on tmpfs it starts several times
 * faster), else the system's temporary folder.
 */
function sandboxTmpDir(
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (env["TMPDIR"]) return undefined;
  try {
    const fs = statfsSync("/dev/shm");
    return fs.bavail * fs.bsize >= 2 * 2 ** 30 ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
}

function databaseName(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
    return name || undefined;
  } catch {
    return undefined;
  }
}
