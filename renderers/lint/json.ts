import type { Diagnostic } from "../../engine/model/index.js";

/** SPEC 5: one JSON array of `{file, line, column, severity, rule, message}`, nothing else. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(
    ({ file, line, column, severity, rule, message }) => ({
      file,
      line,
      column,
      severity,
      rule,
      message,
    }),
  );
  return `${JSON.stringify(rows, null, 2)}\n`;
}
