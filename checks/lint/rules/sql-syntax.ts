import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * SQL the real PostgreSQL parser rejects, in sql and psql blocks and in SQL
 * checks (leaf `sql=` and container), at the line and column inside the
 * code; and psql meta-commands where the SQL runs through node-postgres
 * (sql blocks, checks), which would send them to the server.
 */
export const sqlSyntax: LintRule = {
  id: "sql-syntax",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      if (snippet.language === "shell") continue;
      for (const problem of ctx.sql(snippet).problems) {
        const at = snippet.locate(problem.line, problem.column);
        if (problem.rule === "sql-syntax") {
          // `${name}` is the attribute syntax; in SQL it is not replaced, and the parser stops at it.
          const brace = /\$\{([A-Za-z_]\w*)\}/.exec(
            snippet.code.split("\n")[problem.line - 1] ?? "",
          );
          const hint = brace
            ? ` (SQL is not interpolated: write :'${brace[1]}' for a value or :"${brace[1]}" for a name instead of \${${brace[1]}})`
            : "";
          out.push(
            diagnostic(
              at,
              "error",
              "sql-syntax",
              `SQL syntax: ${problem.message}${hint}`,
            ),
          );
        } else {
          const fix =
            snippet.origin.kind === "check"
              ? "a check's SQL must be plain SQL"
              : "use a ```psql block for meta-commands";
          out.push(
            diagnostic(
              at,
              "error",
              "psql-meta-command",
              `${problem.message}; ${fix}`,
            ),
          );
        }
      }
    }
    return out;
  },
};
