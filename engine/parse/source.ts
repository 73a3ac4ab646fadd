/**
 * Cuts a Markdown document into chunks at headings, without parsing it.
 *
 * micromark's document parser is superlinear on files with many lists, so the
 * parser works one section at a time. A cut is made before every ATX or setext
 * heading that is not inside a fenced code block, an HTML comment or a
 * `:::` container directive; each chunk starts at a line start, so columns
 * stay right and only lines and offsets need shifting back.
 */

export interface Chunk {
  /** 0-based index of the chunk's first line in the document. */
  readonly lineOffset: number;
  /** UTF-16 offset of the chunk's first character in the document. */
  readonly charOffset: number;
  readonly text: string;
  /** The chunk is the YAML front matter block (`---` … `---`). */
  readonly frontMatter: boolean;
}

/** Strips a BOM and turns CRLF and lone CR into LF; line and column numbers are unchanged by this. */
export function normalizeSource(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes('\r') ? noBom.replace(/\r\n?/g, '\n') : noBom;
}

const ATX = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
const FENCE = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const CONTAINER_OPEN = /^ {0,3}(:{3,})[ \t]*[A-Za-z]/;
const CONTAINER_CLOSE = /^ {0,3}(:{3,})[ \t]*$/;
const HTML_COMMENT_OPEN = /^ {0,3}<!--/;
const HTML_RAW_OPEN = /^ {0,3}<(script|pre|style|textarea)(?:[ \t>]|$)/i;
const BLANK = /^[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** Lines that cannot be the text of a setext heading when they start a paragraph run. */
const NOT_PARAGRAPH = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|^ {0,3}>|^ {0,3}(?:`{3,}|~{3,})|^ {4}/;

/** Splits `text` (already normalised) into the front matter and one chunk per section. */
export function cutSections(text: string): Chunk[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }

  const cuts: number[] = [0];
  let first = 0;
  let frontMatterEnd = -1;
  if (lines[0] !== undefined && /^---[ \t]*$/.test(lines[0])) {
    for (let i = 1; i < lines.length; i++) {
      if (/^(?:---|\.\.\.)[ \t]*$/.test(lines[i] ?? '')) {
        frontMatterEnd = i;
        break;
      }
    }
    if (frontMatterEnd > 0) {
      first = frontMatterEnd + 1;
      if (first < lines.length) cuts.push(first);
    }
  }

  let fence: { char: string; length: number } | undefined;
  let htmlEnd: RegExp | undefined;
  let containers = 0;
  let paragraphStart = -1;

  for (let i = first; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence) {
      const m = FENCE.exec(line);
      if (m && m[1] !== undefined && m[1][0] === fence.char && m[1].length >= fence.length && BLANK.test(m[2] ?? '')) {
        fence = undefined;
        paragraphStart = -1;
      }
      continue;
    }
    if (htmlEnd) {
      if (htmlEnd.test(line)) htmlEnd = undefined;
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen && fenceOpen[1] !== undefined && !(fenceOpen[1][0] === '`' && (fenceOpen[2] ?? '').includes('`'))) {
      fence = { char: fenceOpen[1][0] ?? '`', length: fenceOpen[1].length };
      paragraphStart = -1;
      continue;
    }
    if (HTML_COMMENT_OPEN.test(line)) {
      if (!line.includes('-->', line.indexOf('<!--') + 4)) htmlEnd = /-->/;
      paragraphStart = -1;
      continue;
    }
    const raw = HTML_RAW_OPEN.exec(line);
    if (raw) {
      const close = new RegExp(`</${raw[1] ?? ''}>`, 'i');
      if (!close.test(line)) htmlEnd = close;
      paragraphStart = -1;
      continue;
    }
    if (CONTAINER_OPEN.test(line)) {
      containers++;
      paragraphStart = -1;
      continue;
    }
    if (containers > 0 && CONTAINER_CLOSE.test(line)) {
      containers--;
      paragraphStart = -1;
      continue;
    }
    if (BLANK.test(line)) {
      paragraphStart = -1;
      continue;
    }
    if (containers === 0) {
      if (ATX.test(line)) {
        if (i !== first) cuts.push(i);
        paragraphStart = -1;
        continue;
      }
      if (paragraphStart >= 0 && SETEXT.test(line)) {
        if (paragraphStart !== first) cuts.push(paragraphStart);
        paragraphStart = -1;
        continue;
      }
    }
    if (paragraphStart === -1) {
      if (THEMATIC_BREAK.test(line)) continue;
      // A run that starts with a list item or a quote: an underline below it is not a heading here.
      paragraphStart = NOT_PARAGRAPH.test(line) ? -2 : i;
    }
  }

  const unique = [...new Set(cuts)].sort((a, b) => a - b);
  const chunks: Chunk[] = [];
  for (let c = 0; c < unique.length; c++) {
    const startLine = unique[c] ?? 0;
    const endLine = unique[c + 1] ?? lines.length;
    const charStart = starts[startLine] ?? text.length;
    const charEnd = endLine < lines.length ? (starts[endLine] ?? text.length) : text.length;
    chunks.push({
      lineOffset: startLine,
      charOffset: charStart,
      text: text.slice(charStart, charEnd),
      frontMatter: frontMatterEnd > 0 && startLine === 0,
    });
  }
  return chunks;
}
