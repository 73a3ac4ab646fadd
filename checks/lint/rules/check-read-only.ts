import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { readOnlyViolation } from "../../../engine/sql/index.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * SPEC 1.4: a check never changes anything. A SQL check with a statement
 * that could leave its read-only transaction (`COMMIT`, `SET
 * transaction_read_only`, `DO`, `CALL`, …) is an error, as it is for run,
 * rehearse and plan (engine/parse's validateCheckSql, same place and message).
 */
export const checkReadOnly: LintRule = {
  id: "check-read-only",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      if (snippet.language !== "sql" || snippet.origin.kind !== "check")
        continue;
      for (const statement of ctx.sql(snippet).statements) {
        const refused = readOnlyViolation(statement.tree);
        if (refused)
          out.push(
            diagnostic(
              snippet.locate(statement.line, statement.column),
              "error",
              "check-read-only",
              refused.message,
            ),
          );
      }
    }
    return out;
  },
};
