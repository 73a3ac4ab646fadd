import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { usageError, type Diagnostic } from "../../engine/model/index.js";
import { displayPath, expandPaths } from "../../engine/parse/index.js";
import { LintCache, lintFiles, ruleInfo } from "../../checks/lint/index.js";
import { fixFiles } from "./lint-fix.js";
import { renderLint } from "../../renderers/lint/index.js";
import { colorEnabled } from "../../renderers/style.js";
import type { Io } from "../io.js";
import type { LintFlags } from "../definitions.js";

/**
 * `runbook lint PATHS…` (SPEC 5): lints every runbook the paths name, prints
 * the problems in the chosen format (a clean lint in stylish: one line,
 * `3 files, no problems`), and exits 1 when there is an error or
 * more warnings than `--max-warnings`, else 0. With `--fix` the safe fixes
 * are applied in place first, and what they changed is printed as a diff. Paths that name nothing are a
 * usage error (exit 2), so that a CI job with a wrong path does not pass.
 */
export async function lintCommand(
  paths: string[],
  flags: Partial<LintFlags>,
  io: Io,
): Promise<number> {
  const format = flags.format ?? "stylish";
  const maxWarnings = flags.maxWarnings;
  if (
    maxWarnings !== undefined &&
    (!Number.isInteger(maxWarnings) || maxWarnings < 0)
  )
    throw usageError("--max-warnings needs a whole number of 0 or more");
  const { files, problems } = expandPaths(paths, io.cwd);
  if (problems.length > 0) throw usageError(problems.join("; "));

  const cacheDir =
    flags.cache === false
      ? undefined
      : flags.cacheLocation !== undefined
        ? path.resolve(io.cwd, flags.cacheLocation)
        : defaultCacheDir(io.cwd, io.env);
  const cache =
    cacheDir === undefined
      ? undefined
      : new LintCache({ dir: cacheDir, version: packageVersion() });
  const options = {
    env: io.env,
    shellcheck: flags.shellcheck !== false,
    ...(cache ? { cache } : {}),
  };
  // What --fix changed goes with the findings in stylish, to stderr in the machine formats.
  if (flags.fix)
    await fixFiles(files, options, {
      io,
      report: format === "stylish" ? io.stdout : io.stderr,
      color: colorEnabled(io.stdout, io.env),
    });
  const found = await lintFiles(files, options);
  cache?.save();
  const diagnostics: Diagnostic[] = found.map((d) => ({
    ...d,
    file: displayPath(path.resolve(io.cwd, d.file), io.cwd),
  }));
  io.stdout.write(
    renderLint(format, diagnostics, {
      cwd: io.cwd,
      version: packageVersion(),
      describe: ruleInfo,
      color: colorEnabled(io.stdout, io.env),
      files: files.map((f) => displayPath(path.resolve(io.cwd, f), io.cwd)),
    }),
  );
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  if (errors > 0) return 1;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    if (format === "stylish")
      io.stdout.write(
        `runbook lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`,
      );
    else
      io.stderr.write(
        `runbook lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`,
      );
    return 1;
  }
  return 0;
}

/**
 * Where lint keeps its cache unless told: `node_modules/.cache/runbook` of
 * the nearest folder upwards that has a `node_modules` (the convention of
 * babel, eslint-loader and ava, which CI set-ups already keep between
 * runs), else `$XDG_CACHE_HOME/runbook` (`~/.cache/runbook`). Never beside the
 * runbooks: a lint must not leave files in the repository it checks.
 */
function defaultCacheDir(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "node_modules")))
      return path.join(dir, "node_modules", ".cache", "runbook");
    if (path.dirname(dir) === dir) break;
  }
  const base =
    env["XDG_CACHE_HOME"] ||
    (env["HOME"] ? path.join(env["HOME"], ".cache") : undefined);
  return base ? path.join(base, "runbook") : undefined;
}

/** The version in runbook's package.json, found upwards from this module (source or dist). */
function packageVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "runbook" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "0.0.0";
  }
}
