import {
  diagnostic,
  isCodeAction,
  type Diagnostic,
  type Step,
} from "../../../engine/model/index.js";
import { unsharedVariables } from "../shared-variables.js";
import type { LintContext, LintRule, Snippet } from "../types.js";

/** Lower-case variables that commonly come from the environment. */
const LOWER_CASE_ENV = new Set([
  "http_proxy",
  "https_proxy",
  "ftp_proxy",
  "no_proxy",
  "all_proxy",
]);

/**
 * Variables in shell code, which reach it as environment variables (SPEC
 * 1.3): a captured variable used before the step that captures it runs
 * (`capture-order`, an error), and a lower-case `$name` that no param,
 * capture, sentinel or line of the same code sets (a warning: it is empty,
 * and a bash block, run with `set -u`, stops there). `${x:-default}` is
 * taken as meant. In `sh="…"` checks the message says why `${name}` is not
 * the runbook's interpolation.
 */
export const shellVariables: LintRule = {
  id: "undefined-shell-variable",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    // Set by an earlier block: variable-not-shared reports it where it is set, with the fix.
    const setEarlier = new Set(unsharedVariables(ctx).map((v) => v.name));
    for (const snippet of ctx.snippets) {
      if (snippet.language !== "shell") continue;
      const scan = ctx.shell(snippet);
      const reported = new Set<string>();
      for (const use of scan.variables) {
        const at = snippet.locate(use.line, use.column);
        const { name } = use;
        if (ctx.known.params.has(name) || ctx.known.sentinels.has(name))
          continue;
        const capturedBy = ctx.known.captures.get(name);
        if (capturedBy) {
          if (
            capturedTooLate(ctx, snippet, name, capturedBy) &&
            !scan.assigned.has(name)
          ) {
            out.push(
              diagnostic(
                at,
                "error",
                "capture-order",
                `"$${name}" is captured by step "${capturedBy.id}", which runs after this use: it is not set here`,
              ),
            );
          }
          continue;
        }
        if (
          scan.assigned.has(name) ||
          setEarlier.has(name) ||
          scan.dynamic ||
          use.guarded ||
          !/[a-z]/.test(name) ||
          LOWER_CASE_ENV.has(name) ||
          reported.has(name)
        )
          continue;
        reported.add(name);
        const leaf =
          snippet.origin.kind === "check" &&
          snippet.origin.check.form === "leaf";
        const message =
          leaf && use.braced
            ? `sh= is shell code, which runbook does not interpolate: the shell expands \${${name}} from its environment, and no param, capture or sentinel is named "${name}"`
            : `$${name} is not a param, capture or sentinel, and this code does not set it: it expands to nothing (a bash block stops: it runs with set -u)`;
        out.push(
          diagnostic(at, "warning", "undefined-shell-variable", message),
        );
      }
    }
    return out;
  },
};

/** The capturing step runs after this snippet's step, or the capturing block is this one or a later one of the same step. */
function capturedTooLate(
  ctx: LintContext,
  snippet: Snippet,
  name: string,
  capturedBy: Step,
): boolean {
  const order = (step: Step): number =>
    ctx.known.order.get(step.id) ?? step.index;
  if (capturedBy !== snippet.step)
    return order(capturedBy) > order(snippet.step);
  if (snippet.origin.kind === "check") return false;
  const actions = snippet.step.actions;
  const capturing = actions.findIndex(
    (a) => isCodeAction(a) && a.options.capture === name,
  );
  return capturing >= actions.indexOf(snippet.origin.action);
}
