import type {} from "mdast-util-directive";
import type { Definition, Html, Nodes, Root, RootContent, Text } from "mdast";
import { directiveFromMarkdown } from "mdast-util-directive";
import { fromMarkdown, type Options } from "mdast-util-from-markdown";
import { gfmFootnoteFromMarkdown } from "mdast-util-gfm-footnote";
import { directive } from "micromark-extension-directive";
import { gfmFootnote } from "micromark-extension-gfm-footnote";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkParse from "remark-parse";
import { unified, type Processor } from "unified";
import { newlineCount } from "./lines.js";
import type { Chunk } from "./source.js";

/**
 * GFM footnote definitions are containers (GitHub shows a fenced block
 * indented under `[^1]:` as a code block): the engine reads them as GitHub
 * does. GFM's other block extension, tables, never holds a fenced block.
 */
function remarkFootnotes(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown());
}

const processor = unified()
  .use(remarkParse)
  .use(remarkFootnotes)
  .use(remarkDirective)
  .freeze();
/** Front matter only exists at the top of a file: only that chunk is parsed with the extension. */
const frontMatterProcessor = unified()
  .use(remarkParse)
  .use(remarkFootnotes)
  .use(remarkDirective)
  .use(remarkFrontmatter, ["yaml"])
  .freeze();

/**
 * The scan's parse (scan-chunk.ts): the blocks `processor` reads, exactly
 * (block structure never depends on inline syntax: CommonMark parses blocks
 * first), with no inline syntax at all — no emphasis, links, code spans,
 * HTML, text directives or footnote calls: a paragraph or heading is one
 * text node of what it holds. Half the floor's work is building the inline
 * trees the scan never reads; the scan reads phrasing only in headings and
 * directive labels, and parses a chunk again with `processor` when one of
 * those could hold inline syntax ({@link mayHoldInline}). Escapes and
 * character references stay on: info strings (`lang`, `meta`) decode them.
 */
const blocksOnly: Options = {
  extensions: [
    { document: gfmFootnote().document },
    { flow: directive().flow },
    {
      disable: {
        null: [
          "attention",
          "autolink",
          "codeText",
          "hardBreakEscape",
          "htmlText",
          "labelEnd",
          "labelStartImage",
          "labelStartLink",
        ],
      },
    },
  ],
  mdastExtensions: [gfmFootnoteFromMarkdown(), directiveFromMarkdown()],
};

/**
 * Every character that can start inline syntax in `processor` (micromark's
 * text constructs, a footnote call's `[`, a text directive's `:` before a
 * name): text without any parses to the same phrasing with or without it.
 */
const INLINE_START = /[!&*<[\\\]_`]|:(?![ \t\n]|$)/;

/** Whether `text` (a heading or a directive label, as written) could hold inline syntax. */
export const mayHoldInline = (text: string): boolean => INLINE_START.test(text);

/**
 * Parses one chunk and moves every position back to where it is in the whole
 * file. Text directives (`10:30`, `host:5432` in prose) are never ours: each
 * is put back as the exact text the author wrote. A chunk's `prefix` (link
 * reference definitions of other chunks) is parsed first and its nodes dropped.
 */
export function parseChunk(chunk: Chunk): Root {
  return parseChunkWith(chunk, false);
}

/** {@link parseChunk} without inline syntax ({@link blocksOnly}); a front matter chunk is parsed whole. */
export function parseChunkBlocks(chunk: Chunk): Root {
  return parseChunkWith(chunk, !chunk.frontMatter);
}

function parseChunkWith(chunk: Chunk, blocks: boolean): Root {
  const prefix = chunk.prefix ?? "";
  const text = prefix + chunk.text;
  const tree = blocks
    ? fromMarkdown(text, blocksOnly)
    : (chunk.frontMatter ? frontMatterProcessor : processor).parse(text);
  // Text directives come from `:` in prose: most chunks have none, and need no walk for them.
  if (!blocks && text.includes(":")) restoreTextDirectives(tree, text);
  if (prefix)
    tree.children = tree.children.filter(
      (c) => (c.position?.start.offset ?? 0) >= prefix.length,
    );
  const lines = chunk.lineOffset - (prefix ? newlineCount(prefix) : 0);
  const chars = chunk.charOffset - prefix.length;
  if (lines !== 0 || chars !== 0) shiftPositions(tree, lines, chars);
  return tree;
}

/**
 * Puts every text directive back as the text the author wrote (`10:30`,
 * `host:5432` in prose are never ours). `as: 'raw'` makes them `html` nodes,
 * so that a Markdown serializer writes them back byte for byte.
 */
export function restoreTextDirectives(
  node: Nodes,
  source: string,
  as: "text" | "raw" = "text",
): void {
  if (!("children" in node)) return;
  const children = node.children as Nodes[];
  let changed = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!child) continue;
    if (child.type === "textDirective") {
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      const value =
        start !== undefined && end !== undefined
          ? source.slice(start, end)
          : `:${child.name}`;
      const text: Text | Html =
        as === "raw" ? { type: "html", value } : { type: "text", value };
      if (child.position) text.position = child.position;
      children[i] = text;
      changed = true;
    } else {
      restoreTextDirectives(child, source, as);
    }
  }
  if (changed) mergeTexts(children);
}

/** Joins runs of text nodes so restored directives read as one piece of prose. */
function mergeTexts(children: Nodes[]): void {
  for (let i = children.length - 1; i > 0; i--) {
    const a = children[i - 1];
    const b = children[i];
    if (a?.type === "text" && b?.type === "text") {
      a.value += b.value;
      if (a.position && b.position)
        a.position = { start: a.position.start, end: b.position.end };
      children.splice(i, 1);
    }
  }
}

function shiftPositions(node: Nodes, lines: number, chars: number): void {
  const p = node.position;
  if (p) {
    // In place: a large runbook has hundreds of thousands of nodes, and new point objects would be garbage.
    p.start.line += lines;
    p.end.line += lines;
    if (p.start.offset !== undefined) p.start.offset += chars;
    if (p.end.offset !== undefined) p.end.offset += chars;
  }
  if ("children" in node)
    for (const child of node.children as Nodes[])
      shiftPositions(child, lines, chars);
}

/** Inline Markdown (a table cell) as a tree. */
export function parseInline(text: string): Root {
  return processor.parse(text);
}

/** Every ASCII punctuation character backslash-escaped, so the text reads back as itself. */
const escapePunctuation = (text: string): string =>
  text.replace(/[!-/:-@[-`{-~]/g, "\\$&");

/** A link reference definition as Markdown that parses back to the same label, URL and title. */
export function definitionMarkdown(node: Definition): string {
  const label = node.label ?? node.identifier;
  const title = node.title == null ? "" : ` "${escapePunctuation(node.title)}"`;
  return `[${label}]: <${escapePunctuation(node.url).replace(/\n/g, "%0A")}>${title}`;
}

export type { Root, RootContent };
