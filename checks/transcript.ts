/**
 * Compares a console transcript's expected lines with what was printed.
 * `...` on a line of its own matches any run of lines (also none); trailing
 * spaces and trailing blank lines are ignored.
 */
export function matchTranscript(
  expected: readonly string[],
  actual: readonly string[],
): boolean {
  const e = trimBlankTail(expected.map((l) => l.trimEnd()));
  const a = trimBlankTail(actual.map((l) => l.trimEnd()));
  // Glob matching over lines, iteratively with backtracking to the last `...`.
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < a.length) {
    if (i < e.length && e[i] !== "..." && e[i] === a[j]) {
      i++;
      j++;
    } else if (i < e.length && e[i] === "...") {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < e.length && e[i] === "...") i++;
  return i === e.length;
}

function trimBlankTail(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === "") end--;
  return lines.slice(0, end);
}
