import type { ChunkScan } from "./scan-chunk.js";
import type { Chunk } from "./source.js";

/**
 * Where chunk scans are kept between runs (lint's content-keyed cache,
 * checks/lint/cache.ts). Keys are the text a scan depends on; values are
 * plain JSON. A value that is not what {@link restoreScan} expects is
 * ignored, so a corrupt entry only costs a parse.
 */
export interface ScanStore {
  /** The value stored under `key`, parsed, or undefined. */
  get(key: string): unknown;
  /** Stores `json` (a JSON text) under `key`. */
  set(key: string, json: string): void;
}

/**
 * Everything a chunk's scan depends on besides where it is: the file name
 * (locations carry it), the chunk's text, the link definitions parsed before
 * it, whether it is the front matter, and the line after it (which decides
 * whether its last block runs on). Its line offset is left out: a scan is
 * stored relative to its chunk's first line, so a step edited above it
 * (lines added or removed) does not make it stale.
 */
export function scanKey(chunk: Chunk, file: string): string {
  return JSON.stringify([
    file,
    chunk.frontMatter,
    chunk.prefix ?? "",
    chunk.next ?? null,
    chunk.text,
  ]);
}

/** A scan as JSON text, with every line relative to its chunk's first line. */
export function storedScan(scan: ChunkScan, lineOffset: number): string {
  // Moved there and back in place: a copy of every scan of a large runbook would be mostly garbage.
  shiftLines(scan, -lineOffset);
  try {
    return JSON.stringify(scan);
  } finally {
    shiftLines(scan, lineOffset);
  }
}

/** A stored scan moved back to its chunk's place, or undefined when the value is not a stored scan. */
export function restoreScan(
  value: unknown,
  lineOffset: number,
): ChunkScan | undefined {
  if (!isStoredScan(value)) return undefined;
  return shiftLines(value, lineOffset) as ChunkScan;
}

function isStoredScan(value: unknown): value is ChunkScan {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof ChunkScan, unknown>>;
  return (
    typeof v.swallows === "boolean" &&
    Array.isArray(v.definitions) &&
    Array.isArray(v.pieces) &&
    v.pieces.every(
      (p: unknown) =>
        typeof p === "object" &&
        p !== null &&
        typeof (p as { startLine?: unknown }).startLine === "number" &&
        typeof (p as { scan?: unknown }).scan === "object",
    )
  );
}

/**
 * Moves every line in a scan by `delta`, in place: the `line` of each
 * location (`{file, line, column}`: headings, actions, checks, references,
 * diagnostics) and a piece's `startLine`/`endLine`. Columns do not move: a
 * chunk starts at the start of a line.
 */
function shiftLines(value: unknown, delta: number): unknown {
  if (delta === 0) return value;
  const stack: unknown[] = [value];
  // A scan may hold one location object in two places (a directive and the sentinel it defines): move it once.
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node)
        if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    const o = node as Record<string, unknown>;
    if (typeof o["line"] === "number" && typeof o["file"] === "string")
      o["line"] = (o["line"] as number) + delta;
    if (
      typeof o["startLine"] === "number" &&
      typeof o["endLine"] === "number" &&
      Array.isArray(o["nodes"])
    ) {
      o["startLine"] = (o["startLine"] as number) + delta;
      o["endLine"] = (o["endLine"] as number) + delta;
    }
    for (const key in o) {
      const child = o[key];
      if (typeof child === "object" && child !== null) stack.push(child);
    }
  }
  return value;
}
