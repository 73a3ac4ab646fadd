import { locateOffset, type SourceLocation } from "../model/index.js";
import type { VarRef } from "../model/index.js";
import { BRACE_REF } from "../model/index.js";

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
