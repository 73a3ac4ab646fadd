import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { CONFIRM_FIX, isConfirmed } from "../confirmation.js";
import { destructiveStatement } from "../sql-tree.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * `DROP DATABASE`, `DROP TABLE`, `DROP SCHEMA`, `TRUNCATE` and
 * `DELETE`/`UPDATE` without `WHERE` in a sql or psql block that runs without
 * asking first. Recognised from the parse tree, so `UPDATE … WHERE`, a
 * comment or a string that says "drop" are not reported.
 */
export const destructiveSql: LintRule = {
  id: "destructive-sql",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      const { origin } = snippet;
      if (
        snippet.language === "shell" ||
        origin.kind !== "action" ||
        isConfirmed(snippet.step, origin.action)
      )
        continue;
      for (const statement of ctx.sql(snippet).statements) {
        const what = destructiveStatement(statement.tree);
        if (!what) continue;
        out.push(
          diagnostic(
            snippet.locate(statement.line, statement.column),
            "error",
            "destructive-sql",
            `${what} in step "${snippet.step.id}", which runs without asking: ${CONFIRM_FIX}`,
          ),
        );
      }
    }
    return out;
  },
};
