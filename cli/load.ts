import {
  formatDiagnostic,
  hasErrors,
  invalidRunbook,
  RunbookError,
  type Diagnostic,
  type Runbook,
  type VarRef,
  plural,
} from "../engine/model/index.js";
import {
  parseRunbookFile,
  validateCheckSql,
  validateRunbook,
} from "../engine/parse/index.js";
// Only the names: the sandbox itself (processes, files) loads when a rehearsal starts one.
import { sandboxEnvNames } from "../engine/sandbox/sandbox-env.js";
import { writeLine, type Io } from "./io.js";

export interface LoadOptions {
  /** Cross-check db=, on= and variables against the environment (run, plan). */
  readonly validate: boolean;
  /**
   * The run uses throwaway clusters (rehearse, run --sandbox): a database with
   * `sandbox:` whose URL names an unset environment variable is fine, it then
   * means the cluster's superuser on database `postgres` (SPEC 1.1).
   */
  readonly sandbox?: boolean;
  /** The kind of run: a block or check with `only=` for the other kind does not need its environment variables. */
  readonly mode?: "live" | "rehearsal";
  /** Print no warnings (a reread during a run: they were printed when it started, and the UI owns the screen). */
  readonly quiet?: boolean;
}

/**
 * Parses a runbook for a command; prints its problems and throws when it
 * cannot be used. Async for one reason: SQL checks are read with the real
 * PostgreSQL parser (WebAssembly, loaded only when there is a SQL check), so
 * that a check that could write is refused before anything runs (SPEC 1.4).
 */
export async function loadRunbook(
  file: string,
  io: Io,
  options: LoadOptions,
): Promise<Runbook> {
  let result;
  try {
    result = parseRunbookFile(file);
  } catch (error) {
    throw new RunbookError("USAGE", (error as Error).message, { cause: error });
  }
  const diagnostics: Diagnostic[] = [
    ...result.diagnostics,
    ...(await validateCheckSql(result.runbook)),
  ];
  if (options.validate) {
    const runbook = result.runbook;
    diagnostics.push(
      ...validateRunbook(withoutUnusedEnvRefs(runbook, options), {
        env: {
          ...io.env,
          ...providedVariables(runbook, options.sandbox === true),
        },
      }),
    );
  }
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (!options.quiet)
    for (const d of diagnostics.filter((d) => d.severity === "warning"))
      writeLine(io.stderr, formatDiagnostic(d));
  if (hasErrors(diagnostics))
    throw invalidRunbook(`${file}: ${plural(errors.length, "error")}`, errors);
  return result.runbook;
}

/**
 * Reads the runbook again during a run (the operator retries a step after
 * editing it): validated exactly as at the start, quietly; a runbook that
 * no longer reads throws with its first error as one `file:line:column:`
 * line, for the engine to show at the failure question.
 */
export function rereader(
  file: string,
  io: Io,
  options: LoadOptions,
): () => Promise<Runbook> {
  return async () => {
    try {
      return await loadRunbook(file, io, { ...options, quiet: true });
    } catch (error) {
      const first =
        error instanceof RunbookError
          ? error.diagnostics.find((d) => d.severity === "error")
          : undefined;
      if (!first) throw error;
      const more =
        (error as RunbookError).diagnostics.filter(
          (d) => d.severity === "error",
        ).length - 1;
      throw new Error(
        `${formatDiagnostic(first)}${more > 0 ? ` (and ${more} more)` : ""}`,
      );
    }
  };
}

/**
 * The runbook without the uses of environment variables that this run does
 * not need: in a sandboxed run, those in a sandboxed database's URL (it may
 * not resolve at all), and those of blocks and checks whose `only=` is the
 * other kind of run (`cwd="${RUNBOOK_SANDBOX_DIR}"` on an `only=rehearsal`
 * block in a live run). Params, sentinels and captures are still checked.
 */
function withoutUnusedEnvRefs(runbook: Runbook, options: LoadOptions): Runbook {
  const variables = new Set([
    ...runbook.params.map((p) => p.name),
    ...runbook.sentinels.map((s) => s.name),
    ...runbook.steps.flatMap((s) =>
      s.actions.flatMap((a) =>
        "options" in a && a.options.capture !== undefined
          ? [a.options.capture]
          : [],
      ),
    ),
  ]);
  const envOnly = (refs: readonly VarRef[]): VarRef[] =>
    refs.filter((r) => r.syntax !== "brace" || variables.has(r.name));
  const key = (r: VarRef): string =>
    `${r.at.file}:${r.at.line}:${r.at.column}:${r.name}`;
  const skip = new Set(
    options.sandbox
      ? runbook.databases
          .filter((d) => d.sandbox)
          .flatMap((d) => d.refs.filter((r) => !variables.has(r.name)).map(key))
      : [],
  );
  const other = (only: string | undefined): boolean =>
    options.mode !== undefined && only !== undefined && only !== options.mode;
  let changed = skip.size > 0;
  const steps = runbook.steps.map((step) => {
    if (
      !step.actions.some((a) => "options" in a && other(a.options.only)) &&
      !step.checks.some((c) => other(c.only))
    )
      return step;
    changed = true;
    return {
      ...step,
      actions: step.actions.map((a) =>
        "options" in a && other(a.options.only)
          ? { ...a, refs: envOnly(a.refs) }
          : a,
      ),
      checks: step.checks.map((c) =>
        other(c.only) ? { ...c, refs: envOnly(c.refs) } : c,
      ),
    };
  });
  return changed
    ? { ...runbook, refs: runbook.refs.filter((r) => !skip.has(key(r))), steps }
    : runbook;
}

/** Variables the engine gives every step (SPEC 1.3), and a rehearsal's sandbox variables: `${RUNBOOK_STEP}` is defined. */
function providedVariables(
  runbook: Runbook,
  sandbox: boolean,
): Record<string, string> {
  const names = [
    "RUNBOOK_RUN_ID",
    "RUNBOOK_FILE",
    "RUNBOOK_STEP",
    "RUNBOOK_MODE",
  ];
  if (sandbox)
    names.push(
      ...sandboxEnvNames(
        new Set(
          runbook.databases.flatMap((d) =>
            d.sandbox ? [d.sandbox.cluster] : [],
          ),
        ),
      ),
    );
  return Object.fromEntries(names.map((n) => [n, ""]));
}
