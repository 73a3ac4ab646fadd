import { plural } from "../model/index.js";

/** At most this many rows are printed; the count is always given. */
export const MAX_SHOWN_ROWS = 200;

/** A result set as psql prints it: aligned columns, a rule, the rows, `(N rows)`. */
export function formatRows(
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): string {
  const shown = rows
    .slice(0, MAX_SHOWN_ROWS)
    .map((r) => r.map((v) => (v === null ? "" : v.replace(/\n/g, "↵"))));
  const widths = columns.map((c, i) =>
    Math.max(width(c), ...shown.map((r) => width(r[i] ?? ""))),
  );
  const line = (cells: readonly string[]): string =>
    ` ${cells.map((c, i) => c + " ".repeat(Math.max(0, (widths[i] ?? 0) - width(c)))).join(" | ")}`.trimEnd();
  const out = [
    line(columns),
    `-${widths.map((w) => "-".repeat(w)).join("-+-")}-`,
    ...shown.map(line),
  ];
  if (rows.length > shown.length)
    out.push(` … ${rows.length - shown.length} more rows not shown`);
  out.push(`(${plural(rows.length, "row")})`);
  return `${out.join("\n")}\n`;
}

function width(text: string): number {
  return [...text].length;
}
