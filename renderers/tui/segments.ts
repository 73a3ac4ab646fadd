import { splitAtWidth, textWidth, wordBreaks } from "./terminal-text.js";

/**
 * What a piece of text means, not how it looks: the theme turns a tone into
 * colour (or, with NO_COLOR, into nothing, so meaning must never depend on it).
 */
export type Tone =
  | "plain"
  | "bold"
  | "dim"
  | "heading"
  | "accent"
  | "ok"
  | "fail"
  | "warn"
  | "running"
  | "key"
  | "selected"
  | "added"
  | "removed"
  | "stderr"
  | "info"
  | "inline-code"
  | "secret"
  // syntax
  | "keyword"
  | "string"
  | "comment"
  | "number"
  | "variable"
  | "builtin"
  | "title"
  | "meta";

/** A run of text in one tone. */
export interface Seg {
  readonly text: string;
  readonly tone?: Tone;
}

/** One terminal row (after wrapping) or one logical line (before). */
export type Line = readonly Seg[];

export function seg(text: string, tone?: Tone): Seg {
  return tone ? { text, tone } : { text };
}

export function lineWidth(line: Line): number {
  let w = 0;
  for (const s of line) w += textWidth(s.text);
  return w;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join("");
}

/**
 * Hard-wraps a line to rows of at most `width` cells. Continuation rows start
 * with `indent` (a gutter, so a wrapped line is not mistaken for a new one).
 */
export function wrapLine(line: Line, width: number, indent: Line = []): Line[] {
  const rows: Seg[][] = [];
  const indentWidth = lineWidth(indent);
  let row: Seg[] = [];
  let room = width;
  /** Nothing but the indent on the row yet: a character wider than the row goes on it anyway. */
  let fresh = true;
  const newRow = (): void => {
    rows.push(row);
    row = [...indent];
    room = Math.max(1, width - indentWidth);
    fresh = true;
  };
  for (const s of line) {
    let rest = s.text;
    while (rest !== "") {
      if (room <= 0) newRow();
      const [head, tail] = splitAtWidth(rest, room);
      if (head === "" || (!fresh && textWidth(head) > room)) {
        newRow();
        continue;
      }
      fresh = false;
      row.push(s.tone ? { text: head, tone: s.tone } : { text: head });
      room -= textWidth(head);
      rest = tail;
    }
  }
  rows.push(row);
  return rows;
}

/**
 * Word-wraps a line of segments (prose) to rows of at most `width` cells:
 * wrap-ansi decides where words break (as Ink's `wrap`), a word longer than
 * a row is broken between grapheme clusters, and each row keeps its
 * segments' tones. Leading spaces of the line stay; continuation rows start
 * with `indent`.
 */
export function wrapWords(
  line: Line,
  width: number,
  indent: Line = [],
): Line[] {
  const segs = line.map((s) =>
    isNormalized(s.text) ? s : { ...s, text: s.text.normalize() },
  );
  const text = segs.map((s) => s.text).join("");
  if (textWidth(text) <= width) return [segs];
  const lead = /^\s*/.exec(text)?.[0].length ?? 0;
  const indentWidth = lineWidth(indent);
  const ranges = rowRanges(
    text,
    lead,
    Math.max(1, width - textWidth(text.slice(0, lead))),
    Math.max(1, width - indentWidth),
  );
  if (!ranges) return wrapGreedy(segs, width, indent);
  return ranges.map(([from, to], i) =>
    i === 0
      ? sliceLine(segs, 0, to)
      : [...indent, ...sliceLine(segs, from, to)],
  );
}

function isNormalized(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text) || text.normalize() === text;
}

/** Row ranges of `text` (from `lead` on): the first row `first` cells wide, the others `rest`. */
function rowRanges(
  text: string,
  lead: number,
  first: number,
  rest: number,
): Array<readonly [number, number]> | undefined {
  const out: Array<readonly [number, number]> = [];
  const firstBreaks = wordBreaks(text.slice(lead), first);
  if (!firstBreaks) return undefined;
  const [start, end] = firstBreaks[0] ?? [0, 0];
  // A word longer than its row goes on over the next rows (continuation rows are `rest` wide).
  const hard = (from: number, to: number, room: number): void => {
    let at = from;
    let chunk = text.slice(from, to);
    let cells = room;
    while (textWidth(chunk) > cells) {
      const [head, tail] = splitAtWidth(chunk, cells);
      out.push([at, at + head.length]);
      at += head.length;
      chunk = tail;
      cells = rest;
    }
    out.push([at, to]);
  };
  hard(lead + start, lead + end, first);
  const after = lead + end;
  const body = text.slice(after);
  const skip = /^\s*/.exec(body)?.[0].length ?? 0;
  if (after + skip >= text.length) return out;
  const breaks = wordBreaks(text.slice(after + skip), rest);
  if (!breaks) return undefined;
  for (const [from, to] of breaks)
    hard(after + skip + from, after + skip + to, rest);
  return out;
}

/** The part of a line between two offsets of its text. */
function sliceLine(segs: Line, from: number, to: number): Seg[] {
  const out: Seg[] = [];
  let at = 0;
  for (const s of segs) {
    const end = at + s.text.length;
    const a = Math.max(from, at);
    const b = Math.min(to, end);
    if (a < b)
      out.push(
        s.tone
          ? { text: s.text.slice(a - at, b - at), tone: s.tone }
          : { text: s.text.slice(a - at, b - at) },
      );
    at = end;
  }
  return out;
}

/** Word-wrap without wrap-ansi, for text it would change (Unicode it normalizes differently). */
function wrapGreedy(line: Line, width: number, indent: Line): Line[] {
  const rows: Seg[][] = [];
  const indentWidth = lineWidth(indent);
  let row: Seg[] = [];
  let used = 0;
  const push = (text: string, tone: Tone | undefined): void => {
    row.push(tone ? { text, tone } : { text });
    used += textWidth(text);
  };
  const breakRow = (): void => {
    const last = row[row.length - 1];
    if (last && /\s$/.test(last.text))
      row[row.length - 1] = { ...last, text: last.text.trimEnd() };
    rows.push(row);
    row = [...indent];
    used = indentWidth;
  };
  for (const s of line) {
    for (const token of s.text.split(/(\s+)/)) {
      if (token === "") continue;
      const tw = textWidth(token);
      if (used + tw <= width) {
        push(token, s.tone);
        continue;
      }
      if (/^\s+$/.test(token)) {
        breakRow();
        continue;
      }
      if (used > indentWidth && used > 0) breakRow();
      let rest = token;
      while (textWidth(rest) > width - used) {
        const [head, tail] = splitAtWidth(rest, Math.max(1, width - used));
        push(head, s.tone);
        breakRow();
        rest = tail;
      }
      if (rest) push(rest, s.tone);
    }
  }
  rows.push(row);
  return rows;
}
