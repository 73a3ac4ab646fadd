import type { SourceLocation } from "./location.js";
import type { VarRef } from "./runbook.js";

export type RowsOp = "=" | ">" | ">=" | "<" | "<=" | "!=";

/** A GFM table in a `:::check` body: the result set must equal it. */
export interface TableExpectation {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly at: SourceLocation;
}

/**
 * A table expectation beside what the check got: the one shape every layer
 * uses (the judgement, the check-end event, the journal's check entry, the
 * screens and the report). Cells are text as the check compares them
 * (SPEC 1.4); masked once recorded.
 */
export interface TableComparison {
  readonly columns: readonly string[];
  /** The rows the runbook's table expects, as written. */
  readonly expected: readonly (readonly string[])[];
  /** The rows the check got, booleans spelled out, NULL as `NULL`. */
  readonly actual: readonly (readonly string[])[];
}

/** One row of a table comparison as an operator reads it. */
export interface RowDiff {
  /** `same`: in both; `missing`: expected, not found; `unexpected`: found, not expected. */
  readonly kind: "same" | "missing" | "unexpected";
  readonly cells: readonly string[];
}

/** What a check's result must satisfy; all given parts must hold. */
export interface Expectation {
  /** `expect=…`: the single value equals it (`${name}` interpolated). */
  readonly expect?: string;
  /** `match=…`: the single value matches this regular expression. */
  readonly match?: string;
  readonly rows?: { readonly op: RowsOp; readonly count: number };
  readonly empty: boolean;
  readonly table?: TableExpectation;
  /** Row order matters in the table comparison. */
  readonly ordered: boolean;
}

interface CheckBase {
  readonly at: SourceLocation;
  /** The check's text as the operator sees it (SQL or shell). */
  readonly code: string;
  readonly codeAt: SourceLocation;
  readonly expectation: Expectation;
  /** Poll until it passes or this much time has passed. */
  readonly waitMs?: number;
  /** Poll interval. @default 2000 (or waitMs/10, whichever is smaller, at least 100ms) */
  readonly everyMs?: number;
  /** Limit for one evaluation (statement_timeout for SQL). @default 30s */
  readonly timeoutMs?: number;
  /** Evaluate only in a live run, or only in a rehearsal. */
  readonly only?: "live" | "rehearsal";
  /** `leaf` for `::check{sql=…}`, `container` for `:::check` with a block inside. */
  readonly form: "leaf" | "container";
  readonly attributes: Readonly<Record<string, string>>;
  readonly refs: readonly VarRef[];
}

export interface SqlCheck extends CheckBase {
  readonly kind: "sql";
  readonly db?: string;
}

export interface ShellCheck extends CheckBase {
  readonly kind: "sh";
  readonly shell: "sh" | "bash";
  /** Expected exit status. @default 0 */
  readonly exit: number;
  readonly db?: string;
  /** Run as this OS user (as a code block's `user=`). */
  readonly user?: string;
  /** Run on this host over ssh (as a code block's `on=`). */
  readonly on?: string;
  readonly cwd?: string;
}

export type Check = SqlCheck | ShellCheck;
