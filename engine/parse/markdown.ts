import type {} from 'mdast-util-directive';
import type { Html, Nodes, Root, RootContent, Text } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Chunk } from './source.js';

const processor = unified().use(remarkParse).use(remarkDirective).freeze();
/** Front matter only exists at the top of a file: only that chunk is parsed with the extension. */
const frontMatterProcessor = unified().use(remarkParse).use(remarkDirective).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * Parses one chunk and moves every position back to where it is in the whole
 * file. Text directives (`10:30`, `host:5432` in prose) are never ours: each
 * is put back as the exact text the author wrote.
 */
export function parseChunk(chunk: Chunk): Root {
  const tree = (chunk.frontMatter ? frontMatterProcessor : processor).parse(chunk.text);
  // Text directives come from `:` in prose: most chunks have none, and need no walk for them.
  if (chunk.text.includes(':')) restoreTextDirectives(tree, chunk.text);
  if (chunk.lineOffset !== 0 || chunk.charOffset !== 0) shiftPositions(tree, chunk.lineOffset, chunk.charOffset);
  return tree;
}

/**
 * Puts every text directive back as the text the author wrote (`10:30`,
 * `host:5432` in prose are never ours). `as: 'raw'` makes them `html` nodes,
 * so that a Markdown serializer writes them back byte for byte.
 */
export function restoreTextDirectives(node: Nodes, source: string, as: 'text' | 'raw' = 'text'): void {
  if (!('children' in node)) return;
  const children = node.children as Nodes[];
  let changed = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (!child) continue;
    if (child.type === 'textDirective') {
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      const value = start !== undefined && end !== undefined ? source.slice(start, end) : `:${child.name}`;
      const text: Text | Html = as === 'raw' ? { type: 'html', value } : { type: 'text', value };
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
    if (a?.type === 'text' && b?.type === 'text') {
      a.value += b.value;
      if (a.position && b.position) a.position = { start: a.position.start, end: b.position.end };
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
  if ('children' in node) for (const child of node.children as Nodes[]) shiftPositions(child, lines, chars);
}

/** Inline Markdown (a table cell) as a tree. */
export function parseInline(text: string): Root {
  return processor.parse(text);
}

export type { Root, RootContent };
