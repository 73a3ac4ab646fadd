import type { LintFix } from './types.js';

/** The text after {@link applyFixes}, and which fixes went in. */
export interface AppliedFixes {
  readonly text: string;
  readonly applied: LintFix[];
  /** Fixes left out: they overlap one applied before, or the lines changed since lint read them. */
  readonly skipped: LintFix[];
}

/**
 * Applies the fixes of one file to its text, in line order: a fix whose lines
 * overlap an earlier one, or whose lines no longer hold what lint read, is
 * skipped (lint runs again and offers it anew). Keeps the file's line ends
 * (LF or CRLF) and a byte-order mark; pure: the caller reads and writes files.
 */
export function applyFixes(original: string, fixes: readonly LintFix[]): AppliedFixes {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = original.slice(bom.length);
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const lines = body.split(/\r\n|\n/);
  const applied: LintFix[] = [];
  const skipped: LintFix[] = [];
  let taken = 0;
  // Fixes apply from the end, so that line numbers of earlier ones stay right.
  const ordered = [...fixes].sort((a, b) => a.line - b.line || a.endLine - b.endLine);
  const accepted: LintFix[] = [];
  for (const fix of ordered) {
    const current = lines.slice(fix.line - 1, fix.endLine);
    const same = current.length === fix.expect.length && current.every((l, i) => l === fix.expect[i]);
    if (fix.line <= taken || !same) skipped.push(fix);
    else {
      accepted.push(fix);
      taken = fix.endLine;
    }
  }
  for (const fix of [...accepted].reverse()) lines.splice(fix.line - 1, fix.endLine - fix.line + 1, ...fix.text);
  applied.push(...accepted);
  return { text: bom + lines.join(eol), applied, skipped };
}
