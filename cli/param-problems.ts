import {
  diagnostic,
  invalidRunbook,
  usageError,
  type Param,
} from "../engine/model/index.js";
import type { ResolvedParams } from "../engine/params/index.js";
import { MissingParamError } from "../engine/run/index.js";

/**
 * Refuses params that cannot be used, before anything runs (SPEC 1.1), each
 * at the param's place in the front matter: a value that misses its
 * `pattern` (from --set, the environment or a default), and, when nobody can
 * be asked, every param with no value. A `--set` of a name the runbook does
 * not declare is a command-line error.
 */
export function refuseParams(
  resolved: ResolvedParams,
  o: { readonly canAsk: boolean },
): void {
  const unknown = resolved.diagnostics.filter(
    (d) => d.rule === "unknown-param",
  );
  if (unknown.length > 0)
    throw usageError(unknown.map((d) => d.message).join("; "));
  const missing = o.canAsk
    ? []
    : resolved.missing.map((p: Param) =>
        diagnostic(
          p.at,
          "error",
          "param-missing",
          new MissingParamError(p).message,
        ),
      );
  const problems = [...resolved.diagnostics, ...missing];
  if (problems.length > 0)
    throw invalidRunbook(problems.map((d) => d.message).join("; "), problems);
}
