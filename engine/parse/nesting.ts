import { diagnostic, type Diagnostic } from "../model/index.js";

/**
 * Lists and block quotes nested deeper than this are refused: micromark's
 * time grows faster than the input past a few dozen levels (a 400-level list
 * took 15 s), and every tree walk after it is recursive. Real runbooks nest
 * three or four levels.
 */
export const MAX_NESTING = 32;
/** Emphasis markers in one paragraph past this are refused: resolving nested `*_*_…` is quadratic in micromark. */
export const MAX_EMPHASIS_RUNS = 1000;

const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const MARKER = /^(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/;
const CODE_SPAN = /(`+)[^`]*?\1/g;

/**
 * Finds the first place where the document nests deeper than the parser can
 * take in linear time, before it is parsed: one pass, no parse. Lines inside
 * fences are not looked at. The estimate of a line's depth is its container
 * markers (`>`, `-`, `1.`) plus half its indentation.
 */
export function nestingProblem(
  source: string,
  file: string,
): Diagnostic | undefined {
  let fence: string | undefined;
  let runs = 0;
  let blockLine = 0;
  let line = 0;
  for (let start = 0; start <= source.length; line++) {
    const end = source.indexOf("\n", start);
    const text = source.slice(start, end < 0 ? source.length : end);
    start = end < 0 ? source.length + 1 : end + 1;
    const open = FENCE.exec(text);
    if (fence !== undefined) {
      if (
        open?.[1] !== undefined &&
        open[1][0] === fence[0] &&
        open[1].length >= fence.length
      )
        fence = undefined;
      continue;
    }
    if (open?.[1]) {
      fence = open[1];
      continue;
    }
    if (/^[ \t]*$/.test(text)) {
      runs = 0;
      continue;
    }
    const column = tooDeepAt(text);
    if (column !== undefined) {
      return diagnostic(
        { file, line: line + 1, column },
        "error",
        "nesting",
        `lists or block quotes nested more than ${MAX_NESTING} levels deep here: runbook reads at most ${MAX_NESTING} (flatten the list)`,
      );
    }
    if (runs === 0) blockLine = line;
    runs += emphasisRuns(text);
    if (runs > MAX_EMPHASIS_RUNS) {
      return diagnostic(
        { file, line: blockLine + 1, column: 1 },
        "error",
        "nesting",
        `more than ${MAX_EMPHASIS_RUNS} emphasis markers (* or _) in the paragraph that starts here: runbook refuses to read it (split the paragraph)`,
      );
    }
  }
  return undefined;
}

/**
 * The column of the container marker that takes the line past MAX_NESTING,
 * counting the line's markers plus half the indentation before the first (a
 * nested list item is indented under its parent's text).
 */
function tooDeepAt(text: string): number | undefined {
  let i = 0;
  let levels = -1;
  for (;;) {
    let width = 0;
    while (text[i] === " " || text[i] === "\t") {
      width += text[i] === "\t" ? 4 - (width % 4) : 1;
      i++;
    }
    if (levels < 0) levels = Math.floor(width / 2);
    const m = MARKER.exec(text.slice(i, i + 12));
    if (!m) return undefined;
    if (++levels > MAX_NESTING) return i + 1;
    i += m[0].length;
  }
}

/** Runs of `*` or `_` that can open or close emphasis (an `_` between two letters or digits cannot), outside code spans. */
function emphasisRuns(text: string): number {
  if (!text.includes("*") && !text.includes("_")) return 0;
  const plain = text.includes("`") ? text.replace(CODE_SPAN, "") : text;
  let runs = 0;
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i];
    if (c !== "*" && c !== "_") continue;
    let j = i;
    while (plain[j + 1] === c) j++;
    const before = plain[i - 1] ?? " ";
    const after = plain[j + 1] ?? " ";
    if (
      c === "*" ||
      !(/[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after))
    )
      runs++;
    i = j;
  }
  return runs;
}
