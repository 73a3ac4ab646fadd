import { formatDuration } from "../model/index.js";
import type { ActionResult } from "./context.js";
import type { ProcessResult } from "./process.js";

/**
 * A process-backed action's result: `ok` when it exited as expected, else
 * `interrupted` (Ctrl-C) or `failed`, with the one-line reason below.
 */
export function processActionResult(
  r: ProcessResult,
  o: {
    readonly expectedExit: number;
    readonly timeoutMs?: number | undefined;
    /** Keep stdout (trimmed) as the `capture=` value. */
    readonly capture: boolean;
  },
): ActionResult {
  const exit = r.exitCode !== undefined ? { exitCode: r.exitCode } : {};
  const ok =
    r.exitCode === o.expectedExit &&
    !r.timedOut &&
    !r.interrupted &&
    !r.spawnError;
  if (ok)
    return {
      kind: "ok",
      durationMs: r.durationMs,
      ...exit,
      ...(o.capture ? { captured: r.stdout.trim() } : {}),
    };
  return {
    kind: r.interrupted ? "interrupted" : "failed",
    durationMs: r.durationMs,
    ...exit,
    message: failureMessage({
      ...r,
      expectedExit: o.expectedExit,
      timeoutMs: o.timeoutMs,
    }),
  };
}

/** The one place that says why a process-backed action failed (execa's lib/return/message.js). */
export function failureMessage(r: {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly interrupted: boolean;
  readonly spawnError?: string;
  readonly expectedExit: number;
  readonly timeoutMs?: number | undefined;
  /** Processes that were still there after SIGKILL. */
  readonly left?: readonly string[] | undefined;
}): string {
  const left = r.left?.length
    ? `; still running after SIGKILL (uninterruptible?): ${r.left.join(", ")}`
    : "";
  return reason(r) + left;
}

function reason(r: Parameters<typeof failureMessage>[0]): string {
  if (r.spawnError) return spawnFailure(r.spawnError);
  if (r.timedOut)
    return `timed out after ${formatDuration(r.timeoutMs ?? 0)}: the step's process group was stopped`;
  if (r.interrupted) return "interrupted: the step's process group was stopped";
  if (r.signal) return `killed by ${r.signal}`;
  if (r.exitCode === 255 && r.expectedExit !== 255)
    return `exit status 255 (for an on= block this is often ssh failing to connect)`;
  return `exit status ${r.exitCode ?? "?"}${r.expectedExit === 0 ? "" : `, expected ${r.expectedExit}`}`;
}

/** An action that could not start (no such user, an ssh or sudo setup that failed): `could not start: …`. */
export function spawnFailure(reason: string, host?: string): string {
  return `could not start: ${reason}${host === undefined ? "" : ` (host ${host})`}`;
}

/** A SQL or psql block (or a SQL check) with no database to run against. */
export function noDatabase(what?: "check"): string {
  return what === "check"
    ? "no database for this check: add db=NAME"
    : "no database: add db=NAME";
}

/** `retry=N`: a failed action is tried again (shown as the step's output). */
export function retryNote(r: {
  /** The action, as the step's failure names it (`sh block at line 12`). */
  readonly what: string;
  readonly message: string;
  /** This retry's number, from 1. */
  readonly retry: number;
  readonly of: number;
  readonly delayMs: number;
}): string {
  return `${r.what} failed (${r.message}); retry ${r.retry} of ${r.of} in ${formatDuration(r.delayMs)}`;
}

/** One evaluation of a check took longer than its `timeout=` (or the 30 s default). */
export function checkTimeout(timeoutMs: number): string {
  return `the check timed out after ${formatDuration(timeoutMs)}`;
}

/** A `wait=` check that ran out of time: its last reason, and how long it was tried. */
export function waitRanOut(
  message: string,
  attempts: number,
  elapsedMs: number,
): string {
  return `${message} (still failing after ${attempts} tries over ${Math.round(elapsedMs / 1000)}s)`;
}

/**
 * A value check whose expected and actual values differ only inside masked
 * secrets (the wrong secret compared): masked, both sides read `***`, so the
 * message says where the difference is, without showing it.
 */
export function differsInsideSecret(message: string): string {
  return `${message} (they differ inside a masked secret)`;
}
