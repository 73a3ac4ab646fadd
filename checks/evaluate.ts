import type { Expectation, TableComparison } from "../engine/model/index.js";
import { plural } from "../engine/model/index.js";

/** What a check observed: a result set (SQL) or a process's output (shell). */
export type Observation =
  | {
      readonly kind: "rows";
      readonly columns: readonly string[];
      readonly booleans: readonly boolean[];
      readonly rows: readonly (readonly (string | null)[])[];
    }
  | {
      readonly kind: "output";
      readonly stdout: string;
      readonly exitCode: number | undefined;
      readonly expectedExit: number;
    };

/** How an observation compares with its expectation (SPEC 1.4). */
export type Judgement =
  /** It holds: what was expected and what was got, both shown like a failure's (SPEC 4). */
  | {
      readonly kind: "pass";
      /** One line: what passed (`got "3"`, `2 rows as expected`). */
      readonly message: string;
      /** What was expected, in words or as a value (`3`, `/^ok/`, `empty`, `exit 0`). */
      readonly expected: string;
      /** What was got (masked once recorded). */
      readonly actual: string;
      /** For a table expectation: both tables. */
      readonly table?: TableComparison;
    }
  /** A value, a row count or an exit status differs. */
  | {
      readonly kind: "mismatch";
      /** One line: why it failed (`expected "3", got "2"`). */
      readonly message: string;
      readonly expected: string;
      readonly actual: string;
    }
  /** A table expectation's columns or rows differ. */
  | {
      readonly kind: "table-mismatch";
      /** One line: the first differences (`missing 1 row: …`). */
      readonly message: string;
      readonly table: TableComparison;
    }
  /** Nothing to judge: the check could not run (a refused connection, a missing table, a timeout). */
  | {
      readonly kind: "error";
      /** One line: what went wrong. */
      readonly message: string;
    };

/** The expectation with `${name}` already interpolated in `expect`. */
export type ResolvedExpectation = Expectation;

/**
 * Judges an observation against an expectation (SPEC 1.4). Values compare as
 * text: booleans as true/false (an expectation may say t/f), NULL as an empty
 * cell or NULL, everything else in PostgreSQL's own text form. With no
 * expectation, a SQL check passes when its first value is not false, a shell
 * check when it exits as expected.
 */
export function judge(
  expectation: ResolvedExpectation,
  observation: Observation,
): Judgement {
  if (
    observation.kind === "output" &&
    observation.exitCode !== observation.expectedExit
  ) {
    return {
      kind: "mismatch",
      message: `exit status ${observation.exitCode ?? "none (killed)"}, expected ${observation.expectedExit}`,
      expected: `exit ${observation.expectedExit}`,
      actual: `exit ${observation.exitCode ?? "?"}`,
    };
  }
  const rows =
    observation.kind === "rows"
      ? observation.rows.map((r) =>
          r.map((v, i) => cell(v, observation.booleans[i] ?? false)),
        )
      : outputLines(observation.stdout).map((l) => [l]);
  const value =
    observation.kind === "rows"
      ? (rows[0]?.[0] ?? undefined)
      : observation.stdout.trim();
  const shown = value === undefined ? "(no rows)" : JSON.stringify(value);

  if (expectation.expect !== undefined) {
    const isBool =
      observation.kind === "rows" && (observation.booleans[0] ?? false);
    if (value === undefined || !sameValue(value, expectation.expect, isBool)) {
      return {
        kind: "mismatch",
        message: `expected ${JSON.stringify(expectation.expect)}, got ${shown}`,
        expected: expectation.expect,
        actual: value ?? "(no rows)",
      };
    }
  }
  if (
    expectation.match !== undefined &&
    (value === undefined || !new RegExp(expectation.match, "u").test(value))
  ) {
    return {
      kind: "mismatch",
      message: `expected a value matching /${expectation.match}/, got ${shown}`,
      expected: `/${expectation.match}/`,
      actual: value ?? "(no rows)",
    };
  }
  if (expectation.empty && rows.length > 0) {
    return {
      kind: "mismatch",
      message: `expected no ${observation.kind === "rows" ? "rows" : "output"}, got ${plural(rows.length, observation.kind === "rows" ? "row" : "line")} (first: ${JSON.stringify(rows[0]?.join(" | "))})`,
      expected: "empty",
      actual: `${rows.length} rows`,
    };
  }
  if (
    expectation.rows &&
    !compareCount(rows.length, expectation.rows.op, expectation.rows.count)
  ) {
    const want = `${expectation.rows.op === "=" ? "" : expectation.rows.op}${expectation.rows.count}`;
    return {
      kind: "mismatch",
      message: `expected ${want} rows, got ${rows.length}`,
      expected: `${want} rows`,
      actual: `${rows.length} rows`,
    };
  }
  if (expectation.table) {
    const t = expectation.table;
    const columns =
      observation.kind === "rows" ? observation.columns : ["output"];
    const table: TableComparison = {
      columns: t.columns,
      expected: t.rows,
      actual: rows.map((r) => r.map((v) => v)),
    };
    if (
      observation.kind === "rows" &&
      columns.join("\u0000") !== t.columns.join("\u0000")
    ) {
      return {
        kind: "table-mismatch",
        message: `expected columns ${t.columns.join(", ")}, got ${columns.join(", ")}`,
        table,
      };
    }
    const diff = compareTables(
      t.rows,
      rows,
      expectation.ordered,
      observation.kind === "rows" ? observation.booleans : [],
    );
    if (diff) return { kind: "table-mismatch", message: diff, table };
    return {
      kind: "pass",
      message: `${plural(rows.length, "row")} as expected`,
      expected: `the table of ${count(t.rows.length)}`,
      actual: count(rows.length),
      table,
    };
  }
  const plain =
    expectation.expect === undefined &&
    expectation.match === undefined &&
    !expectation.empty &&
    !expectation.rows;
  if (plain && observation.kind === "rows") {
    if (value === "false")
      return {
        kind: "mismatch",
        message: "the query returned false",
        expected: "true",
        actual: "false",
      };
  }
  return {
    kind: "pass",
    message: value === undefined ? "passed" : `got ${shown}`,
    ...passed(expectation, observation, rows.length, value),
  };
}

/**
 * What a check that passed expected and what it got, so a passing check is
 * shown with both values like a failing one (SPEC 4): `expected 3 · actual 3`.
 */
function passed(
  expectation: ResolvedExpectation,
  observation: Observation,
  rowCount: number,
  value: string | undefined,
): { expected: string; actual: string } {
  const expected: string[] = [];
  const actual: string[] = [];
  const got = value === undefined ? "(no rows)" : value;
  if (expectation.expect !== undefined) expected.push(expectation.expect);
  if (expectation.match !== undefined) expected.push(`/${expectation.match}/`);
  if (expectation.expect !== undefined || expectation.match !== undefined)
    actual.push(got);
  const lines =
    observation.kind === "rows" ? count(rowCount) : plural(rowCount, "line");
  if (expectation.empty) expected.push("empty");
  if (expectation.rows)
    expected.push(
      `${expectation.rows.op === "=" ? "" : expectation.rows.op}${count(expectation.rows.count)}`,
    );
  if (expectation.empty || expectation.rows) actual.push(lines);
  if (expected.length === 0) {
    // No expectation: a shell check passes on its exit status, a SQL check on a first value that is not false.
    if (observation.kind === "output")
      return {
        expected: `exit ${observation.expectedExit}`,
        actual: `exit ${observation.exitCode ?? "?"}`,
      };
    return { expected: "a value that is not false", actual: got };
  }
  return { expected: expected.join(", "), actual: actual.join(", ") };
}

function count(n: number): string {
  return plural(n, "row");
}

/** PostgreSQL's text for a cell; booleans spelled out. */
function cell(value: string | null, boolean: boolean): string {
  if (value === null) return "NULL";
  if (boolean) return value === "t" ? "true" : value === "f" ? "false" : value;
  return value;
}

function sameValue(
  actual: string,
  expected: string,
  boolean: boolean,
): boolean {
  if (actual === expected) return true;
  if (actual === "NULL" && expected === "") return true;
  if (boolean) return normalizeBool(expected) === actual;
  return false;
}

function normalizeBool(text: string): string {
  const t = text.trim().toLowerCase();
  return t === "t" || t === "true"
    ? "true"
    : t === "f" || t === "false"
      ? "false"
      : text;
}

function outputLines(stdout: string): string[] {
  const trimmed = stdout.replace(/\n+$/, "");
  return trimmed === "" ? [] : trimmed.split("\n");
}

function compareCount(n: number, op: string, count: number): boolean {
  switch (op) {
    case ">":
      return n > count;
    case ">=":
      return n >= count;
    case "<":
      return n < count;
    case "<=":
      return n <= count;
    case "!=":
      return n !== count;
    default:
      return n === count;
  }
}

function normalizeCell(expected: string, boolean: boolean): string {
  const t = expected.trim();
  if (t === "") return "NULL";
  return boolean ? normalizeBool(t) : t;
}

/** A one-line difference between expected and actual rows, or undefined when they agree. */
function compareTables(
  expected: TableComparison["expected"],
  actual: TableComparison["actual"],
  ordered: boolean,
  booleans: readonly boolean[],
): string | undefined {
  const key = (row: readonly string[]): string =>
    row.map((c) => c).join("\u0000");
  const want = expected.map((r) =>
    r.map((c, i) => normalizeCell(c, booleans[i] ?? false)),
  );
  const got = actual.map((r) => [...r]);
  if (ordered) {
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      const w = want[i];
      const g = got[i];
      if (!w) return `unexpected row ${i + 1}: ${g?.join(" | ")}`;
      if (!g) return `missing row ${i + 1}: ${w.join(" | ")}`;
      if (key(w) !== key(g))
        return `row ${i + 1}: expected ${w.join(" | ")}, got ${g.join(" | ")}`;
    }
    return undefined;
  }
  const counts = new Map<string, number>();
  for (const g of got) counts.set(key(g), (counts.get(key(g)) ?? 0) + 1);
  const missing: string[] = [];
  for (const w of want) {
    const n = counts.get(key(w)) ?? 0;
    if (n === 0) missing.push(w.join(" | "));
    else counts.set(key(w), n - 1);
  }
  const extra = [...counts].flatMap(([k, n]) =>
    Array.from({ length: n }, () => k.split("\u0000").join(" | ")),
  );
  if (missing.length === 0 && extra.length === 0) return undefined;
  return [
    missing.length
      ? `missing ${plural(missing.length, "row")}: ${missing.slice(0, 3).join("; ")}`
      : "",
    extra.length
      ? `unexpected ${plural(extra.length, "row")}: ${extra.slice(0, 3).join("; ")}`
      : "",
  ]
    .filter(Boolean)
    .join("; ");
}
