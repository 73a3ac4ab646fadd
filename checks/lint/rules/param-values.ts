import {
  diagnostic,
  type Diagnostic,
  braceRefNames,
} from "../../../engine/model/index.js";
import {
  checkPattern,
  interpolateParams,
  type ResolvedParam,
} from "../../../engine/params/index.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * SPEC 5: everything `run` refuses before running is a lint error. Of the
 * params, `run` refuses a `default:` or `rehearsal:` value that misses the
 * param's `pattern`, and defaults that name each other in a circle. What the
 * operator's environment or `--set` gives is not known to lint; a value with
 * `${…}` is checked once filled in, which only the run can do (unless it
 * is a circle between params, which needs no environment).
 */
export const paramValues: LintRule = {
  id: "param-pattern",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    const templates = new Map<string, ResolvedParam>();
    for (const param of ctx.runbook.params) {
      for (const [value, source] of [
        [param.default, "default"],
        [param.rehearsal, "rehearsal"],
      ] as const) {
        if (value === undefined) continue;
        if (braceRefNames(value).length > 0) {
          if (source === "default")
            templates.set(param.name, { param, value, source });
          continue;
        }
        const problem = checkPattern(param, value);
        if (problem)
          out.push(
            diagnostic(
              param.at,
              "error",
              "param-pattern",
              `${problem} (its ${source === "default" ? "default" : "rehearsal value"})`,
            ),
          );
      }
    }
    // Only params: a name from elsewhere is left unresolved, so no message but the circle's can come of it.
    const cycles = interpolateParams(templates, {
      lookup: () => undefined,
    }).diagnostics.filter((d) => d.rule === "param-cycle");
    return [...out, ...cycles];
  },
};
