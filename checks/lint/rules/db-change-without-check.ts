import {
  diagnostic,
  type Diagnostic,
  type Step,
} from "../../../engine/model/index.js";
import { statementChange } from "../sql-tree.js";
import type { LintContext, LintRule, Snippet } from "../types.js";
import { variableUses } from "../variable-uses.js";

/** psql commands that change a database without a SQL statement to show for it. */
const CHANGING_META =
  /^(?:i|ir|include|include_relative|gexec|lo_import|lo_unlink)$/;

/**
 * A step that changes a database (DDL, DML, roles, `COPY FROM`, a function
 * with side effects; in sql or psql blocks) and has no check to prove the
 * change worked: a warning, since the run would go on after a change that
 * did nothing. A step whose write is a sentinel verified later is checked.
 */
export const dbChangeWithoutCheck: LintRule = {
  id: "db-change-without-check",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    const provenLater = sentinelWriters(ctx);
    const bySteps = new Map<Step, Snippet[]>();
    for (const snippet of ctx.snippets) {
      if (snippet.language === "shell" || snippet.origin.kind !== "action")
        continue;
      const list = bySteps.get(snippet.step) ?? [];
      list.push(snippet);
      bySteps.set(snippet.step, list);
    }
    for (const [step, snippets] of bySteps) {
      if (step.checks.length > 0 || provenLater.has(step)) continue;
      const change = firstChange(ctx, snippets);
      if (!change) continue;
      const db =
        change.snippet.origin.kind === "action"
          ? change.snippet.origin.action.options.db
          : undefined;
      out.push(
        diagnostic(
          change.snippet.locate(change.line, change.column),
          "warning",
          "db-change-without-check",
          `step "${step.id}" changes ${db ? `database "${db}"` : "the database"} (${change.what}) but has no check: add a ::check that proves the change`,
        ),
      );
    }
    return out;
  },
};

function firstChange(
  ctx: LintContext,
  snippets: readonly Snippet[],
):
  { snippet: Snippet; what: string; line: number; column: number } | undefined {
  for (const snippet of snippets) {
    const analysis = ctx.sql(snippet);
    for (const statement of analysis.statements) {
      const what = statementChange(statement.tree, statement.text);
      if (what)
        return {
          snippet,
          what,
          line: statement.line,
          column: statement.column,
        };
    }
    const meta = analysis.metaCommands.find(
      (m) =>
        CHANGING_META.test(m.command) ||
        (m.command === "copy" && /\bfrom\b/i.test(m.args)),
    );
    if (meta)
      return {
        snippet,
        what: `\\${meta.command}`,
        line: meta.line,
        column: meta.column,
      };
  }
  return undefined;
}

/** Steps that write a sentinel which a check verifies: the check proves their write. */
function sentinelWriters(ctx: LintContext): Set<Step> {
  const names = new Set(ctx.runbook.sentinels.map((s) => s.name));
  if (names.size === 0) return new Set();
  const uses = variableUses(ctx).filter((u) => names.has(u.name));
  const verified = new Set(
    uses.filter((u) => u.by === "check").map((u) => u.name),
  );
  return new Set(
    uses
      .filter((u) => u.by === "action" && verified.has(u.name))
      .map((u) => u.step),
  );
}
