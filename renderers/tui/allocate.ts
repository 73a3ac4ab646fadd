import { seg, type Line } from "./segments.js";
import { plural } from "../../engine/model/index.js";

/** A part of the detail pane, already wrapped to its width. */
export interface Block {
  readonly rows: readonly Line[];
  /** Rows it gets before any block gets more than its minimum. */
  readonly min: number;
  /** Lower is more important. */
  readonly priority: number;
  /** `end`: when cut, the last rows stay (output). @default 'start' */
  readonly anchor?: "start" | "end";
  /** When cut, one row says how many are hidden. @default true */
  readonly marker?: boolean;
  /** Lines before `rows` that were never given (output beyond what a frame takes): counted in the marker. */
  readonly earlier?: number;
  /** Said after the count when the block is cut (the key that shows the rest). */
  readonly note?: string;
}

/**
 * Fits blocks into `height` rows: minimums first in priority order, then the
 * rest in priority order; a cut block says how many rows it hides. Blocks
 * keep their order on screen. The result never has more than `height` rows.
 */
export function allocate(blocks: readonly Block[], height: number): Line[] {
  const given = blocks.map(() => 0);
  let left = Math.max(0, height);
  const order = blocks
    .map((b, i) => ({ b, i }))
    .sort((x, y) => x.b.priority - y.b.priority || x.i - y.i);
  for (const { b, i } of order) {
    const n = Math.min(b.min, b.rows.length, left);
    given[i] = n;
    left -= n;
  }
  for (const { b, i } of order) {
    const n = Math.min(b.rows.length - (given[i] ?? 0), left);
    given[i] = (given[i] ?? 0) + n;
    left -= n;
  }
  const out: Line[] = [];
  blocks.forEach((b, i) => {
    const n = given[i] ?? 0;
    if (n <= 0) return;
    const earlier = b.earlier ?? 0;
    if (n >= b.rows.length && earlier === 0) {
      out.push(...b.rows);
      return;
    }
    const showMarker = b.marker !== false && n >= 2;
    const hidden = b.rows.length - n + (showMarker ? 1 : 0) + earlier;
    if (b.anchor === "end") {
      if (showMarker)
        out.push([seg(`  ⋮ ${plural(hidden, "earlier line")}`, "dim")]);
      out.push(...b.rows.slice(b.rows.length - (showMarker ? n - 1 : n)));
    } else {
      out.push(...b.rows.slice(0, showMarker ? n - 1 : n));
      if (showMarker)
        out.push([
          seg(
            `  ⋮ ${plural(hidden, "more line")}${b.note ? ` (${b.note})` : ""}`,
            "dim",
          ),
        ]);
    }
  });
  return out;
}
