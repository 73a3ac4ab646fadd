/** A place in a source file: 1-based line and column, like editors and compilers print them. */
export interface SourceLocation {
  /** Path of the Markdown file, as the runbook was opened (included files keep their own path). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units as micromark does. */
  readonly column: number;
}

/** `file:line:column`, the form every editor and CI annotation understands. */
export function formatLocation(at: SourceLocation): string {
  return `${at.file}:${at.line}:${at.column}`;
}

/** The location `lines` lines below `at` (column 1 unless given). */
export function shiftLocation(at: SourceLocation, lines: number, column = 1): SourceLocation {
  return { file: at.file, line: at.line + lines, column };
}
