import type { Action, Step } from "../model/index.js";
import { isCodeAction } from "../model/index.js";
import { parseSql } from "../sql/index.js";
import type { PreflightContext } from "./context.js";
import { calledFunctions, whyNotOnlyReads } from "./only-reads.js";
import { readOnlyQuery } from "./read-only-query.js";
import {
  checkRunsLive,
  databaseOf,
  isProbe,
  runsLive,
  stepsInOrder,
} from "./runbook-facts.js";
import { runCheckProbe, runBlockProbe } from "./run-probe.js";

/** Where the read-only prefix (SPEC 3) ended, and why; undefined when it covers every step. */
export interface PrefixEnd {
  readonly step: string;
  readonly why: string;
}

/** The steps of the read-only prefix, and where it ended. */
export interface PrefixSummary {
  readonly steps: readonly string[];
  readonly end?: PrefixEnd;
}

/**
 * Runs the read-only prefix — the steps from the top whose every action is
 * SQL that the real parser shows only reads, or a block marked `probe` (a
 * step with checks only counts) — with their checks, then every block and
 * check marked `probe` further on. Actions that a live run would not run
 * (`only=rehearsal`, `run=false`) are left out, as the run leaves them out.
 */
export async function probeSteps(
  ctx: PreflightContext,
  captures: ReadonlyMap<string, string>,
): Promise<PrefixSummary> {
  const prefix: string[] = [];
  let end: PrefixEnd | undefined;
  for (const step of stepsInOrder(ctx.runbook)) {
    if (ctx.options.signal.aborted) break;
    const live = step.actions.filter(runsLive);
    let inPrefix = end === undefined;
    if (inPrefix) {
      const why =
        live.map((a) => whyNotPrefix(a)).find((w) => w !== undefined) ??
        (await volatileCalls(ctx, step, live));
      if (why !== undefined) {
        end = { step: step.id, why };
        inPrefix = false;
      } else {
        prefix.push(step.id);
      }
    }
    for (const action of live) {
      if (!isCodeAction(action) || !(inPrefix || isProbe(action.attributes)))
        continue;
      await runBlockProbe(ctx, {
        step,
        action,
        captures,
        db: databaseOf(ctx.runbook, action),
      });
    }
    for (const check of step.checks) {
      if (!checkRunsLive(check) || !(inPrefix || isProbe(check.attributes)))
        continue;
      await runCheckProbe(ctx, {
        step,
        check,
        captures,
        db: databaseOf(ctx.runbook, check),
      });
    }
  }
  return end ? { steps: prefix, end } : { steps: prefix };
}

/** Why an action ends the read-only prefix, or undefined when it only reads (or is marked probe). */
function whyNotPrefix(action: Action): string | undefined {
  if (action.kind === "manual") return "a manual action (::manual)";
  if (action.kind === "confirm") return "a gate (::confirm)";
  if (isProbe(action.attributes)) return undefined;
  if (action.kind !== "sql")
    return `a ${action.kind === "file" ? "file=" : action.kind} block at line ${action.at.line}${action.kind === "sh" ? " (mark it probe if it only reads)" : ""}`;
  const parsed = parseSql(action.code);
  if ("error" in parsed)
    return `SQL that does not parse at line ${action.at.line}`;
  for (const statement of parsed.statements) {
    const why = whyNotOnlyReads(statement.tree);
    if (why) return `${why} at line ${action.codeAt.line + statement.line - 1}`;
  }
  return undefined;
}

/**
 * A function the server knows outside pg_catalog, volatile, called by a
 * prefix step's SQL: it could change things no read-only transaction stops
 * (another connection, a signal). Asked of the server, since the text alone
 * cannot tell `SELECT report()` from `SELECT count(*)`.
 */
async function volatileCalls(
  ctx: PreflightContext,
  step: Step,
  live: readonly Action[],
): Promise<string | undefined> {
  for (const action of live) {
    if (action.kind !== "sql" || isProbe(action.attributes)) continue;
    const parsed = parseSql(action.code);
    const names =
      "error" in parsed
        ? []
        : [
            ...new Set(
              parsed.statements.flatMap((s) => calledFunctions(s.tree)),
            ),
          ];
    const db = databaseOf(ctx.runbook, action);
    const state = db !== undefined ? ctx.databases.get(db) : undefined;
    if (names.length === 0 || !db || state?.state !== "reached") continue;
    try {
      const client = await ctx.connections.client(db);
      const rows = await readOnlyQuery(
        client,
        "SELECT DISTINCT n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = ANY (pg_catalog.string_to_array(:'f', ',')) AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.provolatile = 'v'",
        { f: names.join(",") },
      );
      const found = rows
        .map((r) => r[0])
        .filter((v): v is string => typeof v === "string");
      if (found.length > 0)
        return `${found.map((f) => `${f}()`).join(", ")} at line ${action.at.line} of step ${step.id}: a volatile function of the database, which may change things (mark the block probe if it only reads)`;
    } catch {
      // Unreachable: the block's own probe says why.
    }
  }
  return undefined;
}
