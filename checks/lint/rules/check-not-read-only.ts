import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { readOnlyViolation } from "../../../engine/sql/index.js";
import { statementChange } from "../sql-tree.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * A SQL check that changes the database. Checks run after the step's
 * actions and again on every poll of `wait=`, so a change there happens an
 * unknown number of times; it belongs in a sql block of the step.
 */
export const checkNotReadOnly: LintRule = {
  id: "check-not-read-only",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      if (snippet.language !== "sql" || snippet.origin.kind !== "check")
        continue;
      for (const statement of ctx.sql(snippet).statements) {
        // DO and CALL are check-read-only errors already.
        if (readOnlyViolation(statement.tree)) continue;
        const what = statementChange(statement.tree, statement.text);
        if (!what) continue;
        out.push(
          diagnostic(
            snippet.locate(statement.line, statement.column),
            "warning",
            "check-not-read-only",
            `this check changes the database (${what}); checks should only read, since they run again on every poll: move the change into a sql block`,
          ),
        );
        break;
      }
    }
    return out;
  },
};
