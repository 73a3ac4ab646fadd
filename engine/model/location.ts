import { location } from "vfile-location";

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
export function shiftLocation(
  at: SourceLocation,
  lines: number,
  column = 1,
): SourceLocation {
  return { file: at.file, line: at.line + lines, column };
}

/**
 * The location of `offset` (UTF-16) within `text`, where `text` starts at
 * `at` in its file. `\n`, `\r\n` and a lone `\r` each end a line, as in
 * CommonMark; an offset past the end is the end.
 */
export function locateOffset(
  text: string,
  offset: number,
  at: SourceLocation = { file: "", line: 1, column: 1 },
): SourceLocation {
  const point = location(text).toPoint(
    Math.min(Math.max(offset, 0), text.length),
  );
  const line = point?.line ?? 1;
  const column = point?.column ?? 1;
  return {
    file: at.file,
    line: at.line + line - 1,
    column: line === 1 ? at.column + column - 1 : column,
  };
}
