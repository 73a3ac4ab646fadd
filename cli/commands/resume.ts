import path from 'node:path';
import { journalFile, latestUnfinishedRun, readJournal, runState, type RunState } from '../../engine/journal/index.js';
import { usageError } from '../../engine/model/index.js';
import { writeLine, type Io } from '../io.js';
import { loadRunbook } from '../load.js';
import { runSession } from '../run-session.js';

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
  const runbook = loadRunbook(path.relative(io.cwd, state.run.file) || state.run.file, io, { validate: true });
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
