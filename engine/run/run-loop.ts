import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { acquireRunLock, JournalWriter, newRunId, runDir, type RunState } from '../journal/index.js';
import type { Runbook, Step } from '../model/runbook.js';
import type { ResolvedParam } from '../params/index.js';
import { executionOrder, selectSteps, type StepSelection } from '../plan.js';
import { emit, type Reporter, type RunStatus, type StepState } from './events.js';
import type { Interaction } from './interaction.js';
import type { Interrupter } from './interrupter.js';
import { OutputLog } from './output-log.js';
import { RunContext, type SandboxBinding } from './run-context.js';
import { runStepAttempt, type ActionSummary, type StepOutcome } from './step-runner.js';

export interface RunConfig {
  readonly runbook: Runbook;
  readonly mode: 'live' | 'rehearsal';
  /** Absolute. */
  readonly stateDir: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly params: ReadonlyMap<string, ResolvedParam>;
  readonly selection: StepSelection;
  readonly yes: 'none' | 'steps' | 'all';
  readonly interaction: Interaction;
  readonly reporters: readonly Reporter[];
  readonly interrupter: Interrupter;
  readonly identity: { readonly user: string; readonly host: string; readonly pid: number; readonly isRoot: boolean };
  readonly sandbox?: SandboxBinding;
  /** Extra values to mask (sandbox passwords). */
  readonly secrets?: readonly string[];
  readonly resume?: ResumeInput;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface ResumeInput {
  readonly runId: string;
  readonly state: RunState;
  /** What to do with a step in an unknown state; ask when undefined. */
  readonly unknown?: 'rerun' | 'done';
  /** Secret captures the operator gave again (--set). */
  readonly captures?: Readonly<Record<string, string>>;
}

export interface RunOutcome {
  readonly runId: string;
  readonly status: RunStatus;
  readonly exitCode: number;
}

const EXIT: Record<RunStatus, number> = { done: 0, failed: 1, stopped: 1, interrupted: 130 };

/**
 * Runs a runbook (or resumes one): every event is journaled and fsync'ed
 * before the engine goes on, so a crash at any point leaves a run that
 * `resume` continues without running a completed step again.
 */
export async function executeRun(config: RunConfig): Promise<RunOutcome> {
  const now = config.now ?? (() => new Date());
  const { runbook, identity } = config;
  const runId = config.resume?.runId ?? newRunId(now());
  const dir = runDir(config.stateDir, runId);
  const lock = acquireRunLock({ stateDir: config.stateDir, runbookFile: runbook.file, runId, pid: identity.pid });
  const journal = JournalWriter.open(dir);
  const context = new RunContext(runbook, config.env, config.sandbox);
  const started = performance.now();
  try {
    for (const s of config.secrets ?? []) context.addSecret(s);
    for (const [name, p] of config.params) context.set(name, p.value, p.param.secret);

    const order = executionOrder(runbook);
    const selected = new Set(selectSteps(order, config.resume ? config.resume.state.run.selection : config.selection).map((s) => s.id));
    const prior = config.resume?.state;
    const sentinels = prior ? { ...prior.run.sentinels } : Object.fromEntries(runbook.sentinels.map((s) => [s.name, sentinelToken(s.name)]));
    for (const [name, value] of Object.entries(sentinels)) context.set(name, value, false);
    for (const [name, c] of prior?.captures ?? []) if (c.value !== undefined) context.set(name, c.value, c.secret);
    for (const [name, value] of Object.entries(config.resume?.captures ?? {})) context.set(name, value, true);

    if (!prior) {
      journal.append({
        type: 'run',
        v: 1,
        at: now().toISOString(),
        runId,
        file: path.resolve(config.cwd, runbook.file),
        cwd: config.cwd,
        title: runbook.title,
        mode: config.mode,
        user: identity.user,
        host: identity.host,
        pid: identity.pid,
        selection: { ...(config.selection.from ? { from: config.selection.from } : {}), ...(config.selection.to ? { to: config.selection.to } : {}), ...(config.selection.only?.length ? { only: config.selection.only } : {}) },
        yes: config.yes,
        params: [...config.params.values()].map((p) => ({ name: p.param.name, secret: p.param.secret, source: p.source, ...(p.param.secret ? {} : { value: p.value }) })),
        sentinels,
        steps: runbook.steps.map((s) => ({ id: s.id, title: s.title, hash: s.hash })),
      });
    }

    const states = new Map<string, StepState>(order.map((s) => [s.id, prior?.steps.get(s.id)?.state ?? 'pending']));
    emit(config.reporters, {
      type: 'run-start',
      runId,
      title: runbook.title,
      file: runbook.file,
      mode: config.mode,
      resumed: prior !== undefined,
      stateDir: config.stateDir,
      steps: order.map((s) => ({ id: s.id, title: s.title, state: states.get(s.id) ?? 'pending', selected: selected.has(s.id) })),
    });

    for (const p of config.params.values()) {
      if (p.param.secret && p.value.trim().length < 3) emit(config.reporters, { type: 'notice', level: 'warning', message: `secret param "${p.param.name}" is shorter than 3 characters: it cannot be masked without masking everything` });
    }

    if (prior) {
      const changed = await changedSteps(runbook, prior, config);
      journal.append({ type: 'resume', at: now().toISOString(), user: identity.user, host: identity.host, pid: identity.pid, changed: changed.map((s) => s.id), yes: config.yes, ...(config.resume?.unknown ? { unknown: config.resume.unknown } : {}) });
      if (changed.length > 0 && !(await config.interaction.changedSteps(changed))) return finish('stopped', 'stopped: completed steps changed since the run started');
    }

    const todo = order.filter((s) => selected.has(s.id));
    let position = 0;
    for (const step of todo) {
      position++;
      const state = states.get(step.id);
      if (state === 'done' || state === 'skipped') continue;
      if (state === 'unknown') {
        const decision = config.resume?.unknown ?? (await config.interaction.unknownState(step));
        if (decision === 'abort') {
          return finish('stopped', `step "${step.id}" was started but never finished: its outcome is unknown. Check what it did, then resume with --rerun-unknown (run it again) or --assume-done (count it as done)`);
        }
        if (decision === 'done') {
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'done', durationMs: 0, assumed: true, message: 'marked done by the operator after an unknown outcome' });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'done', durationMs: 0, assumed: true, message: 'marked done (outcome was unknown)' });
          continue;
        }
      }

      if (config.yes === 'none') {
        const decision = await config.interaction.confirmStep(step);
        if (decision === 'quit') return finish('stopped', 'stopped by the operator');
        if (decision === 'skip') {
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'skipped', durationMs: 0, message: 'skipped by the operator' });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'skipped', durationMs: 0, message: 'skipped by the operator' });
          continue;
        }
      }

      const result = await runStep(step, position, todo.length);
      if (result) return result;
    }
    return finish('done', `all ${todo.length} step${todo.length === 1 ? '' : 's'} done`);
  } catch (error) {
    if (config.interrupter.quitSignal.aborted) return finish('interrupted', 'interrupted');
    journal.append({ type: 'run-end', at: now().toISOString(), status: 'failed', exitCode: 1, message: context.redact((error as Error).message) });
    throw error;
  } finally {
    await context.connections.closeAll();
    journal.close();
    lock.release();
  }

  async function runStep(step: Step, position: number, total: number): Promise<RunOutcome | undefined> {
    for (let attempt = 1; ; attempt++) {
      config.interrupter.reset();
      const signal = config.interrupter.signal;
      journal.append({ type: 'step-start', at: now().toISOString(), step: step.id, attempt });
      emit(config.reporters, { type: 'step-start', stepId: step.id, index: position, total, attempt });
      const log = new OutputLog(dir, step.id);
      log.header(`── ${step.id} attempt ${attempt} at ${now().toISOString()}\n`);
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
          journal,
          log,
          reporters: config.reporters,
          interaction: config.interaction,
          signal,
          baseEnv: { RUNBOOK_RUN_ID: runId, RUNBOOK_FILE: path.resolve(config.cwd, runbook.file), RUNBOOK_MODE: config.mode },
          user: identity.user,
          now,
          actionLog,
        });
      } catch (error) {
        if (config.interrupter.quitSignal.aborted) outcome = { kind: 'failed', message: 'interrupted', interrupted: true };
        else outcome = { kind: 'failed', message: context.redact((error as Error).message), interrupted: false };
      } finally {
        await log.close();
        // Connections live as long as a step: held across steps, they would block a later
        // DROP DATABASE and count as clients in a cutover's "are the writers gone?" check.
        await context.connections.closeAll();
      }
      const durationMs = performance.now() - t0;
      switch (outcome.kind) {
        case 'done':
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'done', durationMs: Math.round(durationMs), actions: actionLog });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'done', durationMs });
          return undefined;
        case 'skipped':
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'skipped', durationMs: Math.round(durationMs), message: outcome.message, actions: actionLog });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'skipped', durationMs, message: outcome.message });
          return undefined;
        case 'stopped':
          // Nothing of the step ran past the gate: the step is not done, and resume asks again.
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'failed', durationMs: Math.round(durationMs), message: outcome.message, stopped: true, actions: actionLog });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'failed', durationMs, message: outcome.message });
          return finish('stopped', outcome.message);
        case 'failed': {
          journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'failed', durationMs: Math.round(durationMs), message: outcome.message, actions: actionLog, ...(outcome.interrupted ? { interrupted: true } : {}) });
          emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'failed', durationMs, message: outcome.message });
          if (config.interrupter.quitSignal.aborted) return finish('interrupted', `interrupted during step "${step.id}"`);
          if (outcome.interrupted && !config.interaction.interactive) return finish('interrupted', `interrupted during step "${step.id}"`);
          let decision;
          try {
            decision = await config.interaction.failed(step, outcome.message, outcome.interrupted);
          } catch {
            return finish('interrupted', `interrupted during step "${step.id}"`);
          }
          if (decision === 'retry') continue;
          if (decision === 'skip') {
            journal.append({ type: 'step-end', at: now().toISOString(), step: step.id, state: 'skipped', durationMs: 0, message: 'skipped after a failure' });
            emit(config.reporters, { type: 'step-end', stepId: step.id, state: 'skipped', durationMs: 0, message: 'skipped after a failure' });
            return undefined;
          }
          return finish(outcome.interrupted ? 'interrupted' : 'failed', `step "${step.id}" failed: ${outcome.message}`);
        }
      }
    }
  }

  function finish(status: RunStatus, message: string): RunOutcome {
    const exitCode = EXIT[status];
    const masked = context.redact(message);
    journal.append({ type: 'run-end', at: now().toISOString(), status, exitCode, message: masked, durationMs: Math.round(performance.now() - started) });
    // A rehearsal's clusters are gone when it ends: there is nothing to resume.
    const resumeHint = status === 'done' || config.mode === 'rehearsal' ? undefined : `runbook resume ${runId}${config.stateDir === path.resolve(config.cwd, '.runbook') ? '' : ` --state-dir ${config.stateDir}`}`;
    emit(config.reporters, { type: 'run-end', status, exitCode, durationMs: performance.now() - started, message: masked, ...(resumeHint ? { resumeHint } : {}) });
    return { runId, status, exitCode };
  }
}

/** A fresh, unique, printable token for `::sentinel` (recorded in the journal, so resume keeps it). */
export function sentinelToken(name: string): string {
  return `rb-${name}-${randomBytes(9).toString('base64url')}`;
}

async function changedSteps(runbook: Runbook, prior: RunState, config: RunConfig): Promise<Step[]> {
  const hashes = new Map(prior.run.steps.map((s) => [s.id, s.hash]));
  const changed = runbook.steps.filter((s) => prior.steps.get(s.id)?.state === 'done' && hashes.get(s.id) !== undefined && hashes.get(s.id) !== s.hash);
  for (const s of changed) emit(config.reporters, { type: 'notice', level: 'warning', message: `step "${s.id}" changed since it was completed in this run; it will not run again` });
  return changed;
}
