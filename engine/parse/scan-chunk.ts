import type { Heading as MdHeading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Heading } from '../model/runbook.js';
import { parseChunk } from './markdown.js';
import type { ChunkScan } from './parallel-scan.js';
import { scanSection } from './section-scan.js';
import type { Chunk } from './source.js';

/** Parses one section chunk and keeps what the model needs of it: its heading and what it holds. */
export function scanChunk(chunk: Chunk, file: string, source: string): ChunkScan {
  const tree = parseChunk(chunk);
  const first = tree.children[0];
  const heading = first?.type === 'heading' ? readHeading(first, file) : undefined;
  return { empty: tree.children.length === 0, ...(heading ? { heading } : {}), scan: scanSection(tree, file, source) };
}

export function readHeading(node: MdHeading, file: string): Heading {
  const start = node.position?.start;
  return { depth: node.depth, text: toString(node).trim(), at: { file, line: start?.line ?? 1, column: start?.column ?? 1 } };
}
