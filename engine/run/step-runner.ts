import { runConsole } from '../actions/console.js';
import type { ActionContext, ActionResult } from '../actions/context.js';
import { databaseEnv } from '../actions/database-env.js';
import { runFile } from '../actions/file.js';
import { runPsql } from '../actions/psql.js';
import { runShell } from '../actions/shell.js';
import { runSql } from '../actions/sql.js';
import { isCodeAction, type Action, type CodeAction } from '../model/action.js';
import { assertNever } from '../model/errors.js';
import type { Step } from '../model/runbook.js';
import type { JournalWriter } from '../journal/index.js';
import { runCheck } from './check-runner.js';
import { emit, reportersDrained, type GateAnswer, type GateKind, type Reporter } from './events.js';
import type { Interaction } from './interaction.js';
import type { OutputLog } from './output-log.js';
import type { RunContext } from './run-context.js';
import { abortableSleep } from './sleep.js';

export interface StepRunOptions {
  readonly step: Step;
  readonly attempt: number;
  readonly mode: 'live' | 'rehearsal';
  readonly cwd: string;
  readonly isRoot: boolean;
  readonly run: RunContext;
  readonly journal: JournalWriter;
  readonly log: OutputLog;
  readonly reporters: readonly Reporter[];
  readonly interaction: Interaction;
  readonly signal: AbortSignal;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly user: string;
  readonly now: () => Date;
  /** Collects how each action went, for the step's journal entry. */
  readonly actionLog: ActionSummary[];
}

export interface ActionSummary {
  readonly index: number;
  readonly kind: string;
  readonly ok: boolean;
  readonly exitCode?: number;
  readonly durationMs: number;
  readonly skipped?: string;
}

/** How one attempt of a step ended. */
export type StepOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string; readonly interrupted: boolean }
  /** A gate or manual step was not answered (quit, `--yes`, "no"): the run stops, resumable. */
  | { readonly kind: 'stopped'; readonly message: string }
  | { readonly kind: 'skipped'; readonly message: string };

/** Runs a step's actions in document order, then its checks (SPEC 1.2). */
export async function runStepAttempt(o: StepRunOptions): Promise<StepOutcome> {
  const { step, run } = o;
  for (const [index, action] of step.actions.entries()) {
    if (o.signal.aborted) return { kind: 'failed', message: 'interrupted', interrupted: true };
    const only = isCodeAction(action) ? action.options.only : undefined;
    if (only && only !== o.mode) {
      emit(o.reporters, { type: 'action-start', stepId: step.id, index, kind: action.kind, code: codeOf(action), attempt: o.attempt });
      const skipped = `only=${only}: not run in a ${o.mode} run`;
      emit(o.reporters, { type: 'action-end', stepId: step.id, index, ok: true, durationMs: 0, skipped });
      o.actionLog.push({ index, kind: action.kind, ok: true, durationMs: 0, skipped });
      continue;
    }
    const gate = await gateFor(action, index, o);
    if (gate) return gate;
    if (action.kind === 'manual' || action.kind === 'confirm') continue;

    const db = action.options.db ?? (action.kind === 'sql' || action.kind === 'psql' ? soleDatabase(o) : undefined);
    let target: string | undefined;
    try {
      target = action.options.on !== undefined ? run.host(action.options.on) : db !== undefined ? run.connections.database(db).shown : undefined;
    } catch (error) {
      return fail(o, index, action, (error as Error).message);
    }
    emit(o.reporters, { type: 'action-start', stepId: step.id, index, kind: action.kind, code: run.redact(action.code), ...(target ? { target } : {}), attempt: o.attempt });
    if (action.options.interactive) await o.interaction.beforeInteractive?.();
    let result: ActionResult;
    try {
      result = await withRetries(action, o, () => execute(action, db, actionContext(o)));
    } finally {
      if (action.options.interactive) await o.interaction.afterInteractive?.();
    }
    o.actionLog.push({ index, kind: action.kind, ok: result.ok, durationMs: Math.round(result.durationMs), ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}) });
    emit(o.reporters, {
      type: 'action-end',
      stepId: step.id,
      index,
      ok: result.ok,
      durationMs: result.durationMs,
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.message ? { message: run.redact(result.message) } : {}),
    });
    if (!result.ok) {
      const message = run.redact(result.message ?? 'failed');
      o.journal.append({ type: 'action', at: o.now().toISOString(), step: step.id, index, kind: action.kind, ok: false, durationMs: Math.round(result.durationMs), message, ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}) });
      return { kind: 'failed', message: `${describe(action)}: ${message}`, interrupted: result.interrupted === true || o.signal.aborted };
    }
    if (action.options.capture !== undefined && result.captured !== undefined) {
      const name = action.options.capture;
      run.set(name, result.captured);
      const secret = run.isSecret(name);
      o.journal.append({ type: 'capture', at: o.now().toISOString(), step: step.id, name, secret, ...(secret ? {} : { value: result.captured }) });
      emit(o.reporters, { type: 'capture', stepId: step.id, name, value: run.redact(result.captured) });
    }
  }

  let failed: string | undefined;
  for (const [index, check] of step.checks.entries()) {
    if (o.signal.aborted) return { kind: 'failed', message: 'interrupted', interrupted: true };
    if (check.only && check.only !== o.mode) {
      const outcome = { ok: true, message: `only=${check.only}: not checked in a ${o.mode} run`, attempts: 0, durationMs: 0 };
      emit(o.reporters, { type: 'check-start', stepId: step.id, index, kind: check.kind, code: run.redact(check.code) });
      emit(o.reporters, { type: 'check-end', stepId: step.id, index, outcome });
      continue;
    }
    const db = check.db ?? (check.kind === 'sql' ? soleDatabase(o) : undefined);
    emit(o.reporters, { type: 'check-start', stepId: step.id, index, kind: check.kind, code: run.redact(check.code), ...(check.waitMs !== undefined ? { waitMs: check.waitMs } : {}) });
    const outcome = await runCheck(check, { ctx: actionContext(o), ...(db !== undefined ? { db } : {}) });
    const masked = {
      ...outcome,
      message: run.redact(outcome.message),
      ...(outcome.table ? { table: { columns: outcome.table.columns, expected: outcome.table.expected, actual: outcome.table.actual.map((r) => r.map((c) => run.redact(c))) } } : {}),
      ...(outcome.expected !== undefined ? { expected: run.redact(outcome.expected) } : {}),
      ...(outcome.actual !== undefined ? { actual: run.redact(outcome.actual) } : {}),
    };
    o.log.write(`check ${index + 1} (line ${check.at.line}): ${masked.ok ? 'passed' : 'FAILED'}: ${masked.message}\n`);
    o.journal.append({
      type: 'check',
      at: o.now().toISOString(),
      step: step.id,
      index,
      kind: check.kind,
      line: check.at.line,
      ok: masked.ok,
      message: masked.message,
      attempts: masked.attempts,
      durationMs: Math.round(masked.durationMs),
      ...(masked.expected !== undefined ? { expected: masked.expected } : {}),
      ...(masked.actual !== undefined ? { actual: masked.actual } : {}),
      ...(masked.table ? { table: masked.table } : {}),
    });
    emit(o.reporters, { type: 'check-end', stepId: step.id, index, outcome: masked });
    if (!masked.ok && failed === undefined) failed = `check at line ${check.at.line} failed: ${masked.message}`;
  }
  if (failed !== undefined) return { kind: 'failed', message: failed, interrupted: o.signal.aborted };
  return { kind: 'done' };
}

function soleDatabase(o: StepRunOptions): string | undefined {
  return o.run.soleDatabase;
}

function actionContext(o: StepRunOptions): ActionContext {
  const { run, step } = o;
  return {
    step,
    mode: o.mode,
    cwd: o.cwd,
    env: run.env({ ...o.baseEnv, RUNBOOK_STEP: step.id }),
    vars: run.vars,
    secrets: run.secrets,
    isRoot: o.isRoot,
    host: (name) => run.host(name),
    connections: run.connections,
    output: (stream, text) => {
      o.log.write(text);
      emit(o.reporters, { type: 'output', stepId: step.id, stream, text });
    },
    signal: o.signal,
    backpressure: () => o.log.backpressure ?? reportersDrained(o.reporters),
    redact: (text) => run.redact(text),
  };
}

async function execute(action: CodeAction, db: string | undefined, ctx: ActionContext): Promise<ActionResult> {
  switch (action.kind) {
    case 'sh':
      // As extra variables, so that an on= block exports them to the remote shell too.
      return runShell(action, ctx, db === undefined ? {} : databaseEnv(ctx.connections.database(db).url));
    case 'console':
      return runConsole(action, db === undefined ? ctx : { ...ctx, env: { ...ctx.env, ...databaseEnv(ctx.connections.database(db).url) } });
    case 'sql':
      if (db === undefined) return { ok: false, message: 'no database: add db=NAME', durationMs: 0 };
      return runSql(action, db, ctx);
    case 'psql':
      if (db === undefined) return { ok: false, message: 'no database: add db=NAME', durationMs: 0 };
      return runPsql(action, db, ctx);
    case 'file':
      return runFile(action, ctx);
    default:
      return assertNever(action, 'action');
  }
}

/** `retry=N retry-delay=…`: a failed action is tried again up to N times. */
async function withRetries(action: CodeAction, o: StepRunOptions, run: () => Promise<ActionResult>): Promise<ActionResult> {
  let result: ActionResult;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await run();
    } catch (error) {
      result = { ok: false, message: (error as Error).message, durationMs: 0 };
    }
    if (result.ok || result.interrupted || attempt >= action.options.retry || o.signal.aborted) return result;
    const note = `${describe(action)} failed (${o.run.redact(result.message ?? '')}); retry ${attempt + 1} of ${action.options.retry} in ${action.options.retryDelayMs}ms\n`;
    o.log.write(note);
    emit(o.reporters, { type: 'output', stepId: o.step.id, stream: 'info', text: note });
    await abortableSleep(action.options.retryDelayMs, o.signal);
  }
}

function fail(o: StepRunOptions, index: number, action: Action, message: string): StepOutcome {
  const masked = o.run.redact(message);
  o.journal.append({ type: 'action', at: o.now().toISOString(), step: o.step.id, index, kind: action.kind, ok: false, durationMs: 0, message: masked });
  return { kind: 'failed', message: `${describe(action)}: ${masked}`, interrupted: false };
}

/** Gates: ::confirm, ::manual and `confirm` blocks. Undefined means go on. */
async function gateFor(action: Action, index: number, o: StepRunOptions): Promise<StepOutcome | undefined> {
  const { step, run } = o;
  let kind: GateKind;
  let prompt: string;
  let answer: GateAnswer;
  if (action.kind === 'manual') {
    kind = 'manual';
    prompt = action.text;
    answer = await o.interaction.manual(step, action);
  } else if (action.kind === 'confirm') {
    kind = action.typed ? 'typed' : 'confirm';
    prompt = run.interpolate(action.prompt);
    answer = await o.interaction.gate({ step, kind, prompt, action, ...(action.typed ? { typed: run.interpolate(action.typed) } : {}) });
  } else if (action.options.confirm) {
    kind = 'block';
    prompt = `Run this ${action.kind} block?`;
    answer = await o.interaction.gate({ step, kind, prompt, code: run.redact(action.code) });
  } else {
    return undefined;
  }
  const by = o.interaction.interactive ? 'operator' : 'auto';
  o.journal.append({ type: 'gate', at: o.now().toISOString(), step: step.id, kind, prompt: run.redact(prompt), answer, by, user: o.user });
  emit(o.reporters, { type: 'gate', stepId: step.id, kind, prompt: run.redact(prompt), answer, by });
  if (answer === 'yes' || answer === 'done') return undefined;
  if (answer === 'skip') return { kind: 'skipped', message: `${kind === 'manual' ? 'manual step' : 'gate'} at line ${action.at.line} skipped` };
  const why = o.interaction.interactive ? 'stopped by the operator' : kind === 'manual' ? 'a manual step needs the operator (run interactively, or with --yes=all to acknowledge it)' : 'a gate needs the operator: --yes does not answer gates or confirm blocks (run interactively, or with --yes=all)';
  return { kind: 'stopped', message: `${why} (line ${action.at.line}${index >= 0 ? '' : ''})` };
}

function codeOf(action: Action): string {
  return isCodeAction(action) ? action.code : action.kind === 'manual' ? action.text : action.prompt;
}

function describe(action: Action): string {
  return `${action.kind} block at line ${action.at.line}`;
}
