// The lint's psql-aware SQL reader (meta-commands blanked before the real parser reads the rest).
import { analyzeSql } from "../../checks/lint/sql-analysis.js";
import type {
  Action,
  Check,
  CodeAction,
  Runbook,
  Step,
} from "../model/index.js";
import { isCodeAction } from "../model/index.js";
import { parseSql, substitutePsqlVariables } from "../sql/index.js";

/** A parsed statement of a block, its psql variables filled in when they are known before the run. */
export interface BlockStatement {
  readonly tree: unknown;
  /** 1-based line in the block. */
  readonly line: number;
  /** false when a psql variable in it is only known during the run: the tree holds placeholders for it. */
  readonly namesKnown: boolean;
}

/** An action runs in a live run: not `only=rehearsal`, not `run=false`. */
export function runsLive(action: Action): boolean {
  if (!isCodeAction(action)) return true;
  return (
    action.options.only !== "rehearsal" && action.attributes["run"] !== "false"
  );
}

export function checkRunsLive(check: Check): boolean {
  return check.only !== "rehearsal";
}

/** The block or check carries `probe` (SPEC 1.3): it only reads, preflight may run it. */
export function isProbe(attributes: Readonly<Record<string, string>>): boolean {
  const value = attributes["probe"];
  return value !== undefined && value !== "false";
}

/** The database an action or check uses: its `db=`, or for SQL the runbook's only database (as the run does). */
export function databaseOf(
  runbook: Runbook,
  target: {
    kind: string;
    db?: string | undefined;
    options?: { db?: string | undefined };
  },
): string | undefined {
  const db = target.options ? target.options.db : target.db;
  if (db !== undefined) return db;
  const sql = target.kind === "sql" || target.kind === "psql";
  return sql && runbook.databases.length === 1
    ? runbook.databases[0]?.name
    : undefined;
}

/** The steps in execution order. */
export function stepsInOrder(runbook: Runbook): Step[] {
  const byId = new Map(runbook.steps.map((s) => [s.id, s]));
  return runbook.order.flatMap((id) => {
    const step = byId.get(id);
    return step ? [step] : [];
  });
}

/** Which step captures each variable (`capture=`) in a live run. */
export function captureSteps(runbook: Runbook): Map<string, string> {
  const out = new Map<string, string>();
  for (const step of stepsInOrder(runbook)) {
    for (const action of step.actions) {
      if (
        isCodeAction(action) &&
        runsLive(action) &&
        action.options.capture !== undefined &&
        !out.has(action.options.capture)
      )
        out.set(action.options.capture, step.id);
    }
  }
  return out;
}

/**
 * The statements of a sql or psql block, read by the real parser (the
 * parser must be loaded). Known variables are filled in first, so that
 * `CREATE DATABASE :"app_db"` names the database it creates.
 */
export function blockStatements(
  action: Pick<CodeAction, "kind" | "code">,
  known: ReadonlyMap<string, string>,
): BlockStatement[] {
  const analysis = analyzeSql(
    action.code,
    action.kind === "psql" ? "psql" : "sql",
  );
  if (analysis.problems.some((p) => p.rule === "sql-syntax")) return [];
  return analysis.statements.map((s) => {
    let text: string;
    try {
      text = substitutePsqlVariables(s.text, known, { onUndefined: "error" });
    } catch {
      return { tree: s.tree, line: s.line, namesKnown: false };
    }
    if (text === s.text)
      return { tree: s.tree, line: s.line, namesKnown: true };
    const again = parseSql(text, { variables: [] });
    const one =
      "error" in again || again.statements.length !== 1
        ? undefined
        : again.statements[0];
    return one
      ? { tree: one.tree, line: s.line, namesKnown: true }
      : { tree: s.tree, line: s.line, namesKnown: false };
  });
}

/** The user, host, port and database of a PostgreSQL URL. */
export function urlParts(
  url: string,
): { user: string; host: string; port: string; database: string } | undefined {
  try {
    const u = new URL(url);
    return {
      user: decodeURIComponent(u.username),
      host:
        decodeURIComponent(u.hostname.replace(/^\[|\]$/g, "")) ||
        u.searchParams.get("host") ||
        "",
      port: u.port || "5432",
      database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    };
  } catch {
    return undefined;
  }
}

/** The same URL, on another database of the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}
