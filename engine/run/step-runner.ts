import {
  runConsole,
  type ActionContext,
  type ActionResult,
  databaseEnv,
  noDatabase,
  retryNote,
  runFile,
  runPsql,
  runShell,
  runSql,
  lookupVar,
} from "../actions/index.js";
import { isCodeAction, type Action, type CodeAction } from "../model/index.js";
import { assertNever } from "../model/index.js";
import type { Step } from "../model/index.js";
import { runCheck } from "./check-runner.js";
import {
  resolveAction,
  resolveCheck,
  resolveGate,
  type AttributeScope,
} from "./resolve-attributes.js";
import {
  checkHeld,
  reportersDrained,
  type ActionSummary,
  type CheckOutcome,
  type GateAnswer,
  type GateKind,
  type Reporter,
} from "./events.js";
import type { Interaction } from "./interaction.js";
import type { OutputSink } from "../journal/index.js";
import type { Recorder } from "./recorder.js";
import type { RunContext } from "./run-context.js";
import { MASK } from "../secrets/index.js";
import { abortableSleep } from "./sleep.js";

export interface StepRunOptions {
  readonly step: Step;
  readonly attempt: number;
  readonly mode: "live" | "rehearsal";
  readonly cwd: string;
  readonly isRoot: boolean;
  readonly run: RunContext;
  /** Every event and journal entry goes through it (masked once, journaled, then emitted). */
  readonly recorder: Recorder;
  readonly log: OutputSink;
  /** Asked whether they can take more output (backpressure); events reach them only through the recorder. */
  readonly reporters: readonly Reporter[];
  readonly interaction: Interaction;
  readonly signal: AbortSignal;
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Collects how each action went, for the step's journal entry. */
  readonly actionLog: ActionSummary[];
}

export type { ActionSummary };

/** How one attempt of a step ended. */
export type StepOutcome =
  | { readonly kind: "done" }
  | {
      readonly kind: "failed";
      readonly message: string;
      readonly interrupted: boolean;
    }
  /** A gate or manual step was not answered (quit, `--yes`, "no"): the run stops, resumable. */
  | { readonly kind: "stopped"; readonly message: string }
  | { readonly kind: "skipped"; readonly message: string };

/** Runs a step's actions in document order, then its checks (SPEC 1.2). */
export async function runStepAttempt(o: StepRunOptions): Promise<StepOutcome> {
  const { step, run } = o;
  // Attribute values filled in by `${}` are checked before anything of the step runs.
  const problem = preflight(o);
  if (problem) return problem;
  for (const [index, written] of step.actions.entries()) {
    if (o.signal.aborted)
      return { kind: "failed", message: "interrupted", interrupted: true };
    // Resolved right before it runs (an earlier action of this step may have captured what it names),
    // unless it is for the other kind of run: then what it names need not exist.
    const resolved =
      isCodeAction(written) && !otherMode(written.options.only, o)
        ? resolveAction(written, scopeOf(o))
        : undefined;
    if (resolved && !resolved.ok)
      return fail(o, index, written, resolved.message);
    const action: Action = resolved?.action ?? written;
    const only = isCodeAction(action) ? action.options.only : undefined;
    const notRun = resolved?.notRun
      ? `${resolved.notRun}: not run`
      : only && only !== o.mode
        ? `only=${only}: not run in a ${o.mode} run`
        : undefined;
    if (notRun) {
      o.recorder.record({
        type: "action-start",
        stepId: step.id,
        index,
        kind: action.kind,
        code: codeOf(action),
        attempt: o.attempt,
      });
      o.recorder.record({
        type: "action-end",
        stepId: step.id,
        index,
        kind: action.kind,
        durationMs: 0,
        outcome: { kind: "not-run", reason: notRun },
      });
      o.actionLog.push({
        index,
        kind: action.kind,
        ok: true,
        durationMs: 0,
        skipped: notRun,
      });
      continue;
    }
    const gate = await gateFor(action, index, o);
    if (gate) return gate;
    if (action.kind === "manual" || action.kind === "confirm") continue;

    const db =
      action.options.db ??
      (action.kind === "sql" || action.kind === "psql"
        ? soleDatabase(o)
        : undefined);
    let target: string | undefined;
    try {
      target =
        action.options.on !== undefined
          ? run.host(action.options.on)
          : db !== undefined
            ? run.connections.database(db).shown
            : undefined;
    } catch (error) {
      return fail(o, index, action, (error as Error).message);
    }
    o.recorder.record({
      type: "action-start",
      stepId: step.id,
      index,
      kind: action.kind,
      code: action.code,
      ...(target ? { target } : {}),
      attempt: o.attempt,
    });
    if (action.options.interactive) await o.interaction.beforeInteractive?.();
    let result: ActionResult;
    // What a process-backed capture= action showed of its stdout, to tell whether the output's masking found a secret in it.
    const shownStdout =
      action.options.capture !== undefined && action.kind !== "sql"
        ? new ShownStdout()
        : undefined;
    try {
      result = await withRetries(action, o, () => {
        shownStdout?.reset();
        return execute(action, db, actionContext(o, shownStdout));
      });
    } finally {
      if (action.options.interactive) await o.interaction.afterInteractive?.();
    }
    const exit =
      result.exitCode !== undefined ? { exitCode: result.exitCode } : {};
    o.actionLog.push({
      index,
      kind: action.kind,
      ok: result.kind === "ok",
      durationMs: Math.round(result.durationMs),
      ...exit,
    });
    o.recorder.record({
      type: "action-end",
      stepId: step.id,
      index,
      kind: action.kind,
      durationMs: result.durationMs,
      outcome:
        result.kind === "ok"
          ? { kind: "ok", ...exit }
          : { kind: result.kind, message: result.message, ...exit },
    });
    if (result.kind !== "ok")
      return {
        kind: "failed",
        // Masked as the action-end event showed it.
        message: `${describe(action)}: ${o.recorder.redact(result.message)}`,
        interrupted: result.kind === "interrupted" || o.signal.aborted,
      };
    if (action.options.capture !== undefined && result.captured !== undefined) {
      const name = action.options.capture;
      // Output masking that found a secret in stdout which the value alone does not show whole (half of it
      // on stdout, half on stderr): what was captured is a piece of a secret, so it is one.
      const piece =
        shownStdout !== undefined &&
        shownStdout.masks > countMasks(result.captured) &&
        run.redact(result.captured) === result.captured;
      const secret = run.isSecret(name) || piece;
      run.set(name, result.captured, secret);
      o.recorder.record({
        type: "capture",
        stepId: step.id,
        name,
        value: result.captured,
        secret,
      });
    }
  }

  let failed: string | undefined;
  for (const [index, written] of step.checks.entries()) {
    if (o.signal.aborted)
      return { kind: "failed", message: "interrupted", interrupted: true };
    const resolved = otherMode(written.only, o)
      ? ({ ok: true, check: written } as const)
      : resolveCheck(written, scopeOf(o));
    if (!resolved.ok)
      return {
        kind: "failed",
        message: `check at line ${written.at.line}: ${resolved.message}`,
        interrupted: false,
      };
    const check = resolved.check;
    if (check.only && check.only !== o.mode) {
      const outcome: CheckOutcome = {
        kind: "skipped",
        message: `only=${check.only}: not checked in a ${o.mode} run`,
        attempts: 0,
        durationMs: 0,
      };
      o.recorder.record({
        type: "check-start",
        stepId: step.id,
        index,
        kind: check.kind,
        code: check.code,
      });
      o.recorder.record({
        type: "check-end",
        stepId: step.id,
        index,
        kind: check.kind,
        line: check.at.line,
        outcome,
      });
      continue;
    }
    const db = check.db ?? (check.kind === "sql" ? soleDatabase(o) : undefined);
    o.recorder.record({
      type: "check-start",
      stepId: step.id,
      index,
      kind: check.kind,
      code: check.code,
      ...(check.waitMs !== undefined ? { waitMs: check.waitMs } : {}),
    });
    const outcome = await runCheck(check, {
      ctx: actionContext(o),
      ...(db !== undefined ? { db } : {}),
      // While a wait= check polls, the screen shows what it last got (SPEC 1.4, 4), not only the time.
      onProgress: (p) =>
        o.recorder.record({
          type: "check-progress",
          stepId: step.id,
          index,
          ...p,
        }),
    });
    const shown = o.recorder.record({
      type: "check-end",
      stepId: step.id,
      index,
      kind: check.kind,
      line: check.at.line,
      outcome,
    }).outcome;
    o.log.write(
      `check ${index + 1} (line ${check.at.line}): ${checkHeld(shown) ? "passed" : "FAILED"}: ${shown.message}\n`,
    );
    if (!checkHeld(shown) && failed === undefined)
      failed = `check at line ${check.at.line} failed: ${shown.message}`;
  }
  if (failed !== undefined)
    return { kind: "failed", message: failed, interrupted: o.signal.aborted };
  return { kind: "done" };
}

function soleDatabase(o: StepRunOptions): string | undefined {
  return o.run.soleDatabase;
}

/** `only=` as written names the other kind of run: the item is skipped, its attributes never read. */
function otherMode(
  only: "live" | "rehearsal" | undefined,
  o: StepRunOptions,
): boolean {
  return only !== undefined && only !== o.mode;
}

/** What `${name}` means for this step now: the run's variables, then the step's environment. */
function scopeOf(o: StepRunOptions): AttributeScope {
  return {
    lookup: lookupVar(actionContext(o)),
    databases: o.run.databaseNames,
    hosts: o.run.hostNames,
  };
}

/**
 * Resolves every action's and check's attributes when the step starts, so a
 * bad value (an undefined name, a duration that is not one) stops the step
 * before any of it runs. Names captured by the step's own actions are only
 * known later: those are resolved again right before their use.
 */
function preflight(o: StepRunOptions): StepOutcome | undefined {
  const capturedHere = new Set(
    o.step.actions.flatMap((a) =>
      isCodeAction(a) && a.options.capture !== undefined
        ? [a.options.capture]
        : [],
    ),
  );
  const scope = scopeOf(o);
  const laterToo = (r: { missing: readonly string[] }): boolean =>
    r.missing.length > 0 && r.missing.every((n) => capturedHere.has(n));
  for (const [index, action] of o.step.actions.entries()) {
    const r = isCodeAction(action)
      ? otherMode(action.options.only, o)
        ? undefined
        : resolveAction(action, scope)
      : action.kind === "confirm"
        ? resolveGate(action, scope)
        : undefined;
    if (r && !r.ok && !laterToo(r)) return fail(o, index, action, r.message);
  }
  for (const check of o.step.checks) {
    if (otherMode(check.only, o)) continue;
    const r = resolveCheck(check, scope);
    if (!r.ok && !laterToo(r))
      return {
        kind: "failed",
        message: `check at line ${check.at.line}: ${r.message}`,
        interrupted: false,
      };
  }
  return undefined;
}

function actionContext(
  o: StepRunOptions,
  shownStdout?: ShownStdout,
): ActionContext {
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
      // Process output arrives masked by the output redactor; the recorder masks the engine's own (`info`) text.
      const shown = o.recorder.record({
        type: "output",
        stepId: step.id,
        stream,
        text,
      }).text;
      if (stream === "stdout") shownStdout?.add(shown);
      o.log.write(shown);
    },
    signal: o.signal,
    // Journaled as soon as the process runs: after a crash, resume looks for this group (SPEC 2).
    onProcessGroup: (pgid) =>
      o.recorder.journal({ type: "group", step: step.id, pgid }),
    backpressure: () => o.log.backpressure ?? reportersDrained(o.reporters),
    redact: (text) => run.redact(text),
  };
}

async function execute(
  action: CodeAction,
  db: string | undefined,
  ctx: ActionContext,
): Promise<ActionResult> {
  switch (action.kind) {
    case "sh":
      // As extra variables, so that an on= block exports them to the remote shell too.
      return runShell(
        action,
        ctx,
        db === undefined ? {} : databaseEnv(ctx.connections.database(db).url),
      );
    case "console":
      return runConsole(
        action,
        db === undefined
          ? ctx
          : {
              ...ctx,
              env: {
                ...ctx.env,
                ...databaseEnv(ctx.connections.database(db).url),
              },
            },
      );
    case "sql":
      if (db === undefined)
        return { kind: "failed", message: noDatabase(), durationMs: 0 };
      return runSql(action, db, ctx);
    case "psql":
      if (db === undefined)
        return { kind: "failed", message: noDatabase(), durationMs: 0 };
      return runPsql(action, db, ctx);
    case "file":
      return runFile(action, ctx);
    default:
      return assertNever(action, "action");
  }
}

/** `retry=N retry-delay=…`: a failed action is tried again up to N times. */
async function withRetries(
  action: CodeAction,
  o: StepRunOptions,
  run: () => Promise<ActionResult>,
): Promise<ActionResult> {
  let result: ActionResult;
  for (let attempt = 0; ; attempt++) {
    try {
      result = await run();
    } catch (error) {
      result = {
        kind: "failed",
        message: (error as Error).message,
        durationMs: 0,
      };
    }
    if (
      result.kind !== "failed" ||
      attempt >= action.options.retry ||
      o.signal.aborted
    )
      return result;
    const note = `${retryNote({
      what: describe(action),
      message: result.message,
      retry: attempt + 1,
      of: action.options.retry,
      delayMs: action.options.retryDelayMs,
    })}\n`;
    o.log.write(
      o.recorder.record({
        type: "output",
        stepId: o.step.id,
        stream: "info",
        text: note,
      }).text,
    );
    await abortableSleep(action.options.retryDelayMs, o.signal);
  }
}

/** An action that failed before it started (an attribute that does not resolve): journaled, then the step fails. */
function fail(
  o: StepRunOptions,
  index: number,
  action: Action,
  message: string,
): StepOutcome {
  o.recorder.journal({
    type: "action",
    step: o.step.id,
    index,
    kind: action.kind,
    ok: false,
    durationMs: 0,
    message,
  });
  return {
    kind: "failed",
    message: `${describe(action)}: ${message}`,
    interrupted: false,
  };
}

/** Gates: ::confirm, ::manual and `confirm` blocks. Undefined means go on. */
async function gateFor(
  action: Action,
  index: number,
  o: StepRunOptions,
): Promise<StepOutcome | undefined> {
  const { step } = o;
  let kind: GateKind;
  let prompt: string;
  let answer: GateAnswer;
  if (action.kind === "manual") {
    kind = "manual";
    prompt = action.text;
    answer = await o.interaction.manual(step, action);
  } else if (action.kind === "confirm") {
    const gate = resolveGate(action, scopeOf(o));
    if (!gate.ok) return fail(o, index, action, gate.message);
    prompt = gate.prompt;
    // The question is shown as the gate event will journal it: masked (`${}` may have filled in a secret).
    const shown = o.recorder.redact(prompt);
    if (gate.typed) {
      kind = "typed";
      answer = await o.interaction.gate({
        kind,
        step,
        prompt: shown,
        typed: gate.typed,
        action,
      });
    } else {
      kind = "confirm";
      answer = await o.interaction.gate({ kind, step, prompt: shown, action });
    }
  } else if (action.options.confirm) {
    kind = "block";
    prompt = `Run this ${action.kind} block?`;
    answer = await o.interaction.gate({
      step,
      kind,
      prompt,
      code: o.recorder.redact(action.code),
    });
  } else {
    return undefined;
  }
  const by = o.interaction.interactive ? "operator" : "auto";
  o.recorder.record({
    type: "gate",
    stepId: step.id,
    kind,
    prompt,
    answer,
    by,
  });
  if (answer === "yes" || answer === "done") return undefined;
  if (answer === "skip")
    return {
      kind: "skipped",
      message: `${kind === "manual" ? "manual step" : "gate"} at line ${action.at.line} skipped`,
    };
  const why = o.interaction.interactive
    ? "stopped by the operator"
    : kind === "manual"
      ? "a manual step needs the operator (run interactively, or with --yes=all to acknowledge it)"
      : "a gate needs the operator: --yes does not answer gates or confirm blocks (run interactively, or with --yes=all)";
  return { kind: "stopped", message: `${why} (line ${action.at.line})` };
}

function codeOf(action: Action): string {
  return isCodeAction(action)
    ? action.code
    : action.kind === "manual"
      ? action.text
      : action.prompt;
}

function describe(action: Action): string {
  return `${action.kind} block at line ${action.at.line}`;
}

/** How many `***` a text holds. */
function countMasks(text: string): number {
  let n = 0;
  for (
    let at = text.indexOf(MASK);
    at >= 0;
    at = text.indexOf(MASK, at + MASK.length)
  )
    n++;
  return n;
}

/** The stdout a capture= action showed (masked), as far as a capture keeps it, and how many masks it held. */
class ShownStdout {
  private text = "";
  private static readonly LIMIT = (1 << 20) + MASK.length;

  add(text: string): void {
    if (this.text.length < ShownStdout.LIMIT) this.text += text;
  }

  reset(): void {
    this.text = "";
  }

  get masks(): number {
    return countMasks(this.text);
  }
}
