/**
 * Cuts a Markdown document into chunks that parse alone exactly as they parse
 * in the whole document, without parsing it.
 *
 * micromark's document parser is superlinear on large files with lists (see
 * docs/decisions.md), so the parser works one chunk at a time. A chunk starts
 * before a line that is an ATX heading with no indentation (`## Title`): such
 * a line closes every list, quote and paragraph before it, so the chunks
 * parse alone as in the whole document unless the block just before it
 * swallows it (an unclosed fence, an HTML block, a `:::` container). The scan
 * here skips the obvious cases of those; whether a cut is really safe is
 * decided after parsing, by `tailSwallows` in scan-chunk.ts, and a chunk that
 * fails is merged with the next one. This scan only has to be fast; it never
 * decides what the document means.
 */

export interface Chunk {
  /** 0-based index of the chunk's first line in the document. */
  readonly lineOffset: number;
  /** UTF-16 offset of the chunk's first character in the document. */
  readonly charOffset: number;
  readonly text: string;
  /** The chunk is the YAML front matter block (`---` … `---`). */
  readonly frontMatter: boolean;
  /**
   * Link reference definitions from other chunks, as Markdown, parsed before
   * the chunk's text so that `[foo]` resolves as in the whole document; the
   * nodes it yields are dropped.
   */
  readonly prefix?: string;
  /** The document's line right after the chunk (the next chunk's heading), if any. */
  readonly next?: string;
}

/** Strips a BOM and turns CRLF and lone CR into LF; line and column numbers are unchanged by this. */
export function normalizeSource(text: string): string {
  const noBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return noBom.includes("\r") ? noBom.replace(/\r\n?/g, "\n") : noBom;
}

const CUT = /^#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const CONTAINER_OPEN = /^ {0,3}(:{3,})[ \t]*[A-Za-z]/;
const CONTAINER_CLOSE = /^ {0,3}(:{3,})[ \t]*$/;
const BLANK = /^[ \t]*$/;
/** HTML blocks 1–5 of CommonMark 4.6 and the text that ends each. */
const HTML_ENDS: readonly [RegExp, RegExp][] = [
  [
    /^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/i,
    /<\/(?:script|pre|style|textarea)>/i,
  ],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];
/** HTML blocks 6 and 7 (roughly): they end at a blank line. */
const HTML_UNTIL_BLANK = /^ {0,3}<\/?[A-Za-z]/;
const FRONT_MATTER_FENCE = /^---[ \t]*$/;

/** Where the YAML front matter ends (the index of its closing `---` line), as remark-frontmatter reads it; -1 when there is none. */
export function frontMatterEnd(lines: readonly string[]): number {
  if (lines.length < 2 || !FRONT_MATTER_FENCE.test(lines[0] ?? "")) return -1;
  for (let i = 1; i < lines.length; i++)
    if (FRONT_MATTER_FENCE.test(lines[i] ?? "")) return i;
  return -1;
}

/** Splits `text` (already normalised) into the front matter and chunks that each start at a heading. */
export function cutSections(text: string): Chunk[] {
  const lines = text.split("\n");
  const cuts: number[] = [0];
  const fmEnd = frontMatterEnd(lines);
  const first = fmEnd + 1;
  if (first > 0 && first < lines.length) cuts.push(first);

  let fence: { char: string; length: number } | undefined;
  let htmlEnd: RegExp | undefined;
  let htmlUntilBlank = false;
  let containers = 0;
  for (let i = first; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (fence) {
      const m = FENCE_CLOSE.exec(line);
      if (m?.[1] && m[1][0] === fence.char && m[1].length >= fence.length)
        fence = undefined;
      continue;
    }
    if (htmlEnd) {
      if (htmlEnd.test(line)) htmlEnd = undefined;
      continue;
    }
    if (htmlUntilBlank) {
      if (BLANK.test(line)) htmlUntilBlank = false;
      continue;
    }
    if (CUT.test(line)) {
      if (containers === 0 && i !== first) cuts.push(i);
      continue;
    }
    const open = FENCE.exec(line);
    if (open?.[1] && !(open[1][0] === "`" && (open[2] ?? "").includes("`"))) {
      fence = { char: open[1][0] ?? "`", length: open[1].length };
      continue;
    }
    const html = HTML_ENDS.find(([start]) => start.test(line));
    if (html) {
      const after = line.replace(html[0], "");
      if (!html[1].test(after)) htmlEnd = html[1];
      continue;
    }
    if (HTML_UNTIL_BLANK.test(line)) {
      htmlUntilBlank = true;
      continue;
    }
    if (CONTAINER_OPEN.test(line)) containers++;
    else if (containers > 0 && CONTAINER_CLOSE.test(line)) containers--;
  }
  return chunksAt(text, lines, cuts, fmEnd);
}

function chunksAt(
  text: string,
  lines: readonly string[],
  cuts: readonly number[],
  fmEnd: number,
): Chunk[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const chunks: Chunk[] = [];
  for (let c = 0; c < cuts.length; c++) {
    const startLine = cuts[c] ?? 0;
    const endLine = cuts[c + 1] ?? lines.length;
    const charStart = starts[startLine] ?? text.length;
    const charEnd =
      endLine < lines.length ? (starts[endLine] ?? text.length) : text.length;
    const chunk: Chunk = {
      lineOffset: startLine,
      charOffset: charStart,
      text: text.slice(charStart, charEnd),
      frontMatter: fmEnd > 0 && startLine === 0,
    };
    chunks.push(
      endLine < lines.length ? { ...chunk, next: lines[endLine] ?? "" } : chunk,
    );
  }
  return chunks;
}

/** One chunk made of two neighbours (the first did not close before the second's first line). */
export function joinChunks(a: Chunk, b: Chunk): Chunk {
  const joined: Chunk = {
    lineOffset: a.lineOffset,
    charOffset: a.charOffset,
    text: a.text + b.text,
    frontMatter: a.frontMatter,
  };
  return b.next === undefined ? joined : { ...joined, next: b.next };
}
