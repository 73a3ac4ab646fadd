/**
 * Text as a terminal cell grid sees it: what a child printed is made safe to
 * draw inside the UI (no escape sequence or control character from a step
 * can move the cursor, clear the screen or reorder text), and widths are
 * counted in cells so every drawn row is exactly one terminal row.
 */

// ECMA-48 sequences: CSI (7- and 8-bit), OSC and other strings, two-byte escapes.
const ESCAPES = /(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
// C0/C1 controls except tab, bidirectional overrides and isolates (they can make text read differently than it is).
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of a step's output as it may be drawn: escapes removed, a
 * carriage return keeps what was written after it (a progress bar's last
 * state), backspaces erase, tabs become spaces, other controls disappear.
 */
export function sanitizeLine(raw: string): string {
  let text = raw.includes('\x1b') || /[\x90-\x9f]/.test(raw) ? raw.replace(ESCAPES, '') : raw;
  if (text.endsWith('\r')) text = text.replace(/\r+$/, '');
  const cr = text.lastIndexOf('\r');
  if (cr >= 0) text = text.slice(cr + 1);
  if (text.includes('\b')) text = applyBackspaces(text);
  if (text.includes('\t')) text = expandTabs(text);
  return text.replace(CONTROLS, '');
}

function applyBackspaces(text: string): string {
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('');
}

function expandTabs(text: string, tab = 8): string {
  let out = '';
  let col = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const n = tab - (col % tab);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col += charWidth(ch.codePointAt(0) ?? 0);
    }
  }
  return out;
}

/** Cells a code point takes: 0 for combining marks and zero-width characters, 2 for wide (CJK, emoji), else 1. */
export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Width of `text` in terminal cells. */
export function textWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x300) {
      w++;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    if (cp > 0xffff) i++;
    w += charWidth(cp);
  }
  return w;
}

/** Splits `text` after at most `width` cells: [head, rest]. Never splits a surrogate pair. */
export function splitAtWidth(text: string, width: number): [string, string] {
  let w = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const cw = charWidth(cp);
    if (w + cw > width && i > 0) break;
    if (w + cw > width && width <= 0) break;
    w += cw;
    i += cp > 0xffff ? 2 : 1;
  }
  return [text.slice(0, i), text.slice(i)];
}

/** `text` cut to `width` cells, ending in `…` when it was longer. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  return `${splitAtWidth(text, width - 1)[0]}…`;
}

/** `text` padded with spaces to `width` cells (cut when longer). */
export function padEnd(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(Math.max(0, width - textWidth(t)));
}

/** Word-wraps plain text to `width` cells; a word longer than a row is broken. */
export function wrapText(text: string, width: number): string[] {
  const rows: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    let row = '';
    let rowWidth = 0;
    for (const token of paragraphLine.split(/(\s+)/)) {
      if (token === '') continue;
      const tw = textWidth(token);
      const space = /^\s+$/.test(token);
      if (rowWidth + tw <= width) {
        row += token;
        rowWidth += tw;
        continue;
      }
      if (space) {
        rows.push(row.trimEnd());
        row = '';
        rowWidth = 0;
        continue;
      }
      if (rowWidth > 0) rows.push(row.trimEnd());
      let rest = token;
      while (textWidth(rest) > width) {
        const [head, tail] = splitAtWidth(rest, width);
        rows.push(head);
        rest = tail;
      }
      row = rest;
      rowWidth = textWidth(rest);
    }
    rows.push(row.trimEnd());
  }
  return rows;
}
