import type { LintEdit, LintFix } from "./types.js";

/** The text after {@link applyFixes}, and which fixes went in. */
export interface AppliedFixes {
  readonly text: string;
  readonly applied: LintFix[];
  /** Fixes left out: they overlap one applied before, or the lines changed since lint read them. */
  readonly skipped: LintFix[];
}

/**
 * Applies the fixes of one file to its text, in line order: a fix any of
 * whose edits overlaps an edit of a fix taken before, or whose lines no
 * longer hold what lint read, is skipped whole (lint runs again and offers it
 * anew). Keeps the file's line ends (LF or CRLF) and a byte-order mark; pure:
 * the caller reads and writes files.
 */
export function applyFixes(
  original: string,
  fixes: readonly LintFix[],
): AppliedFixes {
  const bom = original.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = original.slice(bom.length);
  const eol = body.includes("\r\n") ? "\r\n" : "\n";
  const lines = body.split(/\r\n|\n/);
  const applied: LintFix[] = [];
  const skipped: LintFix[] = [];
  const taken: LintEdit[] = [];
  const first = (fix: LintFix): number =>
    Math.min(...fix.edits.map((e) => e.line));
  for (const fix of [...fixes].sort(
    (a, b) => first(a) - first(b) || a.line - b.line,
  )) {
    const holds = fix.edits.every((e) => {
      const current = lines.slice(e.line - 1, Math.max(e.endLine, e.line - 1));
      return (
        current.length === e.expect.length &&
        current.every((l, i) => l === e.expect[i])
      );
    });
    const overlaps = fix.edits.some(
      (e, i) =>
        taken.some((t) => touches(e, t)) ||
        fix.edits.some((o, j) => j !== i && touches(e, o)),
    );
    if (fix.edits.length === 0 || !holds || overlaps) skipped.push(fix);
    else {
      applied.push(fix);
      taken.push(...fix.edits);
    }
  }
  // From the end, so that the line numbers of earlier edits stay right; at one
  // line a replacement goes before an insertion (which then lands above it).
  const ordered = [...taken].sort(
    (a, b) => b.line - a.line || b.endLine - a.endLine,
  );
  for (const e of ordered)
    lines.splice(e.line - 1, e.endLine - e.line + 1, ...e.text);
  return { text: bom + lines.join(eol), applied, skipped };
}

/** Whether two edits touch the same lines (an insertion counts as its line). */
function touches(a: LintEdit, b: LintEdit): boolean {
  return (
    a.line <= Math.max(b.endLine, b.line) &&
    b.line <= Math.max(a.endLine, a.line)
  );
}
