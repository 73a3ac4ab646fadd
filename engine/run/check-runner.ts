import { judge, type Judgement, type Observation } from "../../checks/index.js";
import {
  type ActionContext,
  databaseEnv,
  runScript,
  checkTimeout,
  differsInsideSecret,
  noDatabase,
  waitRanOut,
} from "../actions/index.js";
import type { Check } from "../model/index.js";
import { loadSqlParser, runReadOnlyCheck } from "../sql/index.js";
import type { CheckOutcome } from "./events.js";
import { abortableSleep } from "./sleep.js";

/** One evaluation may take this long unless the check says `timeout=`. */
const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

export interface CheckRunOptions {
  readonly ctx: ActionContext;
  /** The database a SQL check (or a shell check with db=) uses. */
  readonly db?: string;
  /**
   * A waiting check's try did not pass and it will be tried again: what it
   * got. Called when what it got changes, and otherwise at most once every
   * `progressEveryMs`.
   */
  readonly onProgress?: (progress: CheckProgress) => void;
  /** @default 1000 */
  readonly progressEveryMs?: number;
}

/** A waiting check's last try (see the `check-progress` event). */
export interface CheckProgress {
  readonly attempts: number;
  /** The value the try got, when it got one. */
  readonly actual?: string;
  /** Why it did not pass: the comparison, or an error (a refused connection, a missing table). */
  readonly message: string;
  readonly elapsedMs: number;
}

/**
 * Runs a check (its attributes resolved: see resolveCheck), polling with
 * `wait=`/`every=` until it passes or the wait runs out. While waiting, an error (refused connection, missing table)
 * counts as "not yet"; the last one is reported if time runs out.
 */
export async function runCheck(
  check: Check,
  options: CheckRunOptions,
): Promise<CheckOutcome> {
  const started = performance.now();
  const waitMs = check.waitMs ?? 0;
  const everyMs = check.everyMs ?? Math.max(100, Math.min(2000, waitMs / 10));
  const deadline = started + waitMs;
  let attempts = 0;
  const progressEveryMs = options.progressEveryMs ?? 1000;
  let lastProgress: { key: string; at: number } | undefined;
  for (;;) {
    attempts++;
    const judgement = await attempt(check, options).catch(
      (error: unknown): Judgement => ({
        kind: "error",
        message: (error as Error).message,
      }),
    );
    const outOfTime = performance.now() + everyMs > deadline;
    const passed = judgement.kind === "pass";
    if (passed || outOfTime || options.ctx.signal.aborted) {
      const message =
        !passed && waitMs > 0 && attempts > 1
          ? waitRanOut(judgement.message, attempts, performance.now() - started)
          : judgement.message;
      return {
        ...judgement,
        message,
        attempts,
        durationMs: performance.now() - started,
      };
    }
    if (options.onProgress) {
      const now = performance.now();
      const actual = "actual" in judgement ? judgement.actual : undefined;
      const key = `${actual ?? ""}\u0000${judgement.message}`;
      if (
        !lastProgress ||
        lastProgress.key !== key ||
        now - lastProgress.at >= progressEveryMs
      ) {
        lastProgress = { key, at: now };
        options.onProgress({
          attempts,
          ...(actual !== undefined ? { actual } : {}),
          message: judgement.message,
          elapsedMs: now - started,
        });
      }
    }
    await abortableSleep(everyMs, options.ctx.signal);
  }
}

/** One evaluation of a check whose attributes are resolved already (`${name}` in `expect=` and the others). */
async function attempt(
  check: Check,
  options: CheckRunOptions,
): Promise<Judgement> {
  const judgement = judge(
    check.expectation,
    check.kind === "sql"
      ? await observeSql(
          check.code,
          check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
          options,
        )
      : await observeShell(check, options),
  );
  const { redact } = options.ctx;
  return judgement.kind === "mismatch" &&
    judgement.expected !== judgement.actual &&
    redact(judgement.expected) === redact(judgement.actual)
    ? { ...judgement, message: differsInsideSecret(judgement.message) }
    : judgement;
}

/**
 * A SQL check runs through the real parser, one statement per message inside
 * a read-only transaction that always ends in ROLLBACK (engine/sql
 * read-only-check.ts): the check SQL was already refused before the run if it
 * could leave that transaction, and it is parsed again after psql variables
 * are put in, so a value can never add a statement.
 */
async function observeSql(
  code: string,
  timeout: number,
  options: CheckRunOptions,
): Promise<Observation> {
  const { ctx, db } = options;
  if (db === undefined) throw new Error(noDatabase("check"));
  await loadSqlParser();
  const client = await ctx.connections.client(db);
  try {
    return {
      kind: "rows",
      ...(await runReadOnlyCheck(client, code, {
        vars: ctx.vars,
        timeoutMs: timeout,
      })),
    };
  } finally {
    if (client.getTransactionStatus() !== "I") ctx.connections.drop(db);
  }
}

async function observeShell(
  check: Extract<Check, { kind: "sh" }>,
  options: CheckRunOptions,
): Promise<Observation> {
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
    extraEnv:
      db === undefined ? {} : databaseEnv(ctx.connections.database(db).url),
    keepStdout: 1 << 20,
    quiet: true,
  });
  if (r.spawnError) throw new Error(r.spawnError);
  if (r.timedOut)
    throw new Error(checkTimeout(check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS));
  return {
    kind: "output",
    stdout: r.stdout,
    exitCode: r.exitCode,
    expectedExit: check.exit,
  };
}
