import { judge, type Judgement, type Observation } from "../../checks/index.js";
import { databaseEnv, psqlSetLines } from "../actions/index.js";
import type { Check, CodeAction, Expectation, Step } from "../model/index.js";
import { runReadOnlyCheck, scanPsqlVariables } from "../sql/index.js";
import type { PreflightContext } from "./context.js";
import { runAt } from "./exec.js";
import { shellInputs } from "./shell-programs.js";
import type { Place, Probe } from "./types.js";
import { plural, formatDuration, interpolate } from "../model/index.js";

const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
const DEFAULT_BLOCK_TIMEOUT_MS = 60_000;

interface BlockProbe {
  readonly step: Step;
  readonly action: CodeAction;
  readonly captures: ReadonlyMap<string, string>;
  readonly db: string | undefined;
}

interface CheckProbe {
  readonly step: Step;
  readonly check: Check;
  readonly captures: ReadonlyMap<string, string>;
  readonly db: string | undefined;
}

/**
 * Runs one block of the read-only prefix or marked `probe`: SQL inside a
 * read-only transaction that is rolled back (statements refused before
 * anything is sent if they could leave it); psql and shell with every
 * session they open read-only by default (PGOPTIONS); its capture kept for
 * the probes after it.
 */
export async function runBlockProbe(
  ctx: PreflightContext,
  o: BlockProbe,
): Promise<void> {
  const { action, step } = o;
  const base = { kind: "block" as const, step: step.id, at: action.at };
  const subject = `${action.kind} block${o.db !== undefined ? ` on ${o.db}` : ""}${action.options.on !== undefined ? ` on host ${action.options.on}` : ""}`;
  const emit = (p: Omit<Probe, "kind" | "step" | "at" | "subject">): void =>
    ctx.emit({ ...base, subject, ...p });
  if (action.kind === "console" || action.kind === "file") {
    emit({
      state: "skip",
      why: `preflight runs sql, psql, sh and bash blocks; a ${action.kind === "file" ? "file=" : "console"} block is left to the run`,
    });
    return;
  }
  const blocked = whyNotReady(ctx, {
    code: action.code,
    vars:
      action.kind === "sql" ? "sql" : action.kind === "sh" ? "shell" : "none",
    db: o.db,
    captures: o.captures,
    needsDb: action.kind !== "sh",
  });
  if (blocked) {
    emit(blocked);
    return;
  }
  const timeoutMs = action.options.timeoutMs ?? DEFAULT_BLOCK_TIMEOUT_MS;
  const capture = action.options.capture;
  if (action.kind === "sql") {
    try {
      const client = await ctx.connections.client(o.db ?? "");
      const rows = await runReadOnlyCheck(client, action.code, {
        vars: ctx.vars,
        timeoutMs,
      });
      const value = rows.columns.length > 0 ? (rows.rows[0]?.[0] ?? "") : "";
      if (capture !== undefined) ctx.set(capture, value);
      emit({
        state: "pass",
        why:
          capture !== undefined
            ? `${capture} = ${JSON.stringify(value)}`
            : `read ${plural(rows.rows.length, "row")}`,
      });
    } catch (error) {
      emit(failure((error as Error).message));
    }
    return;
  }
  const place = resolvePlace(ctx, action.options);
  if ("why" in place) {
    emit({ state: "skip", why: place.why });
    return;
  }
  const script =
    action.kind === "psql"
      ? `exec psql -X -w -v ON_ERROR_STOP=1 --pset=pager=off -f - <<'__RUNBOOK_PREFLIGHT_PSQL__'\n${psqlSetLines(ctx.vars)}${action.code}\n__RUNBOOK_PREFLIGHT_PSQL__\n`
      : action.code;
  const r = await runShell(ctx, {
    shell: action.kind === "sh" ? action.shell : "sh",
    script,
    place: place.place,
    cwd: place.cwd,
    db: o.db,
    timeoutMs,
  });
  const expected = action.options.exit;
  if (r.exitCode === expected && !r.timedOut && !r.spawnError) {
    if (capture !== undefined) ctx.set(capture, r.stdout.trim());
    const last = r.stdout.trim().split("\n").at(-1) ?? "";
    emit({
      state: "pass",
      why:
        capture !== undefined
          ? `${capture} = ${JSON.stringify(r.stdout.trim())}`
          : `exit ${expected}${last ? `: ${last}` : ""}`,
    });
    return;
  }
  emit(
    failure(
      r.spawnError ??
        (r.timedOut
          ? `timed out after ${formatDuration(timeoutMs)}`
          : `exit ${r.exitCode ?? "none (killed)"}, expected ${expected}${r.stderr ? `: ${r.stderr.split("\n").at(-1)}` : ""}`),
    ),
  );
}

/** Runs one check of the read-only prefix or marked `probe`, once: a `wait=` check that does not hold yet is pending, not failed. */
export async function runCheckProbe(
  ctx: PreflightContext,
  o: CheckProbe,
): Promise<void> {
  const { check, step } = o;
  const subject = `${check.kind === "sql" ? "sql" : "shell"} check${o.db !== undefined ? ` on ${o.db}` : ""}${check.kind === "sh" && check.on !== undefined ? ` on host ${check.on}` : ""}`;
  const emit = (p: Omit<Probe, "kind" | "step" | "at" | "subject">): void =>
    ctx.emit({ kind: "check", step: step.id, at: check.at, subject, ...p });
  const expectation = resolveExpectation(ctx, check, o.captures);
  if ("why" in expectation) {
    emit({ state: "skip", why: expectation.why });
    return;
  }
  const blocked = whyNotReady(ctx, {
    code: check.code,
    vars: check.kind === "sql" ? "sql" : "shell",
    db: o.db,
    captures: o.captures,
    needsDb: check.kind === "sql",
  });
  if (blocked) {
    emit(blocked);
    return;
  }
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  let observation: Observation;
  try {
    if (check.kind === "sql") {
      const client = await ctx.connections.client(o.db ?? "");
      observation = {
        kind: "rows",
        ...(await runReadOnlyCheck(client, check.code, {
          vars: ctx.vars,
          timeoutMs,
        })),
      };
    } else {
      const place = resolvePlace(ctx, check);
      if ("why" in place) {
        emit({ state: "skip", why: place.why });
        return;
      }
      const r = await runShell(ctx, {
        shell: check.shell,
        script: check.code,
        place: place.place,
        cwd: place.cwd,
        db: o.db,
        timeoutMs,
      });
      if (r.spawnError) throw new Error(r.spawnError);
      if (r.timedOut)
        throw new Error(
          `the check timed out after ${formatDuration(timeoutMs)}`,
        );
      observation = {
        kind: "output",
        stdout: r.stdout,
        exitCode: r.exitCode,
        expectedExit: check.exit,
      };
    }
  } catch (error) {
    emit(
      check.waitMs
        ? pending((error as Error).message, check.waitMs)
        : failure((error as Error).message),
    );
    return;
  }
  const judgement: Judgement = judge(expectation.expectation, observation);
  if (judgement.kind === "pass")
    emit({
      state: "pass",
      why: passMessage(judgement, expectation.expectation, observation),
    });
  else
    emit(
      check.waitMs
        ? pending(judgement.message, check.waitMs)
        : {
            state: "fail",
            why: judgement.message,
            fix: "this is what the step checks: make it hold before the run",
          },
    );
}

/** What a passing check saw, in words: `no rows, as expected`, `exit 0`, `got "15"`. */
function passMessage(
  judgement: Judgement,
  expectation: Expectation,
  observation: Observation,
): string {
  if (
    observation.kind === "output" &&
    observation.stdout.trim() === "" &&
    expectation.expect === undefined
  )
    return `exit ${observation.exitCode ?? "?"}, as expected`;
  if (judgement.message === "passed")
    return expectation.empty
      ? `no ${observation.kind === "rows" ? "rows" : "output"}, as expected`
      : "passed";
  return judgement.message;
}

function pending(
  message: string,
  waitMs: number,
): Omit<Probe, "kind" | "step" | "at" | "subject"> {
  return {
    state: "pending",
    why: `not yet: ${message} (the run waits up to ${formatDuration(waitMs)} for it)`,
  };
}

function failure(
  message: string,
): Omit<Probe, "kind" | "step" | "at" | "subject"> {
  if (/read-only transaction/.test(message))
    return {
      state: "fail",
      why: message,
      fix: "this block writes: remove probe from it",
    };
  return {
    state: "fail",
    why: message,
    fix: "this is what the step will run into: fix it before the run",
  };
}

/** Why a block or check cannot run before the run: a database not reached, or a variable only the run captures. */
function whyNotReady(
  ctx: PreflightContext,
  o: {
    code: string;
    vars: "sql" | "shell" | "none";
    db: string | undefined;
    captures: ReadonlyMap<string, string>;
    needsDb: boolean;
  },
): Omit<Probe, "kind" | "step" | "at" | "subject"> | undefined {
  if (o.db !== undefined) {
    const state = ctx.databases.get(o.db);
    if (!state || state.state !== "reached")
      return { state: "skip", why: `database ${o.db} was not reached` };
    if (state.standIn)
      return {
        state: "skip",
        why: `database ${o.db} does not exist before the run`,
      };
  } else if (o.needsDb) {
    return {
      state: "fail",
      why: "no database: add db=NAME",
      fix: "add db=NAME",
    };
  }
  const sql = o.vars === "sql";
  const names = sql
    ? scanPsqlVariables(o.code)
        .filter((u) => u.plausible && u.syntax !== "psql-defined")
        .map((u) => u.name)
    : o.vars === "shell"
      ? shellInputs(o.code)
      : [];
  const missing = [
    ...new Set(
      names.filter((n) => !ctx.vars.has(n) && (sql || o.captures.has(n))),
    ),
  ];
  if (missing.length === 0) return undefined;
  const captured = missing.filter((n) => o.captures.has(n));
  if (captured.length > 0)
    return {
      state: "skip",
      why: `needs ${captured.map((n) => `${sql ? ":" : "$"}${n} (captured by step ${o.captures.get(n)})`).join(", ")}`,
    };
  return {
    state: "fail",
    why: `psql variable${missing.length > 1 ? "s" : ""} ${missing.map((n) => `:${n}`).join(", ")} not defined`,
    fix: "declare it as a param",
  };
}

/** `${name}` in `expect=` and `match=` filled in; a name only the run captures makes the check wait for the run. */
function resolveExpectation(
  ctx: PreflightContext,
  check: Check,
  captures: ReadonlyMap<string, string>,
): { expectation: Expectation } | { why: string } {
  const out: { -readonly [K in keyof Expectation]: Expectation[K] } = {
    ...check.expectation,
  };
  for (const key of ["expect", "match"] as const) {
    const raw = check.attributes[key];
    if (raw === undefined || !raw.includes("${")) continue;
    const r = interpolate(raw, ctx.lookup);
    if (r.missing.length > 0)
      return {
        why: `${key}= names ${r.missing.map((n) => `\${${n}}${captures.has(n) ? ` (captured by step ${captures.get(n)})` : ""}`).join(", ")}`,
      };
    out[key] = r.text;
  }
  return { expectation: out };
}

function resolvePlace(
  ctx: PreflightContext,
  o: {
    readonly on?: string | undefined;
    readonly user?: string | undefined;
    readonly cwd?: string | undefined;
  },
): { place: Place; cwd?: string } | { why: string } {
  if (o.on !== undefined && !ctx.hosts.has(o.on))
    return { why: `host ${o.on} was not reached` };
  const fill = (value: string | undefined): string | undefined | null => {
    if (value === undefined) return undefined;
    const r = interpolate(value, ctx.lookup);
    return r.missing.length > 0 ? null : r.text;
  };
  const user = fill(o.user);
  const cwd = fill(o.cwd);
  if (user === null || cwd === null)
    return { why: "its user= or cwd= names a value only the run knows" };
  return {
    place: {
      ...(o.on !== undefined ? { on: o.on } : {}),
      ...(user !== undefined ? { user } : {}),
    },
    ...(cwd !== undefined ? { cwd } : {}),
  };
}

/** Runs a probe's script where its block would run, every PostgreSQL session it opens read-only by default. */
async function runShell(
  ctx: PreflightContext,
  o: {
    shell: "sh" | "bash";
    script: string;
    place: Place;
    cwd: string | undefined;
    db: string | undefined;
    timeoutMs: number;
  },
) {
  const state = o.db !== undefined ? ctx.databases.get(o.db) : undefined;
  const dbEnv = state?.state === "reached" ? databaseEnv(state.url) : {};
  const pgOptions =
    `${ctx.options.env["PGOPTIONS"] ?? ""} -c default_transaction_read_only=on`.trim();
  const extra = { ...dbEnv, PGOPTIONS: pgOptions };
  return runAt({
    shell: o.shell,
    script: o.script,
    place: o.place,
    ...(o.place.on !== undefined
      ? { target: ctx.hosts.get(o.place.on) ?? o.place.on }
      : {}),
    env: ctx.env(extra),
    remoteVars: ctx.remoteVars(extra),
    cwd:
      o.place.on === undefined && o.cwd !== undefined
        ? resolvePath(ctx.options.cwd, o.cwd)
        : ctx.options.cwd,
    ...(o.place.on !== undefined && o.cwd !== undefined
      ? { remoteCwd: o.cwd }
      : {}),
    timeoutMs: o.timeoutMs,
    secrets: ctx.secrets,
    signal: ctx.options.signal,
    isRoot: ctx.options.isRoot,
  });
}

function resolvePath(base: string, p: string): string {
  return p.startsWith("/") ? p : `${base.replace(/\/$/, "")}/${p}`;
}
