import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { journalFile, latestUnfinishedRun, LockedError, lockedMessage, readJournal, runLockHolder, runState, type RunState } from '../../engine/journal/index.js';
import { RunbookError, usageError } from '../../engine/model/index.js';
import { writeLine, type Io } from '../io.js';
import { loadRunbook, rereader } from '../load.js';
import { runSession } from '../run-session.js';
import { stepsStillRunning, stillRunningMessage, stopRunningSteps, type RunningStep } from '../running-steps.js';
import { checkStateDir } from '../state-dir.js';

export interface ResumeFlags {
  readonly yes?: boolean;
  readonly yesAll?: boolean;
  readonly rerunUnknown?: boolean;
  readonly assumeDone?: boolean;
  readonly set?: readonly string[];
  readonly stateDir?: string;
  readonly reporter?: string;
}

/** SPEC 2: continue after the last completed step; an unknown-state step needs a decision. */
export async function resumeCommand(runId: string | undefined, flags: ResumeFlags, io: Io): Promise<number> {
  if (flags.rerunUnknown && flags.assumeDone) throw usageError('--rerun-unknown and --assume-done contradict each other: choose one');
  const stateDir = path.resolve(io.cwd, flags.stateDir ?? '.runbook');
  checkStateDir(stateDir, 'write');
  let id: string;
  let state: RunState;
  if (runId) {
    id = runId;
    try {
      state = runState(readJournal(journalFile(stateDir, runId)).entries);
    } catch (error) {
      throw usageError(`cannot resume run ${runId}: ${(error as Error).message}`);
    }
  } else {
    const latest = latestUnfinishedRun(stateDir);
    if (!latest) throw usageError(`no unfinished run in ${stateDir}`);
    id = latest.runId;
    state = latest.state;
  }
  if (state.finished) {
    writeLine(io.stderr, `run ${id} already finished: every step is done. Nothing to resume.`);
    return 0;
  }
  if (state.run.mode === 'rehearsal') throw usageError(`run ${id} was a rehearsal: its clusters are gone. Rehearse again instead`);
  // A runbook still driving this run: its lock says who, before anything else is looked at.
  const holder = runLockHolder({ stateDir, runbookFile: state.run.file, pid: process.pid });
  if (holder) throw new LockedError(lockedMessage(path.relative(io.cwd, state.run.file) || state.run.file, holder, holder.file), holder);
  await refuseBesideRunningSteps(id, state, flags, io);
  const file = path.relative(io.cwd, state.run.file) || state.run.file;
  const runbook = await loadRunbook(file, io, { validate: true, mode: state.run.mode });
  const restoredParams = Object.fromEntries(state.run.params.flatMap((p) => (p.value === undefined ? [] : [[p.name, p.value]])));
  return runSession(
    {
      runbook,
      mode: state.run.mode,
      yes: flags.yesAll ? 'all' : flags.yes ? 'steps' : 'none',
      sandbox: false,
      keep: false,
      allowPrompts: true,
      selection: {},
      ...(flags.set ? { set: flags.set } : {}),
      stateDir,
      ...(flags.reporter ? { reporter: flags.reporter } : {}),
      reload: rereader(file, io, { validate: true, mode: state.run.mode }),
      resume: {
        runId: id,
        state,
        restoredParams,
        ...(flags.rerunUnknown ? { unknown: 'rerun' as const } : flags.assumeDone ? { unknown: 'done' as const } : {}),
      },
    },
    io,
  );
}

/**
 * SPEC 2: never a second copy beside a step that still runs. A step whose
 * process group is alive on this host stops the resume (whatever the flags:
 * `--assume-done` would run the next steps beside it) unless the operator,
 * asked in a terminal, has it stopped. A group started on another host
 * cannot be looked for from here: that is said, and the operator's flags decide.
 */
async function refuseBesideRunningSteps(runId: string, state: RunState, flags: ResumeFlags, io: Io): Promise<void> {
  const running = stepsStillRunning(runId, state);
  for (const r of running) {
    if (r.where !== 'elsewhere') continue;
    writeLine(io.stderr, `runbook: step "${r.step}" was started on another host (${r.host}, process group ${r.pgid}): runbook cannot tell from here whether it still runs there${flags.rerunUnknown ? '; running it again, as --rerun-unknown says' : ''}`);
  }
  const here = running.filter((r): r is Extract<RunningStep, { where: 'here' }> => r.where === 'here');
  if (here.length === 0) return;
  const message = stillRunningMessage(here);
  // --rerun-unknown is the operator's word to run the step again: its old copy is stopped first (said, then done),
  // so the new one never runs beside it. --assume-done would run the next steps beside it: refused.
  const rerun = flags.rerunUnknown === true && here.every((r) => state.steps.get(r.step)?.state === 'unknown');
  if (rerun) writeLine(io.stderr, `runbook: ${message.replace(/\. Resuming now.*$/, '')}; stopping it first, as --rerun-unknown runs the step again`);
  if (rerun || (io.stdin.isTTY === true && io.stdout.isTTY === true && (await askToStop(message, io)))) {
    await stopRunningSteps(here);
    const left = stepsStillRunning(runId, state).filter((r) => r.where === 'here');
    if (left.length > 0) throw new RunbookError('STOPPED', stillRunningMessage(left as Extract<RunningStep, { where: 'here' }>[]));
    writeLine(io.stderr, `runbook: stopped ${here.map((r) => `step "${r.step}" (process group ${r.pgid})`).join(', ')}`);
    return;
  }
  throw new RunbookError('STOPPED', message);
}

async function askToStop(message: string, io: Io): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    writeLine(io.stderr, `runbook: ${message.replace(/\. Resuming now.*$/, '.')}`);
    const answer = await rl.question('Stop it now (SIGTERM, then SIGKILL after 5s) and decide what to do with the step? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
