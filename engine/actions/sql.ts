import type { SqlAction } from "../model/index.js";
import { locateOffset } from "../model/index.js";
import {
  loadSqlParser,
  parseSql,
  substitutePsqlVariables,
} from "../sql/index.js";
import type { ActionContext, ActionResult } from "./context.js";
import { formatRows } from "./format-rows.js";

type Row = (string | null)[];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown
  ? Omit<T, K>
  : never;
interface Result {
  command?: string | null;
  rowCount?: number | null;
  fields?: { name: string }[];
  rows?: Row[];
}

/**
 * Runs a sql block through node-postgres: split into statements by the real
 * Postgres parser and run one at a time in autocommit, as psql does (so
 * `CREATE DATABASE` works), with psql variables substituted and quoted.
 */
export async function runSql(
  action: SqlAction,
  db: string,
  ctx: ActionContext,
): Promise<ActionResult> {
  const started = performance.now();
  const done = (
    r: DistributiveOmit<ActionResult, "durationMs">,
  ): ActionResult => ({
    ...r,
    durationMs: performance.now() - started,
  });
  await loadSqlParser();
  const parsed = parseSql(action.code);
  if ("error" in parsed)
    return done({
      kind: "failed",
      message: `SQL syntax error at line ${parsed.error.line} of the block: ${parsed.error.message}`,
    });

  let client;
  try {
    client = await ctx.connections.client(db);
  } catch (error) {
    return done({
      kind: "failed",
      message: `cannot connect to database "${db}" (${ctx.connections.database(db).shown}): ${(error as Error).message}`,
    });
  }
  const onAbort = (): void => void ctx.connections.cancel(db);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let captured: string | undefined;
  // psql prints the server's command tag ("CREATE DATABASE", "INSERT 0 2"); node-postgres keeps only its first word.
  const tags: string[] = [];
  const connection = (client as unknown as { connection?: NodeJS.EventEmitter })
    .connection;
  const onTag = (msg: { text?: string }): void =>
    void (msg.text && tags.push(msg.text));
  connection?.on("commandComplete", onTag);
  try {
    if (action.options.timeoutMs !== undefined)
      await client.query(
        `SET statement_timeout = ${Math.max(1, Math.round(action.options.timeoutMs))}`,
      );
    for (const statement of parsed.statements) {
      if (ctx.signal.aborted)
        return done({ kind: "interrupted", message: "interrupted" });
      let text: string;
      try {
        text = substitutePsqlVariables(statement.text, ctx.vars, {
          onUndefined: "error",
        });
      } catch (error) {
        return done({
          kind: "failed",
          message: `at line ${statement.line} of the block: ${(error as Error).message}`,
        });
      }
      let result: Result;
      tags.length = 0;
      try {
        result = (await client.query({
          text,
          rowMode: "array",
        })) as unknown as Result;
      } catch (error) {
        const e = error as Error & { position?: string };
        const at = e.position
          ? lineOf(text, Number(e.position)) + statement.line - 1
          : statement.line;
        return done({
          kind: ctx.signal.aborted ? "interrupted" : "failed",
          message: `${ctx.signal.aborted ? "interrupted: " : ""}ERROR at line ${at} of the block: ${e.message}`,
        });
      }
      for (const r of Array.isArray(result) ? (result as Result[]) : [result]) {
        const tag = tags.shift();
        if (r.fields && r.fields.length > 0) {
          ctx.output(
            "stdout",
            ctx.redact(
              formatRows(
                r.fields.map((f) => f.name),
                r.rows ?? [],
              ),
            ),
          );
          const first = r.rows?.[0]?.[0];
          captured = first === null || first === undefined ? "" : first;
        } else if (tag || r.command) {
          ctx.output(
            "stdout",
            `${tag ?? `${r.command}${r.rowCount !== null && r.rowCount !== undefined ? ` ${r.rowCount}` : ""}`}\n`,
          );
        }
      }
    }
  } finally {
    connection?.off("commandComplete", onTag);
    ctx.signal.removeEventListener("abort", onAbort);
    if (action.options.timeoutMs !== undefined)
      await client.query("RESET statement_timeout").catch(() => undefined);
  }
  return done(
    action.options.capture
      ? { kind: "ok", captured: captured ?? "" }
      : { kind: "ok" },
  );
}

/** The line of PostgreSQL's 1-based character `position` in `text`. */
function lineOf(text: string, position: number): number {
  return locateOffset(text, position - 1).line;
}
