import { hostname } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import {
  JournalError,
  LockedError,
  lockedMessage,
  runbookIdentity,
  runState,
  type RunState,
  type StateStore,
} from "../../engine/journal/index.js";
import {
  invalidRunbook,
  RunbookError,
  usageError,
} from "../../engine/model/index.js";
import { movedSteps } from "../../engine/run/index.js";
import { writeLine, type Io } from "../io.js";
import { findRunbook } from "../find-runbook.js";
import { loadRunbook, rereader } from "../load.js";
import { runSession } from "../run-session.js";
import {
  stepsStillRunning,
  stillRunningMessage,
  stopRunningSteps,
  type RunningStep,
} from "../running-steps.js";
import { openState, stateFlags } from "../state.js";
import type { ResumeFlags } from "../definitions.js";

/** SPEC 2: continue after the last completed step; an unknown-state step needs a decision. */
export async function resumeCommand(
  runId: string | undefined,
  flags: ResumeFlags,
  io: Io,
): Promise<number> {
  if (flags.rerunUnknown && flags.assumeDone)
    throw usageError(
      "--rerun-unknown and --assume-done contradict each other: choose one",
    );
  const store = await openState(stateFlags(flags), io, "write");
  try {
    return await resumeFrom(store, runId, flags, io);
  } finally {
    await store.close();
  }
}

async function resumeFrom(
  store: StateStore,
  runId: string | undefined,
  flags: ResumeFlags,
  io: Io,
): Promise<number> {
  let id: string;
  let state: RunState;
  if (runId) {
    id = runId;
    try {
      state = runState((await store.readJournal(runId)).entries);
    } catch (error) {
      throw usageError(
        `cannot resume run ${runId}: ${(error as Error).message}`,
      );
    }
  } else {
    let latest;
    try {
      latest = await store.latestUnfinished();
    } catch (error) {
      if (error instanceof JournalError) throw usageError(error.message);
      throw error;
    }
    if (!latest) throw usageError(`no unfinished run in ${store.where}`);
    id = latest.runId;
    state = latest.state;
  }
  if (state.finished) {
    writeLine(
      io.stderr,
      `run ${id} already finished: every step is done. Nothing to resume.`,
    );
    return 0;
  }
  if (state.run.mode === "rehearsal")
    throw usageError(
      `run ${id} was a rehearsal: its clusters are gone. Rehearse again instead`,
    );
  const file = findRunbook(state.run, flags.file, io);
  const shown = path.relative(io.cwd, file) || file;
  // A runbook still driving this run: its lock says who, before anything else is looked at.
  const identity =
    state.run.identity ?? runbookIdentity({ file: state.run.file }, io.cwd).key;
  const holder = await store.lockHolder(identity, {
    pid: process.pid,
    host: hostname(),
  });
  if (holder)
    throw new LockedError(
      lockedMessage(
        shown,
        holder,
        "file" in holder
          ? `remove ${String(holder.file)}`
          : "its lock frees itself as soon as the database sees its connection gone",
      ),
      holder,
    );
  await refuseBesideRunningSteps(id, state, flags, io);
  const runbook = await loadRunbook(shown, io, {
    validate: true,
    mode: state.run.mode,
  });
  const now = runbookIdentity(runbook, io.cwd).key;
  if (state.run.identity !== undefined && now !== state.run.identity) {
    throw usageError(
      `${shown} is the runbook "${now}", but run ${id} ran "${state.run.identity}": pass --file with the runbook the run was started from`,
    );
  }
  const moved = movedSteps(state, runbook);
  if (moved.length > 0)
    throw invalidRunbook(
      `cannot resume run ${id}: ${moved.length === 1 ? "a step" : `${moved.length} steps`} the journal knows moved to another id`,
      moved,
    );
  const restoredParams = Object.fromEntries(
    state.run.params.flatMap((p) =>
      p.value === undefined ? [] : [[p.name, p.value]],
    ),
  );
  return runSession(
    {
      runbook,
      mode: state.run.mode,
      yes: flags.yesAll ? "all" : flags.yes ? "steps" : "none",
      sandbox: false,
      keep: false,
      allowPrompts: true,
      selection: {},
      ...(flags.set ? { set: flags.set } : {}),
      state: stateFlags(flags),
      store,
      ...(flags.reporter ? { reporter: flags.reporter } : {}),
      reload: rereader(shown, io, { validate: true, mode: state.run.mode }),
      resume: {
        runId: id,
        state,
        restoredParams,
        ...(flags.rerunUnknown
          ? { unknown: "rerun" as const }
          : flags.assumeDone
            ? { unknown: "done" as const }
            : {}),
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
async function refuseBesideRunningSteps(
  runId: string,
  state: RunState,
  flags: ResumeFlags,
  io: Io,
): Promise<void> {
  const running = stepsStillRunning(runId, state);
  for (const r of running) {
    if (r.where !== "elsewhere") continue;
    writeLine(
      io.stderr,
      `runbook: step "${r.step}" was started on another host (${r.host}, process group ${r.pgid}): runbook cannot tell from here whether it still runs there${flags.rerunUnknown ? "; running it again, as --rerun-unknown says" : ""}`,
    );
  }
  const here = running.filter(
    (r): r is Extract<RunningStep, { where: "here" }> => r.where === "here",
  );
  if (here.length === 0) return;
  const message = stillRunningMessage(here);
  // --rerun-unknown is the operator's word to run the step again: its old copy is stopped first (said, then done),
  // so the new one never runs beside it. --assume-done would run the next steps beside it: refused.
  const rerun =
    flags.rerunUnknown === true &&
    here.every((r) => state.steps.get(r.step)?.state === "unknown");
  if (rerun)
    writeLine(
      io.stderr,
      `runbook: ${message.replace(/\. Resuming now.*$/, "")}; stopping it first, as --rerun-unknown runs the step again`,
    );
  if (
    rerun ||
    (io.stdin.isTTY === true &&
      io.stdout.isTTY === true &&
      (await askToStop(message, io)))
  ) {
    await stopRunningSteps(here);
    const left = stepsStillRunning(runId, state).filter(
      (r) => r.where === "here",
    );
    if (left.length > 0)
      throw new RunbookError(
        "STOPPED",
        stillRunningMessage(left as Extract<RunningStep, { where: "here" }>[]),
      );
    writeLine(
      io.stderr,
      `runbook: stopped ${here.map((r) => `step "${r.step}" (process group ${r.pgid})`).join(", ")}`,
    );
    return;
  }
  throw new RunbookError("STOPPED", message);
}

async function askToStop(message: string, io: Io): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    writeLine(
      io.stderr,
      `runbook: ${message.replace(/\. Resuming now.*$/, ".")}`,
    );
    const answer = await rl.question(
      "Stop it now (SIGTERM, then SIGKILL after 5s) and decide what to do with the step? [y/N] ",
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
