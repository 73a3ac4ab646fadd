import { judge, type Judgement, type Observation } from '../../checks/index.js';
import type { ActionContext } from '../actions/context.js';
import { lookupVar } from '../actions/context.js';
import { databaseEnv } from '../actions/database-env.js';
import { runScript } from '../actions/shell.js';
import type { Check } from '../model/check.js';
import { interpolate } from '../parse/refs.js';
import { substitutePsqlVariables } from '../sql/index.js';
import type { CheckOutcome } from './events.js';
import { abortableSleep } from './sleep.js';

/** One evaluation may take this long unless the check says `timeout=`. */
const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

export interface CheckRunOptions {
  readonly ctx: ActionContext;
  /** The database a SQL check (or a shell check with db=) uses. */
  readonly db?: string;
  /** Called before each new attempt of a waiting check, with the last failure. */
  readonly onRetry?: (attempt: number, last: string) => void;
}

/**
 * Runs a check, polling with `wait=`/`every=` until it passes or the wait
 * runs out. While waiting, an error (refused connection, missing table)
 * counts as "not yet"; the last one is reported if time runs out.
 */
export async function runCheck(check: Check, options: CheckRunOptions): Promise<CheckOutcome> {
  const started = performance.now();
  const waitMs = check.waitMs ?? 0;
  const everyMs = check.everyMs ?? Math.max(100, Math.min(2000, waitMs / 10));
  const deadline = started + waitMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    const judgement = await attempt(check, options).catch((error: unknown): Judgement => ({ ok: false, message: (error as Error).message }));
    const outOfTime = performance.now() + everyMs > deadline;
    if (judgement.ok || outOfTime || options.ctx.signal.aborted) {
      const message = !judgement.ok && waitMs > 0 && attempts > 1 ? `${judgement.message} (still failing after ${attempts} tries over ${Math.round((performance.now() - started) / 1000)}s)` : judgement.message;
      return { ...judgement, message, attempts, durationMs: performance.now() - started };
    }
    options.onRetry?.(attempts, judgement.message);
    await abortableSleep(everyMs, options.ctx.signal);
  }
}

async function attempt(check: Check, options: CheckRunOptions): Promise<Judgement> {
  const { ctx } = options;
  const expect = check.expectation.expect === undefined ? undefined : interpolate(check.expectation.expect, lookupVar(ctx));
  if (expect && expect.missing.length > 0) return { ok: false, message: `expect= names undefined variable${expect.missing.length > 1 ? 's' : ''} ${expect.missing.join(', ')}` };
  const expectation = expect === undefined ? check.expectation : { ...check.expectation, expect: expect.text };
  return judge(expectation, check.kind === 'sql' ? await observeSql(check.code, check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, options) : await observeShell(check, options));
}

async function observeSql(code: string, timeout: number, options: CheckRunOptions): Promise<Observation> {
  const { ctx, db } = options;
  if (db === undefined) throw new Error('no database for this check: add db=NAME');
  const sql = substitutePsqlVariables(code.trim().replace(/;+\s*$/, ''), ctx.vars, { onUndefined: 'error' });
  const client = await ctx.connections.client(db);
  type Result = { fields?: { name: string; dataTypeID: number }[]; rows?: (string | null)[][] };
  let results: Result | Result[];
  try {
    // One round trip: a read-only transaction with a statement timeout, so a check can never change data.
    results = (await client.query({ text: `BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeout))}; ${sql}; COMMIT`, rowMode: 'array' })) as unknown as Result[];
  } catch (error) {
    await client.query('ROLLBACK').catch(() => ctx.connections.drop(db));
    throw error;
  }
  const list = Array.isArray(results) ? results : [results];
  const last = list.slice(0, -1).reverse().find((r) => r.fields && r.fields.length > 0) ?? { fields: [], rows: [] };
  return {
    kind: 'rows',
    columns: (last.fields ?? []).map((f) => f.name),
    booleans: (last.fields ?? []).map((f) => f.dataTypeID === 16),
    rows: last.rows ?? [],
  };
}

async function observeShell(check: Extract<Check, { kind: 'sh' }>, options: CheckRunOptions): Promise<Observation> {
  const { ctx, db } = options;
  const r = await runScript({
    shell: check.shell,
    script: check.code,
    options: {
      timeoutMs: check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
      ...(check.user !== undefined ? { user: check.user } : {}),
      ...(check.on !== undefined ? { on: check.on } : {}),
      ...(check.cwd !== undefined ? { cwd: check.cwd } : {}),
    },
    ctx,
    extraEnv: db === undefined ? {} : databaseEnv(ctx.connections.database(db).url),
    keepStdout: 1 << 20,
    quiet: true,
  });
  if (r.spawnError) throw new Error(r.spawnError);
  if (r.timedOut) throw new Error(`the check timed out after ${Math.round((check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) / 1000)}s`);
  return { kind: 'output', stdout: r.stdout, exitCode: r.exitCode, expectedExit: check.exit };
}
