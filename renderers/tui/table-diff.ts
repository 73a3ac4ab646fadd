import { diffArrays } from "diff";
import type { RowDiff, TableComparison } from "../../engine/model/index.js";

/** A table comparison (the check's), and whether row order matters (`ordered` on the check). */
export type TableDiffInput = Pick<TableComparison, "expected" | "actual"> & {
  readonly ordered: boolean;
};

/**
 * Expected and actual result sets as a diff of rows, the way an operator
 * reads a failed table check: rows in both, rows missing, rows that should
 * not be there. Cells compare as the checks do (SPEC 1.4): an empty
 * expected cell is NULL, `t`/`f` are `true`/`false`. Unordered tables keep
 * the expected order, then list the unexpected rows.
 */
export function diffTable(input: TableDiffInput): RowDiff[] {
  const key = (row: readonly string[]): string =>
    row.map(normalize).join("\u0000");
  if (input.ordered) {
    const parts = diffArrays(input.expected.map(key), input.actual.map(key));
    const out: RowDiff[] = [];
    let e = 0;
    let a = 0;
    for (const part of parts) {
      for (let i = 0; i < (part.count ?? part.value.length); i++) {
        if (part.removed)
          out.push({ kind: "missing", cells: input.expected[e++] ?? [] });
        else if (part.added)
          out.push({ kind: "unexpected", cells: input.actual[a++] ?? [] });
        else {
          out.push({ kind: "same", cells: input.actual[a++] ?? [] });
          e++;
        }
      }
    }
    return out;
  }
  const available = new Map<string, number>();
  for (const row of input.actual)
    available.set(key(row), (available.get(key(row)) ?? 0) + 1);
  const out: RowDiff[] = [];
  for (const row of input.expected) {
    const n = available.get(key(row)) ?? 0;
    if (n > 0) {
      available.set(key(row), n - 1);
      out.push({ kind: "same", cells: row });
    } else {
      out.push({ kind: "missing", cells: row });
    }
  }
  for (const row of input.actual) {
    const n = available.get(key(row)) ?? 0;
    if (n > 0) {
      available.set(key(row), n - 1);
      out.push({ kind: "unexpected", cells: row });
    }
  }
  return out;
}

function normalize(cell: string): string {
  const t = cell.trim();
  if (t === "" || t === "NULL") return "NULL";
  if (t === "t" || t === "true") return "true";
  if (t === "f" || t === "false") return "false";
  return t;
}
