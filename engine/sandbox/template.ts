import {
  appendFile,
  chown,
  mkdtemp,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { copyTree } from "./copy-tree.js";
import type { PgInstall } from "./find-postgres.js";
import { PG_HBA, TEMPLATE_SETTINGS, renderSettings } from "./server-config.js";
import { SandboxError, tail } from "./sandbox-error.js";
import { asServerUser, type ServerUser } from "./server-user.js";
import { syncTree } from "./sync-tree.js";

/** Bump when TEMPLATE_SETTINGS, PG_HBA or the initdb options change: old caches are then ignored. */
const TEMPLATE_FORMAT = 1;
/** Written last, so a directory without it is not a template. Never copied into clusters. */
export const TEMPLATE_MARKER = ".runbook-template";

export interface TemplateOptions {
  install: PgInstall;
  user: ServerUser;
  /** Where templates are cached; undefined builds one for this sandbox only. */
  cacheDir: string | undefined;
  /** A directory the server user may write (the sandbox root). */
  scratchDir: string;
  env: Record<string, string | undefined>;
}

/**
 * The path of a configured, never-started data directory for this PostgreSQL
 * release and server user, running initdb only if no cached one exists.
 * Built beside the cache and renamed into place, so that a reader never sees
 * half a template and, of two processes racing, one rename wins and the other
 * uses its result.
 */
export async function ensureTemplate(
  options: TemplateOptions,
): Promise<string> {
  const { install, user, cacheDir, scratchDir } = options;
  if (cacheDir === undefined) {
    const dataDir = join(scratchDir, ".template");
    await buildTemplate(options, dataDir);
    return dataDir;
  }
  // A build shipped on npm may be configured unlike the system's of the same release: a template of its own.
  const templateDir = join(
    cacheDir,
    `template-pg${install.version}${install.source === "npm" ? "-npm" : ""}-${user.name}-v${TEMPLATE_FORMAT}`,
  );
  if (await isTemplate(templateDir)) return templateDir;

  const staging = await mkdtemp(join(cacheDir, ".building-"));
  try {
    const built = join(staging, "data");
    if (user.runuser === undefined) {
      await buildTemplate(options, built);
    } else {
      // The server user cannot reach root's cache directory: initdb where it can, then move it.
      const scratch = await mkdtemp(join(scratchDir, ".initdb-"));
      try {
        await chown(scratch, user.uid, user.gid);
        await buildTemplate(options, join(scratch, "data"));
        await moveTree(join(scratch, "data"), built);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    await syncTree(built);
    await writeFile(
      join(built, TEMPLATE_MARKER),
      `PostgreSQL ${install.version} data directory template for runbook sandboxes\n`,
    );
    try {
      await rename(built, templateDir);
    } catch (error) {
      if (!(await isTemplate(templateDir))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return templateDir;
}

/** rename, or copy when the two are on different file systems (a tmpfs /tmp). */
async function moveTree(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await copyTree({ from, to });
  }
}

async function isTemplate(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, TEMPLATE_MARKER))).isFile();
  } catch {
    return false;
  }
}

/** initdb as the server user, then the sandbox's settings and pg_hba.conf. */
async function buildTemplate(
  options: TemplateOptions,
  dataDir: string,
): Promise<void> {
  const { install, user, env } = options;
  const initdbArgs = [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    // ensureTemplate syncs once the template is complete.
    "--no-sync",
    ...(install.major >= 14 ? ["--no-instructions"] : []),
  ];
  const { file, args } = asServerUser(
    user,
    join(install.binDir, "initdb"),
    initdbArgs,
  );
  const result = await execa(file, args, {
    env: { PATH: env.PATH ?? "", LC_ALL: "C" },
    extendEnv: false,
    stdin: "ignore",
    all: true,
    reject: false,
    // The server user may not be able to enter our working directory.
    cwd: options.scratchDir,
  });
  if (result.exitCode !== 0) {
    const output = result.all;
    throw new SandboxError(
      `initdb failed (${result.shortMessage}) creating the sandbox template in ${dataDir}:\n${tail(output)}`,
      { output },
    );
  }
  await appendFile(
    join(dataDir, "postgresql.conf"),
    renderSettings(
      "runbook sandbox: throwaway cluster settings",
      TEMPLATE_SETTINGS,
    ),
  );
  await writeFile(join(dataDir, "pg_hba.conf"), PG_HBA);
}
