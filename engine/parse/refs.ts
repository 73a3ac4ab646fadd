import { locateOffset, type SourceLocation } from "../model/location.js";
import type { VarRef } from "../model/runbook.js";

const BRACE_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names used as `${name}` in `text`, in order. */
export function braceRefNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(BRACE_REF)) if (m[1]) names.push(m[1]);
  return names;
}

/**
 * `${name}` uses in `text`, located in the file: `text` is searched for in
 * `source` (the text that contains it, starting at `sourceAt`) so each use
 * points at its own line and column.
 */
export function locateBraceRefs(
  text: string,
  source: string,
  sourceAt: SourceLocation,
): VarRef[] {
  const refs: VarRef[] = [];
  let from = 0;
  for (const m of text.matchAll(BRACE_REF)) {
    const name = m[1];
    if (!name) continue;
    const found = source.indexOf(m[0], from);
    const at = found >= 0 ? locateOffset(source, found, sourceAt) : sourceAt;
    if (found >= 0) from = found + m[0].length;
    refs.push({ name, syntax: "brace", at });
  }
  return refs;
}

/**
 * Replaces `${name}` by its value where `lookup` knows it. Returns the text and
 * the names it could not resolve (left as written).
 */
export function interpolate(
  text: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(BRACE_REF, (whole, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    return value;
  });
  return { text: out, missing };
}
