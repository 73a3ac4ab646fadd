import type { Heading as MdHeading, Nodes, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import type { Heading } from "../model/index.js";
import { lineCountOf } from "./lines.js";
import {
  definitionMarkdown,
  mayHoldInline,
  parseChunk,
  parseChunkBlocks,
} from "./markdown.js";
import { scanSection, type SectionScan } from "./section-scan.js";
import type { Chunk } from "./source.js";

/** One section of a chunk: from a root-level heading (or the chunk's start) to the next. */
export interface PieceScan {
  readonly heading?: Heading;
  /** 0-based document lines [start, end) of the section. */
  readonly startLine: number;
  readonly endLine: number;
  /** The section's root-level nodes in the chunk's tree: [from, to). */
  readonly nodes: readonly [number, number];
  /** The section holds no node at all (blank lines before the first heading). */
  readonly empty: boolean;
  readonly scan: SectionScan;
}

/** What parsing one chunk yields, without its tree (trees are parsed again when read). */
export interface ChunkScan {
  readonly pieces: PieceScan[];
  /**
   * The chunk's last block would take in the line after the chunk (an
   * unclosed fence, an HTML block, a `:::` container): the chunk does not
   * parse alone as in the whole document and must be joined with the next.
   */
  readonly swallows: boolean;
  /** Link reference definitions the chunk holds, as Markdown, and their labels (normalised). */
  readonly definitions: readonly {
    readonly label: string;
    readonly markdown: string;
  }[];
}

/**
 * Parses one chunk, cuts it into sections at its root-level headings (ATX
 * and setext, as CommonMark reads them) and keeps what the model needs.
 * `next` is the document's line right after the chunk, if any.
 */
export function scanChunk(
  chunk: Chunk,
  file: string,
  source: string,
  next?: string,
): ChunkScan {
  const blocks = parseChunkBlocks(chunk);
  const tree = readsInline(blocks.children, source, true)
    ? parseChunk(chunk)
    : blocks;
  const endLine = chunk.lineOffset + lineCountOf(chunk.text);
  const pieces: PieceScan[] = [];
  let start = chunk.lineOffset;
  let from = 0;
  let nodes: RootContent[] = [];
  let heading: MdHeading | undefined;
  const flush = (end: number, to: number): void => {
    if (heading === undefined && nodes.length === 0 && start === end) return;
    const root: Root = { type: "root", children: nodes };
    pieces.push({
      ...(heading ? { heading: readHeading(heading, file) } : {}),
      startLine: start,
      endLine: end,
      nodes: [from, to],
      empty: nodes.length === 0,
      scan: scanSection(root, file, source),
    });
  };
  tree.children.forEach((node, index) => {
    if (node.type === "heading") {
      const line = (node.position?.start.line ?? 1) - 1;
      flush(Math.max(line, start), index);
      start = Math.max(line, start);
      from = index;
      heading = node;
      nodes = [node];
    } else if (node.type === "yaml") {
      from = index + 1;
    } else {
      nodes.push(node);
    }
  });
  flush(endLine, tree.children.length);
  return {
    pieces,
    swallows: next !== undefined && tailSwallows(tree, chunk, next),
    definitions: chunk.text.includes("]:") ? definitionsOf(tree) : [],
  };
}

/**
 * Whether the scan would read inline syntax in these nodes: a root-level
 * heading's text (headings inside containers are not sections) or a
 * directive's label (`::manual[…]`), written with a character that can start
 * inline syntax. Then the chunk is parsed again with inline syntax, so the
 * scan reads what a whole-document parse gives (markdown.ts, `blocksOnly`).
 * Hand-written, not `unist-util-visit`: it runs on every chunk, and visit
 * (a parents array per node, a callback per node) measured 14 ms per 1,000
 * chunks against 3 ms for this loop, about 1% of the parse, for a walk that
 * only descends into block containers and stops at the first hit.
 */
function readsInline(
  nodes: readonly Nodes[],
  source: string,
  root: boolean,
): boolean {
  for (const node of nodes) {
    switch (node.type) {
      case "heading":
        if (root && mayHoldInline(sliceOf(node, source))) return true;
        break;
      case "leafDirective": {
        const first = node.children[0]?.position?.start.offset;
        const last = node.children.at(-1)?.position?.end.offset;
        if (first !== undefined && mayHoldInline(source.slice(first, last)))
          return true;
        break;
      }
      case "containerDirective":
      case "list":
      case "listItem":
      case "blockquote":
      case "footnoteDefinition":
        if (readsInline(node.children, source, false)) return true;
        break;
      case "paragraph":
        if (
          (node.data as { directiveLabel?: boolean } | undefined)
            ?.directiveLabel &&
          mayHoldInline(sliceOf(node, source))
        )
          return true;
        break;
      default:
    }
  }
  return false;
}

const sliceOf = (node: Nodes, source: string): string =>
  source.slice(node.position?.start.offset, node.position?.end.offset);

/** Block types that a line holding an ATX heading with no indentation always closes or interrupts, and that end the same whatever comes next. */
const CLOSED_BY_HEADING = new Set([
  "heading",
  "paragraph",
  "thematicBreak",
  "definition",
  "leafDirective",
  "yaml",
]);
/** Containers whose last child can end differently at the end of the input than before a heading (a fence left open in a list item keeps its trailing blank lines). */
const CONTAINERS = new Set(["list", "blockquote", "footnoteDefinition"]);
const OPENS_SOMETHING = /`{3}|~{3}|<|:{3}/;

/**
 * Whether the chunk's last block would take in `next` (the line after the
 * chunk, an ATX heading with no indentation), or end differently before it
 * than at the end of the chunk: decided by parsing that block again with the
 * line after it, so CommonMark's own rules decide, not ours.
 */
function tailSwallows(tree: Root, chunk: Chunk, next: string): boolean {
  const last = tree.children.at(-1);
  if (!last || CLOSED_BY_HEADING.has(last.type)) return false;
  const startLine = (last.position?.start.line ?? 1) - 1 - chunk.lineOffset;
  let at = 0;
  for (let i = 0; i < startLine; i++) at = chunk.text.indexOf("\n", at) + 1;
  const tail = chunk.text.slice(at);
  const container = CONTAINERS.has(last.type);
  if (container && !OPENS_SOMETHING.test(tail)) return false;
  if (last.type === "code" && closedFence(tail)) return false;
  if (last.type === "containerDirective" && closedContainer(tail)) return false;
  const probe = parseChunk({
    lineOffset: 0,
    charOffset: 0,
    text: `${tail}${tail.endsWith("\n") ? "" : "\n"}${next}\n`,
    frontMatter: false,
  });
  const end = probe.children.pop();
  if (!(
    end?.type === "heading" &&
    end.position?.start.line === lineCountOf(tail) + 1
  ))
    return true;
  // Only a container can end differently without taking the line in (a fence left open in a list item).
  if (!container) return false;
  const alone = parseChunk({
    lineOffset: 0,
    charOffset: 0,
    text: tail,
    frontMatter: false,
  });
  return withoutPositions(alone.children) !== withoutPositions(probe.children);
}

/** A root-level fenced block whose last line closes it (CommonMark 4.5: same character, at least as long, up to three spaces before, nothing after). */
function closedFence(tail: string): boolean {
  const lines = tail.replace(/\n+$/, "").split("\n");
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[0] ?? "")?.[1];
  const close =
    lines.length > 1
      ? /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines.at(-1) ?? "")?.[1]
      : undefined;
  return (
    open !== undefined &&
    close !== undefined &&
    close[0] === open[0] &&
    close.length >= open.length
  );
}

/**
 * A root-level `:::` container whose last line closes it. Its closing fence
 * (up to three spaces, at least as many colons as it opened with, only
 * blanks after) is tried at the start of every content line before the
 * content gets the line (micromark-extension-directive's `lineStart`), so
 * the first such line closes it whatever is open inside: a container that
 * did not close ran to the end of the chunk, and no line of it is one.
 */
function closedContainer(tail: string): boolean {
  const lines = tail.replace(/\n+$/, "").split("\n");
  const open = /^ {0,3}(:{3,})/.exec(lines[0] ?? "")?.[1];
  const close =
    lines.length > 1
      ? /^ {0,3}(:{3,})[ \t]*$/.exec(lines.at(-1) ?? "")?.[1]
      : undefined;
  return (
    open !== undefined && close !== undefined && close.length >= open.length
  );
}

const withoutPositions = (nodes: readonly Nodes[]): string =>
  JSON.stringify(nodes, (key, value: unknown) =>
    key === "position" ? undefined : value,
  );

function definitionsOf(tree: Root): { label: string; markdown: string }[] {
  const found: { label: string; markdown: string }[] = [];
  visit(tree, "definition", (node) => {
    found.push({
      label: (node.label ?? node.identifier).toLowerCase(),
      markdown: definitionMarkdown(node),
    });
  });
  return found;
}

export function readHeading(node: MdHeading, file: string): Heading {
  const start = node.position?.start;
  return {
    depth: node.depth,
    text: toString(node).trim(),
    at: { file, line: start?.line ?? 1, column: start?.column ?? 1 },
  };
}
