import { formatLocation, type SourceLocation } from "./location.js";

export type Severity = "error" | "warning" | "info";

/**
 * A problem found in a runbook, as data. The parser, lint and the CLI share
 * this shape; `--format json` prints it as is.
 */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  /** Stable rule id, e.g. `sql-syntax`, `unknown-db`, `shellcheck/SC2086`. */
  readonly rule: string;
  /** One line an operator can act on. */
  readonly message: string;
}

/** Builds a diagnostic at a source location. */
export function diagnostic(
  at: SourceLocation,
  severity: Severity,
  rule: string,
  message: string,
): Diagnostic {
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    severity,
    rule,
    message: oneLine(message),
  };
}

/** `file:line:column: severity: message [rule]`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d)}: ${d.severity}: ${d.message} [${d.rule}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, line, column, then rule, for stable output. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.rule.localeCompare(b.rule)
  );
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}
