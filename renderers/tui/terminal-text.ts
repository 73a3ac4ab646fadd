import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import { stripEscapes } from "../../engine/secrets/index.js";

/**
 * Text as a terminal cell grid sees it: what a child printed is made safe to
 * draw inside the UI (no escape sequence or control character from a step
 * can move the cursor, clear the screen or reorder text), and widths are
 * counted in cells by the libraries Ink itself measures with (`string-width`,
 * `cli-truncate`, `wrap-ansi`), so a row the UI thinks fits is never cut by
 * Ink: ✅ ⌛ 🚀 are two cells, 👍🏽 is one grapheme of two cells.
 */

// C0/C1 controls except tab, bidirectional overrides and isolates (they can make text read differently than it is).
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter();

/**
 * One line of a step's output as it may be drawn: escapes removed, a
 * carriage return keeps what was written after it (a progress bar's last
 * state), backspaces erase, tabs become spaces, other controls disappear.
 */
export function sanitizeLine(raw: string): string {
  let text = stripEscapes(raw);
  if (text.endsWith("\r")) text = text.replace(/\r+$/, "");
  const cr = text.lastIndexOf("\r");
  if (cr >= 0) text = text.slice(cr + 1);
  if (text.includes("\b")) text = applyBackspaces(text);
  if (text.includes("\t")) text = expandTabs(text);
  return text.replace(CONTROLS, "");
}

function applyBackspaces(text: string): string {
  const out: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    if (segment === "\b") out.pop();
    else out.push(segment);
  }
  return out.join("");
}

/** Tabs as spaces to the next stop of `tab` cells (string-width counts a tab as nothing). */
export function expandTabs(text: string, tab = 8): string {
  if (!text.includes("\t")) return text;
  let out = "";
  let col = 0;
  for (const part of text.split(/(\t)/)) {
    if (part === "\t") {
      const n = tab - (col % tab);
      out += " ".repeat(n);
      col += n;
    } else {
      out += part;
      col += textWidth(part);
    }
  }
  return out;
}

/** Width of `text` in terminal cells, as Ink counts it. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** The grapheme clusters of `text` (a flag, 👍🏽 or e + ◌́ is one). */
function clusters(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split("");
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/**
 * Splits `text` after at most `width` cells: [head, rest]. Never splits a
 * grapheme cluster; a cluster wider than `width` at the start is taken whole
 * (a row of one cell cannot hold less than one character).
 */
export function splitAtWidth(text: string, width: number): [string, string] {
  if (PRINTABLE_ASCII.test(text)) {
    const n = Math.max(width <= 0 ? 0 : 1, Math.min(text.length, width));
    return [text.slice(0, n), text.slice(n)];
  }
  let w = 0;
  let i = 0;
  for (const { segment } of graphemes.segment(text)) {
    const cw = stringWidth(segment);
    if (w + cw > width && (i > 0 || width <= 0)) break;
    w += cw;
    i += segment.length;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** The end of `text` that fits in `width` cells (whole grapheme clusters). */
export function takeEnd(text: string, width: number): string {
  const parts = clusters(text);
  let w = 0;
  let i = parts.length;
  while (i > 0) {
    const cw = stringWidth(parts[i - 1] ?? "");
    if (w + cw > width) break;
    w += cw;
    i--;
  }
  return parts.slice(i).join("");
}

/** `text` cut to `width` cells, ending in `…` when it was longer (cli-truncate, as Ink's `truncate-end`). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  if (stringWidth(text) <= width) return text;
  // cli-truncate may keep a wide character that crosses the edge (🚀🚀🚀 at 4 cells gives 5): ask for less until it fits.
  for (let room = width; room > 0; room--) {
    const cut = cliTruncate(text, room, { position: "end" });
    if (stringWidth(cut) <= width) return cut;
  }
  return "";
}

/** `text` padded with spaces to `width` cells (cut when longer). */
export function padEnd(text: string, width: number): string {
  const t = truncate(text, width);
  return t + " ".repeat(Math.max(0, width - stringWidth(t)));
}

/**
 * Word-wraps plain text to rows of at most `width` cells (wrap-ansi, as Ink's
 * `wrap`); a word longer than a row is broken between grapheme clusters.
 */
export function wrapText(text: string, width: number): string[] {
  const rows: string[] = [];
  for (const line of text.split("\n")) {
    for (const row of wrapAnsi(line.normalize(), Math.max(1, width), {
      hard: false,
      trim: true,
      wordWrap: true,
    }).split("\n")) {
      let rest = row;
      while (stringWidth(rest) > width) {
        const [head, tail] = splitAtWidth(rest, width);
        rows.push(head);
        rest = tail;
      }
      rows.push(rest);
    }
  }
  return rows;
}

/**
 * Where wrap-ansi breaks `text` into words that fit `width` cells: the
 * offsets in `text` at which each row starts and ends (the spaces at a break
 * are in no row). Undefined when its rows cannot be found in `text` again.
 */
export function wordBreaks(
  text: string,
  width: number,
): Array<readonly [number, number]> | undefined {
  const source = text.normalize();
  if (source !== text) return undefined;
  const rows = wrapAnsi(text, Math.max(1, width), {
    hard: false,
    trim: true,
    wordWrap: true,
  }).split("\n");
  const out: Array<readonly [number, number]> = [];
  let at = 0;
  for (const row of rows) {
    while (
      at < text.length &&
      /\s/.test(text[at] ?? "") &&
      !text.startsWith(row, at)
    )
      at++;
    if (!text.startsWith(row, at)) return undefined;
    out.push([at, at + row.length]);
    at += row.length;
  }
  return out;
}
