import type { SqlCheck } from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import type { Runbook } from "../model/index.js";
import { loadSqlParser, parseSql, readOnlyViolation } from "../sql/index.js";

/**
 * SPEC 1.4: a check never changes anything. Reads every SQL check with the
 * real PostgreSQL parser and reports, at its place in the Markdown, each
 * statement that could leave the check's read-only transaction
 * (`check-read-only`), and SQL that does not parse (`sql-syntax`: nobody can
 * tell what it would do). Run, rehearse and plan await it with the parser's
 * other findings, before anything runs; lint reports the same through its
 * rules. The WebAssembly parser is loaded only when there is a SQL check.
 */
export async function validateCheckSql(
  runbook: Runbook,
): Promise<Diagnostic[]> {
  const checks = runbook.steps
    .flatMap((step) => step.checks)
    .filter((check): check is SqlCheck => check.kind === "sql");
  if (checks.length === 0) return [];
  await loadSqlParser();
  const out: Diagnostic[] = [];
  for (const check of checks) {
    const parsed = parseSql(check.code);
    const locate = checkLocator(check);
    if ("error" in parsed) {
      out.push(
        diagnostic(
          locate(parsed.error.line, parsed.error.column),
          "error",
          "sql-syntax",
          `SQL syntax: ${parsed.error.message}`,
        ),
      );
      continue;
    }
    for (const statement of parsed.statements) {
      const refused = readOnlyViolation(statement.tree);
      if (refused)
        out.push(
          diagnostic(
            locate(statement.line, statement.column),
            "error",
            "check-read-only",
            refused.message,
          ),
        );
    }
  }
  return out;
}

/**
 * Line and column of a check's SQL in the Markdown: a `sql="…"` value's
 * first line starts after its quote (later lines at column 1); a block's
 * lines are the file's, shifted by the fence's indentation.
 */
function checkLocator(
  check: SqlCheck,
): (line: number, column: number) => SourceLocation {
  const { codeAt } = check;
  return (line, column) => {
    if (check.form === "container")
      return {
        file: codeAt.file,
        line: codeAt.line + line - 1,
        column: codeAt.column + column - 1,
      };
    return line === 1
      ? {
          file: codeAt.file,
          line: codeAt.line,
          column: codeAt.column + column - 1,
        }
      : { file: codeAt.file, line: codeAt.line + line - 1, column };
  };
}
