import { formatDuration } from "../../engine/model/index.js";
import type { Check, CodeAction, RowsOp } from "../../engine/model/index.js";

/** One clause of what a check requires: words, then an optional literal value. */
export interface Clause {
  readonly words: string;
  readonly value?: string;
}

const OPS: Record<RowsOp, string> = {
  "=": "is",
  ">": "is more than",
  ">=": "is at least",
  "<": "is less than",
  "<=": "is at most",
  "!=": "is not",
};

/**
 * A check's expectation as readable clauses ("the value equals `3`"), for the
 * docs. A table expectation is one clause; the caller draws the table itself.
 */
export function checkClauses(check: Check): Clause[] {
  const e = check.expectation;
  const subject =
    check.kind === "sql"
      ? "the value (first column of the first row)"
      : "the output (trimmed stdout)";
  const clauses: Clause[] = [];
  if (check.kind === "sh")
    clauses.push({
      words: "the script exits with status",
      value: String(check.exit),
    });
  if (e.expect !== undefined)
    clauses.push({ words: `${subject} equals`, value: e.expect });
  if (e.match !== undefined)
    clauses.push({
      words: `${subject} matches the regular expression`,
      value: e.match,
    });
  const rows =
    check.kind === "sql" ? "the number of rows" : "the number of output lines";
  if (e.empty)
    clauses.push({
      words:
        check.kind === "sql"
          ? "the query returns no rows"
          : "the script prints nothing",
    });
  if (e.rows)
    clauses.push({
      words: `${rows} ${OPS[e.rows.op]}`,
      value: String(e.rows.count),
    });
  if (e.table)
    clauses.push({
      words: `the result set equals this table${e.ordered ? ", in this order" : " (rows in any order)"}`,
    });
  if (clauses.length === 0)
    clauses.push({ words: "the query runs without an error" });
  return clauses;
}

/** `polled every 500ms for up to 30s`, or undefined for a check that runs once. */
export function checkPolling(check: Check): string | undefined {
  if (check.waitMs === undefined) return undefined;
  const every =
    check.everyMs ?? Math.max(100, Math.min(2000, check.waitMs / 10));
  return `retried every ${formatDuration(every)} for up to ${formatDuration(check.waitMs)} until it passes`;
}

/** An attribute of an executable block, shown as a badge. */
export interface Badge {
  /** The attribute (`db`, `on`, `user`, `timeout`, `confirm`, `only`, …). */
  readonly attr: string;
  readonly label: string;
  readonly value?: string;
  /** `warn` for what stops or asks, `accent` for targets. */
  readonly tone: "plain" | "accent" | "warn" | "special";
}

/** The attributes of a code block that change how or where it runs, in reading order. */
export function actionBadges(action: CodeAction): Badge[] {
  const o = action.options;
  const a = action.attributes;
  const badges: Badge[] = [];
  if (action.kind === "file")
    badges.push({
      attr: "file",
      label:
        action.mode === "replace"
          ? "writes"
          : action.mode === "append"
            ? "appends to"
            : "manages a block in",
      value: action.path,
      tone: "accent",
    });
  if (o.db !== undefined)
    badges.push({ attr: "db", label: "db", value: o.db, tone: "accent" });
  if (o.on !== undefined)
    badges.push({ attr: "on", label: "on", value: o.on, tone: "accent" });
  if (o.user !== undefined)
    badges.push({
      attr: "user",
      label: "as user",
      value: o.user,
      tone: "plain",
    });
  if (o.cwd !== undefined)
    badges.push({ attr: "cwd", label: "in", value: o.cwd, tone: "plain" });
  if (o.timeoutMs !== undefined)
    badges.push({
      attr: "timeout",
      label: "timeout",
      value: a["timeout"] ?? formatDuration(o.timeoutMs),
      tone: "plain",
    });
  if (o.exit !== 0)
    badges.push({
      attr: "exit",
      label: "expects exit",
      value: String(o.exit),
      tone: "plain",
    });
  if (o.retry > 0)
    badges.push({
      attr: "retry",
      label: "retries",
      value: `${o.retry} × ${a["retry-delay"] ?? formatDuration(o.retryDelayMs)}`,
      tone: "plain",
    });
  if (o.capture !== undefined)
    badges.push({
      attr: "capture",
      label: "captures",
      value: o.capture,
      tone: "plain",
    });
  if (o.confirm)
    badges.push({
      attr: "confirm",
      label: "asks before running",
      tone: "warn",
    });
  if (o.interactive)
    badges.push({ attr: "interactive", label: "interactive", tone: "plain" });
  if (o.only !== undefined)
    badges.push({
      attr: "only",
      label: o.only === "live" ? "live runs only" : "rehearsals only",
      tone: "special",
    });
  if (action.kind === "file" && action.raw)
    badges.push({ attr: "raw", label: "written as is", tone: "plain" });
  return badges;
}

/** What runs a code block, in words. */
export function actionKindLabel(action: CodeAction): string {
  switch (action.kind) {
    case "sh":
      return action.shell === "bash" ? "bash" : "sh";
    case "console":
      return "console transcript";
    case "sql":
      return "SQL";
    case "psql":
      return "psql";
    case "file":
      return "file";
  }
}
