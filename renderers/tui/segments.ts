import { splitAtWidth, textWidth } from './terminal-text.js';

/**
 * What a piece of text means, not how it looks: the theme turns a tone into
 * colour (or, with NO_COLOR, into nothing, so meaning must never depend on it).
 */
export type Tone =
  | 'plain'
  | 'bold'
  | 'dim'
  | 'heading'
  | 'accent'
  | 'ok'
  | 'fail'
  | 'warn'
  | 'running'
  | 'key'
  | 'selected'
  | 'added'
  | 'removed'
  | 'stderr'
  | 'info'
  | 'inline-code'
  | 'secret'
  // syntax
  | 'keyword'
  | 'string'
  | 'comment'
  | 'number'
  | 'variable'
  | 'builtin'
  | 'title'
  | 'meta';

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
  return line.map((s) => s.text).join('');
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
  const newRow = (): void => {
    rows.push(row);
    row = [...indent];
    room = Math.max(1, width - indentWidth);
  };
  for (const s of line) {
    let rest = s.text;
    while (rest !== '') {
      if (room <= 0) newRow();
      const [head, tail] = splitAtWidth(rest, room);
      if (head === '') {
        newRow();
        continue;
      }
      row.push(s.tone ? { text: head, tone: s.tone } : { text: head });
      room -= textWidth(head);
      rest = tail;
    }
  }
  rows.push(row);
  return rows;
}

/** Word-wraps a line of segments (prose) to rows of at most `width` cells. */
export function wrapWords(line: Line, width: number, indent: Line = []): Line[] {
  const rows: Seg[][] = [];
  const indentWidth = lineWidth(indent);
  let row: Seg[] = [];
  let used = 0;
  let max = width;
  const push = (text: string, tone: Tone | undefined): void => {
    const last = row[row.length - 1];
    if (last && last.tone === tone) row[row.length - 1] = tone ? { text: last.text + text, tone } : { text: last.text + text };
    else row.push(tone ? { text, tone } : { text });
    used += textWidth(text);
  };
  const breakRow = (): void => {
    const last = row[row.length - 1];
    if (last && /\s$/.test(last.text)) row[row.length - 1] = { ...last, text: last.text.trimEnd() };
    rows.push(row);
    row = [...indent];
    used = indentWidth;
    max = width;
  };
  for (const s of line) {
    for (const token of s.text.split(/(\s+)/)) {
      if (token === '') continue;
      const tw = textWidth(token);
      if (used + tw <= max) {
        push(token, s.tone);
        continue;
      }
      if (/^\s+$/.test(token)) {
        breakRow();
        continue;
      }
      if (used > indentWidth && used > 0) breakRow();
      let rest = token;
      while (textWidth(rest) > max - used) {
        const [head, tail] = splitAtWidth(rest, Math.max(1, max - used));
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
