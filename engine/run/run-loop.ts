import { randomBytes } from "node:crypto";
import path from "node:path";
import {
  newRunId,
  runbookIdentity,
  type JournalSink,
  type RunLock,
  type RunState,
  type StateStore,
} from "../journal/index.js";
import type { Param, Runbook, Step } from "../model/index.js";
import { invalidRunbook, usageError } from "../model/index.js";
import { isCodeAction } from "../model/index.js";
import { interpolateParams, type ResolvedParam } from "../params/index.js";
import { executionOrder, selectSteps, type StepSelection } from "../plan.js";
import type { Reporter, RunParamInfo, RunStatus, StepState } from "./events.js";
import type { Interaction } from "./interaction.js";
import type { Interrupter } from "./interrupter.js";
import { Recorder } from "./recorder.js";
import { RunContext, type SandboxBinding } from "./run-context.js";
import {
  runStepAttempt,
  type ActionSummary,
  type StepOutcome,
} from "./step-runner.js";
import { plural, pluralNoun, RUN_EXIT_CODES } from "../model/index.js";

export interface RunConfig {
  readonly runbook: Runbook;
  readonly mode: "live" | "rehearsal";
  /** Where the journal, the output logs and the run lock live (files or PostgreSQL). */
  readonly state: StateStore;
  /**
   * The command that continues a run, in the caller's words (cli/ builds
   * `runbook resume <id> …`): the run-end event of a run that can be resumed
   * carries it as `resumeHint`. Without it, the event carries none.
   */
  readonly resumeCommand?: (runId: string) => string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly params: ReadonlyMap<string, ResolvedParam>;
  readonly selection: StepSelection;
  readonly yes: "none" | "steps" | "all";
  readonly interaction: Interaction;
  readonly reporters: readonly Reporter[];
  readonly interrupter: Interrupter;
  readonly identity: {
    readonly user: string;
    readonly host: string;
    readonly pid: number;
    readonly isRoot: boolean;
  };
  readonly sandbox?: SandboxBinding;
  /** Extra values to mask (sandbox passwords). */
  readonly secrets?: readonly string[];
  readonly resume?: ResumeInput;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Reads the runbook file again, validated like the first time, or throws
   * with a one-line located reason. Called when the operator retries a failed
   * step (`r`): the runbook may have been edited to fix it, and what runs is
   * what the page shows now.
   */
  readonly reload?: () => Promise<Runbook>;
}

export interface ResumeInput {
  readonly runId: string;
  readonly state: RunState;
  /** What to do with a step in an unknown state; ask when undefined. */
  readonly unknown?: "rerun" | "done";
  /** Secret captures the operator gave again (--set). */
  readonly captures?: Readonly<Record<string, string>>;
}

/** How a run ended. */
export interface RunOutcome {
  readonly runId: string;
  readonly status: RunStatus;
  /** `status`'s exit status, from the one mapping (engine/model's RUN_EXIT_CODES), as the journal records it. */
  readonly exitCode: number;
}

/**
 * Runs a runbook (or resumes one): every event is journaled and fsync'ed
 * before the engine goes on, so a crash at any point leaves a run that
 * `resume` continues without running a completed step again.
 */
export async function executeRun(config: RunConfig): Promise<RunOutcome> {
  const now = config.now ?? (() => new Date());
  const { runbook, identity } = config;
  const runId = config.resume?.runId ?? newRunId(now());
  const context = new RunContext(runbook, config.env, config.sandbox);
  const prior = config.resume?.state;
  /** Steps skipped in this session after they failed or were interrupted. */
  const unproven = new Set<string>();
  /** The selected steps in the order they run, once known: the run-end names those skipped unproven. */
  let todoIds: readonly string[] = [];
  const skippedUnproven = (): string[] =>
    todoIds.filter(
      (id) => unproven.has(id) || prior?.steps.get(id)?.unproven === true,
    );
  const sentinels: Record<string, string> = prior
    ? { ...prior.run.sentinels }
    : Object.fromEntries(
        runbook.sentinels.map((s) => [s.name, sentinelToken(s.name)]),
      );
  const runEnv = {
    RUNBOOK_RUN_ID: runId,
    RUNBOOK_FILE: path.resolve(config.cwd, runbook.file),
    RUNBOOK_MODE: config.mode,
  };
  // Before the lock and the journal: a param whose default names nothing known stops the run before anything runs.
  // Before anything runs: a value the journal does not hold (a secret, or one that held a secret) is given again, never guessed.
  const given = prior ? await paramsGivenAgain(config, prior) : config.params;
  const givenAgain = prior ? await capturesGivenAgain(config, prior) : {};
  const params = finalParams(
    { ...config, params: given },
    { sentinels, env: context.env(runEnv) },
  );
  const who = runbookIdentity(runbook, config.cwd);
  const lock = await config.state.acquireLock({
    // A rehearsal (or a --sandbox run) touches only its own throwaway clusters and state:
    // it locks itself, so it runs beside a live run or another rehearsal of the same runbook.
    identity:
      config.mode === "rehearsal" ? `${who.key}#rehearsal-${runId}` : who.key,
    label:
      who.from === "id" ? `${runbook.file} (id: ${who.key})` : runbook.file,
    runId,
    pid: identity.pid,
    user: identity.user,
    host: identity.host,
    now,
  });
  const journal = openJournal(config.state, runId, lock);
  const recorder = new Recorder({
    journal,
    reporters: config.reporters,
    redact: (text) => context.redact(text),
    now,
    user: identity.user,
  });
  const started = performance.now();
  // The text each step had when the run started; a step that runs with another text says so (step-start `changed`).
  const startHashes = new Map(
    (prior?.run.steps ?? runbook.steps).map((s) => [s.id, s.hash]),
  );
  // The text each step runs with: the runbook as loaded, then as read again when the operator retries a step.
  const current = new Map(runbook.steps.map((s) => [s.id, s]));
  try {
    for (const s of config.secrets ?? []) context.addSecret(s);
    for (const [name, p] of params) context.set(name, p.value, p.param.secret);

    const order = executionOrder(runbook);
    const selected = new Set(
      selectSteps(
        order,
        config.resume ? config.resume.state.run.selection : config.selection,
      ).map((s) => s.id),
    );
    for (const [name, value] of Object.entries(sentinels))
      context.set(name, value, false);
    for (const [name, c] of prior?.captures ?? [])
      if (c.value !== undefined) context.set(name, c.value, c.secret);
    // A value given again keeps what the journal said of it: a secret stays one; a masked one is masked by value.
    for (const [name, value] of Object.entries(givenAgain))
      context.set(name, value, prior?.captures.get(name)?.secret ?? true);

    const states = new Map<string, StepState>(
      order.map((s) => [s.id, prior?.steps.get(s.id)?.state ?? "pending"]),
    );
    const paramInfo = [...params.values()].map((p): RunParamInfo => ({
      name: p.param.name,
      secret: p.param.secret,
      source: p.source,
      ...(p.param.secret ? {} : { value: p.value }),
    }));
    const header = prior
      ? undefined
      : {
          v: 1,
          runId,
          file: path.resolve(config.cwd, runbook.file),
          identity: who.key,
          ...(who.repoPath !== undefined ? { repoPath: who.repoPath } : {}),
          cwd: config.cwd,
          title: runbook.title,
          mode: config.mode,
          user: identity.user,
          host: identity.host,
          pid: identity.pid,
          selection: {
            ...(config.selection.from ? { from: config.selection.from } : {}),
            ...(config.selection.to ? { to: config.selection.to } : {}),
            ...(config.selection.only?.length
              ? { only: config.selection.only }
              : {}),
          },
          yes: config.yes,
          sentinels,
          steps: runbook.steps.map((s) => ({
            id: s.id,
            title: s.title,
            hash: s.hash,
          })),
        };
    recorder.runStart(
      {
        type: "run-start",
        runId,
        title: runbook.title,
        file: runbook.file,
        mode: config.mode,
        resumed: prior !== undefined,
        stateDir: config.state.where,
        journal:
          config.state.kind === "files"
            ? path.join(config.state.where, "runs", runId, "journal.jsonl")
            : `run ${runId} in ${config.state.where}`,
        steps: order.map((s) => ({
          id: s.id,
          title: s.title,
          state: states.get(s.id) ?? "pending",
          selected: selected.has(s.id),
          ...(prior?.steps.get(s.id)?.unproven ? { unproven: true } : {}),
        })),
        params: paramInfo,
        sentinels,
      },
      header,
    );

    for (const p of params.values()) {
      if (p.param.secret && p.value.trim().length < 3)
        recorder.record({
          type: "notice",
          level: "warning",
          message: `secret param "${p.param.name}" is shorter than 3 characters: it cannot be masked without masking everything`,
        });
    }

    if (prior) {
      const changed = changedSteps(runbook, prior, recorder);
      recorder.journal({
        type: "resume",
        user: identity.user,
        host: identity.host,
        pid: identity.pid,
        changed: changed.map((s) => s.id),
        yes: config.yes,
        ...(config.resume?.unknown ? { unknown: config.resume.unknown } : {}),
      });
      if (
        changed.length > 0 &&
        !(await config.interaction.changedSteps(changed))
      )
        return finish(
          "stopped",
          "stopped: completed steps changed since the run started",
        );
    }

    const todo = order.filter((s) => selected.has(s.id));
    todoIds = todo.map((s) => s.id);
    let position = 0;
    for (const planned of todo) {
      position++;
      const step = current.get(planned.id) ?? planned;
      const state = states.get(step.id);
      if (state === "done" || state === "skipped") continue;
      // Nobody can see the run any more (a closed pipe): stop between steps, resumable.
      if (config.interrupter.stopRequested)
        return finish("stopped", config.interrupter.stopRequested);
      if (state === "unknown") {
        const decision =
          config.resume?.unknown ??
          (await config.interaction.unknownState(step, {
            log: config.state.logLocation(runId, step.id),
          }));
        if (decision === "abort") {
          return finish(
            "stopped",
            `step "${step.id}" was started but never finished: its outcome is unknown. Check what it did, then resume with --rerun-unknown (run it again) or --assume-done (count it as done)`,
          );
        }
        if (decision === "done") {
          recorder.record({
            type: "step-end",
            stepId: step.id,
            state: "done",
            durationMs: 0,
            assumed: true,
            message: "marked done by the operator after an unknown outcome",
          });
          continue;
        }
      }

      if (config.yes === "none") {
        const decision = await config.interaction.confirmStep(step);
        if (decision === "quit")
          return finish("stopped", "stopped by the operator");
        if (decision === "skip") {
          recorder.record({
            type: "step-end",
            stepId: step.id,
            state: "skipped",
            durationMs: 0,
            message: "skipped by the operator",
          });
          continue;
        }
      }

      const result = await runStep(
        step,
        position,
        todo.length,
        todo.slice(position - 1),
      );
      if (result) return result;
    }
    const notProven = skippedUnproven();
    if (notProven.length > 0) {
      return finish(
        "incomplete",
        `incomplete: ${notProven.length} of ${todo.length} steps skipped unproven (${notProven.join(", ")}): they failed or were interrupted, and nothing proves what they did`,
      );
    }
    return finish("done", `all ${plural(todo.length, "step")} done`);
  } catch (error) {
    if (config.interrupter.quitSignal.aborted)
      return finish("interrupted", "interrupted");
    // The caller reports the error itself; the journal still says how the run ended.
    recorder.journal({
      type: "run-end",
      status: "failed",
      exitCode: RUN_EXIT_CODES.failed,
      message: (error as Error).message,
    });
    throw error;
  } finally {
    await context.connections.closeAll();
    journal.close();
    lock.release();
  }

  async function runStep(
    first: Step,
    position: number,
    total: number,
    rest: readonly Step[],
  ): Promise<RunOutcome | undefined> {
    let step = first;
    for (let attempt = 1; ; attempt++) {
      config.interrupter.reset();
      const signal = config.interrupter.signal;
      const log = config.state.outputLog(runId, step.id);
      const from = startHashes.get(step.id);
      const changed =
        from !== undefined && from !== step.hash
          ? { from, to: step.hash }
          : undefined;
      recorder.record({
        type: "step-start",
        stepId: step.id,
        index: position,
        total,
        attempt,
        log: log.location,
        ...(changed ? { changed } : {}),
      });
      log.header(
        `── ${step.id} attempt ${attempt} at ${now().toISOString()}\n`,
      );
      const t0 = performance.now();
      const actionLog: ActionSummary[] = [];
      let outcome: StepOutcome;
      try {
        outcome = await runStepAttempt({
          step,
          attempt,
          mode: config.mode,
          cwd: config.cwd,
          isRoot: identity.isRoot,
          run: context,
          recorder,
          log,
          reporters: config.reporters,
          interaction: config.interaction,
          signal,
          baseEnv: runEnv,
          actionLog,
        });
      } catch (error) {
        if (config.interrupter.quitSignal.aborted)
          outcome = {
            kind: "failed",
            message: "interrupted",
            interrupted: true,
          };
        else
          outcome = {
            kind: "failed",
            message: (error as Error).message,
            interrupted: false,
          };
      } finally {
        await log.close();
        // Connections live as long as a step: held across steps, they would block a later
        // DROP DATABASE and count as clients in a cutover's "are the writers gone?" check.
        await context.connections.closeAll();
      }
      const durationMs = performance.now() - t0;
      if (log.failure) {
        // The output log could not be written (a full disk): never a silent `done`, and no step after it.
        const state =
          outcome.kind === "done" || outcome.kind === "skipped"
            ? outcome.kind
            : "failed";
        const message = `${outcome.kind === "done" ? "done" : outcome.message}, but its output could not be saved: ${log.failure}`;
        recorder.record({
          type: "step-end",
          stepId: step.id,
          state,
          durationMs,
          message,
          actions: actionLog,
        });
        return finish(
          "stopped",
          `the output of step "${step.id}" could not be saved (${log.failure}): the run stopped`,
        );
      }
      switch (outcome.kind) {
        case "done":
          recorder.record({
            type: "step-end",
            stepId: step.id,
            state: "done",
            durationMs,
            actions: actionLog,
          });
          return undefined;
        case "skipped":
          recorder.record({
            type: "step-end",
            stepId: step.id,
            state: "skipped",
            durationMs,
            message: outcome.message,
            actions: actionLog,
          });
          return undefined;
        case "stopped":
          // Nothing of the step ran past the gate: the step is not done, and resume asks again.
          recorder.record({
            type: "step-end",
            stepId: step.id,
            state: "failed",
            durationMs,
            message: outcome.message,
            stopped: true,
            actions: actionLog,
          });
          return finish("stopped", outcome.message);
        case "failed": {
          // The operator is asked about the failure as the journal tells it: masked.
          const message =
            recorder.record({
              type: "step-end",
              stepId: step.id,
              state: "failed",
              durationMs,
              message: outcome.message,
              actions: actionLog,
              ...(outcome.interrupted ? { interrupted: true } : {}),
            }).message ?? outcome.message;
          if (config.interrupter.quitSignal.aborted)
            return finish(
              "interrupted",
              `interrupted during step "${step.id}"`,
            );
          if (outcome.interrupted && !config.interaction.interactive)
            return finish(
              "interrupted",
              `interrupted during step "${step.id}"`,
            );
          let decision;
          let question = { message, interrupted: outcome.interrupted };
          for (;;) {
            try {
              decision = await config.interaction.failed(
                step,
                question.message,
                question.interrupted,
              );
            } catch {
              return finish(
                "interrupted",
                `interrupted during step "${step.id}"`,
              );
            }
            if (decision !== "retry") break;
            // The operator may have edited the runbook to fix the step: what runs is what the page shows now.
            const again = await readAgain(step.id, rest);
            if (again.ok) {
              step = again.step;
              break;
            }
            // The edit does not read (or lost the step): nothing runs; the operator fixes it and retries, or skips, or quits.
            question = {
              message: recorder.record({
                type: "notice",
                level: "error",
                message: again.message,
              }).message,
              interrupted: false,
            };
          }
          if (decision === "retry") continue;
          if (decision === "skip") {
            recorder.record({
              type: "step-end",
              stepId: step.id,
              state: "skipped",
              durationMs: 0,
              message: outcome.interrupted
                ? "skipped after it was interrupted"
                : "skipped after a failure",
              unproven: true,
            });
            unproven.add(step.id);
            return undefined;
          }
          return finish(
            outcome.interrupted ? "interrupted" : "failed",
            `step "${step.id}" failed: ${message}`,
          );
        }
      }
    }
  }

  /**
   * The runbook read again before a retry. The steps still to run take their
   * text from it; the run's plan (which steps, in which order) and its front
   * matter stay as they were when it started. A step of the plan that is gone
   * (its id changed) makes the reread fail: nothing runs until it is back.
   */
  async function readAgain(
    stepId: string,
    rest: readonly Step[],
  ): Promise<{ ok: true; step: Step } | { ok: false; message: string }> {
    const same = current.get(stepId);
    if (!config.reload)
      return same
        ? { ok: true, step: same }
        : { ok: false, message: `step "${stepId}" is not in the runbook` };
    let next: Runbook;
    try {
      next = await config.reload();
    } catch (error) {
      return {
        ok: false,
        message: `${(error as Error).message} — nothing was run: fix the runbook, then retry (or skip, or quit)`,
      };
    }
    const byId = new Map(next.steps.map((s) => [s.id, s]));
    const gone = rest.filter((s) => !byId.has(s.id)).map((s) => s.id);
    if (gone.length > 0) {
      return {
        ok: false,
        message: `${next.file}: ${pluralNoun(gone.length, "step")} ${gone.map((id) => `"${id}"`).join(", ")} of this run ${pluralNoun(gone.length, "is", "are")} no longer in the runbook (a heading or ::step id changed?) — nothing was run: put ${pluralNoun(gone.length, "it", "them")} back, then retry (or skip, or quit)`,
      };
    }
    const reread = rest.map((s) => byId.get(s.id) ?? s);
    for (const s of reread) current.set(s.id, s);
    const added = next.steps
      .filter((s) => !startHashes.has(s.id))
      .map((s) => s.id);
    if (added.length > 0)
      recorder.record({
        type: "notice",
        level: "warning",
        message: `${pluralNoun(added.length, "step")} ${added.map((id) => `"${id}"`).join(", ")} ${pluralNoun(added.length, "was", "were")} added to the runbook during the run: ${pluralNoun(added.length, "it is", "they are")} not part of this run (start a new run to run ${pluralNoun(added.length, "it", "them")})`,
      });
    config.interaction.reread?.(reread);
    const step = current.get(stepId);
    return step
      ? { ok: true, step }
      : { ok: false, message: `step "${stepId}" is not in the runbook` };
  }

  function finish(status: RunStatus, message: string): RunOutcome {
    const exitCode = RUN_EXIT_CODES[status];
    // A rehearsal's clusters are gone when it ends: there is nothing to resume.
    const resumeHint =
      status === "done" || config.mode === "rehearsal"
        ? undefined
        : config.resumeCommand?.(runId);
    recorder.record({
      type: "run-end",
      status,
      exitCode,
      durationMs: performance.now() - started,
      message,
      unproven: skippedUnproven(),
      ...(resumeHint ? { resumeHint } : {}),
    });
    return { runId, status, exitCode };
  }
}

/** Opens the run's journal; when it cannot be, the lock just taken is given back. */
function openJournal(
  state: StateStore,
  runId: string,
  lock: RunLock,
): JournalSink {
  try {
    return state.openJournal(runId);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * The params' final values: `${name}` in a default or rehearsal value
 * resolved against the other params, the sentinels and the environment steps
 * get (with the sandbox's variables). Throws when one names nothing known.
 */
function finalParams(
  config: RunConfig,
  known: {
    sentinels: Readonly<Record<string, string>>;
    env: Readonly<Record<string, string>>;
  },
): ReadonlyMap<string, ResolvedParam> {
  const lookup = (name: string): string | undefined =>
    Object.hasOwn(known.sentinels, name)
      ? known.sentinels[name]
      : Object.hasOwn(known.env, name)
        ? known.env[name]
        : undefined;
  const r = interpolateParams(config.params, { lookup });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw invalidRunbook(
      `${config.runbook.file}: ${plural(errors.length, "error")} in param values`,
      errors,
    );
  return r.values;
}

/** A fresh, unique, printable token for `::sentinel` (recorded in the journal, so resume keeps it). */
export function sentinelToken(name: string): string {
  return `rb-${name}-${randomBytes(9).toString("base64url")}`;
}

function changedSteps(
  runbook: Runbook,
  prior: RunState,
  recorder: Recorder,
): Step[] {
  const hashes = new Map(prior.run.steps.map((s) => [s.id, s.hash]));
  const changed = runbook.steps.filter(
    (s) =>
      prior.steps.get(s.id)?.state === "done" &&
      hashes.get(s.id) !== undefined &&
      hashes.get(s.id) !== s.hash,
  );
  for (const s of changed)
    recorder.record({
      type: "notice",
      level: "warning",
      message: `step "${s.id}" changed since it was completed in this run; it will not run again`,
    });
  return changed;
}

/**
 * A secret param, or one whose value held a secret, is not in the journal:
 * resume resolves it again (`--set`, the environment, a prompt). Its
 * `default:` is no answer when the run started with another value (`--set`,
 * the environment, a prompt): that would silently run on with a different
 * value. Such a param is asked for in a terminal; without one, resume stops
 * before anything runs, saying which and how to give it.
 */
async function paramsGivenAgain(
  config: RunConfig,
  prior: RunState,
): Promise<ReadonlyMap<string, ResolvedParam>> {
  const params = new Map(config.params);
  for (const was of prior.run.params) {
    const now = params.get(was.name);
    if (
      !now ||
      !(was.secret || was.masked) ||
      now.source !== "default" ||
      was.source === "default"
    )
      continue;
    const why = was.secret ? "it is a secret" : "it held a secret";
    if (!config.interaction.interactive) {
      throw usageError(
        `cannot resume: param "${was.name}" was given (${was.source}) when the run started and is not stored in the journal because ${why}; its default would be used instead. Give it again with --set ${was.name}=…`,
      );
    }
    params.set(was.name, {
      param: now.param,
      source: "prompt",
      value: await config.interaction.askParam({ ...now.param, secret: true }),
    });
  }
  return params;
}

/**
 * Resume restores captured values from the journal, which holds none that is
 * a secret or that held one (SPEC 2: masked, never stored in clear). Such a
 * value is never restored as `***`: the operator gives it again (`--set
 * name=…`, or a masked prompt in a terminal), or resume stops before
 * anything runs, saying which and why. Values of steps that will run again
 * (not completed) are not asked for: those steps capture them anew.
 */
async function capturesGivenAgain(
  config: RunConfig,
  prior: RunState,
): Promise<Record<string, string>> {
  const given: Record<string, string> = { ...(config.resume?.captures ?? {}) };
  const missing: { name: string; step: Step; secret: boolean }[] = [];
  for (const [name, c] of prior.captures) {
    if (c.value !== undefined || given[name] !== undefined) continue;
    const step = config.runbook.steps.find((s) =>
      s.actions.some((a) => isCodeAction(a) && a.options.capture === name),
    );
    if (!step || prior.steps.get(step.id)?.state !== "done") continue;
    missing.push({ name, step, secret: c.secret });
  }
  for (const m of missing) {
    const why = m.secret ? "it is a secret" : "it held a secret";
    if (!config.interaction.interactive) {
      throw usageError(
        `cannot resume: "${m.name}", captured by step "${m.step.id}", was not stored in the journal because ${why}. Give it again with --set ${m.name}=…`,
      );
    }
    const param: Param = {
      name: m.name,
      at: m.step.at,
      secret: true,
      raw: false,
      description: `captured by step "${m.step.id}"; not stored because ${why}`,
    };
    given[m.name] = await config.interaction.askParam(param);
  }
  return given;
}
