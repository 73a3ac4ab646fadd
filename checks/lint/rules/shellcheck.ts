import {
  diagnostic,
  type Diagnostic,
  type Severity,
} from "../../../engine/model/index.js";
import type { LintContext, LintRule } from "../types.js";
import { unsharedVariables } from "../shared-variables.js";
import { isAssignmentsOnly } from "./assignments-only.js";
import { hasShellSyntaxError } from "./shell-syntax.js";

const SEVERITY: Record<"error" | "warning" | "info" | "style", Severity> = {
  error: "error",
  warning: "warning",
  info: "info",
  style: "info",
};

/**
 * shellcheck's findings on shell blocks, checks and console sessions, with
 * its own code in the rule id (`shellcheck/SC2086`) and its level as the
 * severity (style and info are `info`). Its parse errors (SC1xxx) are left
 * out where bash -n already reported the syntax error.
 */
export const shellcheckFindings: LintRule = {
  id: "shellcheck/",
  needsTools: true,
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    // "appears unused" of a variable a later block uses is said better by variable-not-shared.
    const unshared = new Set(
      unsharedVariables(ctx).map((v) => `${v.snippet.id}\0${v.name}`),
    );
    for (const snippet of ctx.snippets) {
      const findings = ctx.tools.get(snippet.id) ?? [];
      const syntaxError =
        findings.length > 0 && hasShellSyntaxError(ctx, snippet);
      // A block of bare assignments gets one assignments-only warning instead of SC2034 on each line.
      const unusedIsKnown =
        findings.length > 0 && isAssignmentsOnly(ctx, snippet);
      for (const f of findings) {
        if (
          f.tool !== "shellcheck" ||
          (syntaxError && f.code < 2000) ||
          (unusedIsKnown && f.code === 2034)
        )
          continue;
        if (
          isFalseAlarm(
            f.code,
            snippet.code.split("\n")[f.line - 1] ?? "",
            f.column,
          )
        )
          continue;
        if (
          f.code === 2034 &&
          unshared.has(
            `${snippet.id}\0${/^(\w+) appears unused/.exec(f.message)?.[1] ?? ""}`,
          )
        )
          continue;
        out.push(
          diagnostic(
            snippet.locate(f.line, f.column),
            SEVERITY[f.level],
            `shellcheck/SC${f.code}`,
            f.message,
          ),
        );
      }
    }
    return out;
  },
};

/** Options of `read` that take an argument. */
const READ_ARGUMENT = /^-[a-zA-Z]*[pdtuniNa]$/;

/**
 * Findings shellcheck cannot tell from intent, seen in real runbooks
 * (test/fixtures/corpus): SC2162 ("read without -r") on a `read -p "press
 * return"` that keeps nothing, and SC2016 ("expressions don't expand in
 * single quotes") on a Go template (`--template='{{range $k, $v := …}}'`)
 * whose `$` is the template's own.
 */
export function isFalseAlarm(
  code: number,
  line: string,
  column: number,
): boolean {
  if (code === 2162) return isPauseRead(line.slice(column - 1));
  if (code === 2016) return isTemplate(line.slice(column - 1));
  return false;
}

/** `read`, `read -p "…"`, `read -t 5`: a pause, storing no name (backslashes cannot be mangled). */
function isPauseRead(from: string): boolean {
  const m = /^read\b((?:[^;&|)"']|"[^"]*"|'[^']*')*)/.exec(from);
  if (!m) return false;
  const words = (m[1] ?? "").match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (!word.startsWith("-")) return false;
    if (READ_ARGUMENT.test(word)) i++;
  }
  return true;
}

/** A single-quoted word whose every `$` is inside `{{ … }}`. */
function isTemplate(from: string): boolean {
  const quoted = /^'([^']*)'/.exec(from)?.[1];
  if (quoted === undefined || !quoted.includes("{{")) return false;
  return !quoted.replace(/\{\{.*?\}\}/g, "").includes("$");
}
