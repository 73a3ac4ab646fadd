import { hostname } from "node:os";
import {
  JournalError,
  runState,
  type FollowBatch,
  type StateStore,
} from "../../engine/journal/index.js";
import { usageError } from "../../engine/model/index.js";
import {
  emit,
  Interrupter,
  JournalReplay,
  type Reporter,
} from "../../engine/run/index.js";
import { PlainReporter } from "../../renderers/plain/index.js";
import { colorEnabled, createStyle } from "../../renderers/style.js";
import { findRunbook } from "../find-runbook.js";
import { writeLine, type Io } from "../io.js";
import { loadRunbook } from "../load.js";
import { openState, resumeCommand, stateFlags } from "../state.js";
import type { FollowFlags } from "../definitions.js";

/** How often the state is asked what is new (docs/decisions.md: polling, measured). */
const POLL_MS = 250;
/** How often a follower checks that the run's runbook still holds its lock. */
const ALIVE_MS = 2_000;

/**
 * SPEC 3 `runbook follow RUN-ID`: a run driven elsewhere, live and read-only,
 * in the same UI (plain lines when not a terminal). Ends by itself when the
 * run ends — or when the runbook driving it is gone (it died: the run stays
 * unfinished, for `resume`). Exits with the run's own status.
 */
export async function followCommand(
  runId: string,
  flags: FollowFlags,
  io: Io,
): Promise<number> {
  const store = await openState(stateFlags(flags), io, "read");
  try {
    return await follow(store, runId, flags, io);
  } finally {
    await store.close();
  }
}

async function follow(
  store: StateStore,
  runId: string,
  flags: FollowFlags,
  io: Io,
): Promise<number> {
  let batch: FollowBatch;
  try {
    batch = await store.poll(runId, undefined);
  } catch (error) {
    if (error instanceof JournalError) throw usageError(error.message);
    throw error;
  }
  const first = batch.entries[0];
  if (!first || first.type !== "run")
    throw usageError(`run ${runId} in ${store.where} has no run entry`);
  const interrupter = new Interrupter();
  // A follower runs no step: an interrupt of "the step" (SIGINT in plain output) ends the following.
  interrupter.signal.addEventListener("abort", () => interrupter.quit(), {
    once: true,
  });
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const { reporter, close } = await reporterFor(
    flags.reporter ?? (interactive ? "tui" : "plain"),
    { run: first, interrupter, io, style },
  );
  const onSigint = (): void => interrupter.quit();
  process.on("SIGINT", onSigint);
  const replay = new JournalReplay(store.where, (run, step) =>
    store.logLocation(run, step),
  );
  let status: number | undefined;
  let lastAlive = Date.now();
  try {
    for (;;) {
      for (const event of replay.feed(batch)) {
        emit([reporter], event);
        if (event.type === "run-end") status = event.exitCode;
      }
      if (replay.ended) return status ?? 1;
      if (interrupter.quitSignal.aborted) return 130;
      if (Date.now() - lastAlive >= ALIVE_MS) {
        lastAlive = Date.now();
        const holder = await store.lockHolder(first.identity ?? first.file, {
          pid: process.pid,
          host: hostname(),
        });
        if (holder?.runId !== runId) {
          // Read once more: the run may have ended between the last poll and the lock check.
          batch = await store.poll(runId, batch.cursor);
          if (batch.entries.length > 0 || batch.output.length > 0) continue;
          await close();
          const unknown = [
            ...runState((await store.readJournal(runId)).entries).steps,
          ]
            .filter(([, s]) => s.state === "unknown")
            .map(([id]) => id);
          writeLine(
            io.stderr,
            `runbook: nothing drives run ${runId} any more: the runbook that ran it is gone (it died, or lost its connection to the state) and the run is unfinished${unknown.length ? ` (step ${unknown.join(", ")} in an unknown state)` : ""}. To continue it: ${resumeCommand(runId, store)}`,
          );
          return 1;
        }
      }
      await sleep(POLL_MS, interrupter.quitSignal);
      if (interrupter.quitSignal.aborted) return 130;
      batch = await store.poll(runId, batch.cursor);
    }
  } finally {
    process.off("SIGINT", onSigint);
    await close();
  }
}

interface ReporterContext {
  readonly run: Extract<FollowBatch["entries"][number], { type: "run" }>;
  readonly interrupter: Interrupter;
  readonly io: Io;
  readonly style: ReturnType<typeof createStyle>;
}

/** The UI when the runbook is here to show its prose and code; plain lines otherwise. */
async function reporterFor(
  name: "tui" | "plain",
  c: ReporterContext,
): Promise<{ reporter: Reporter; close: () => Promise<void> }> {
  if (name === "tui") {
    let file: string | undefined;
    try {
      file = findRunbook(c.run, undefined, c.io);
    } catch {
      file = undefined;
    }
    if (file) {
      const runbook = await loadRunbook(
        file,
        { ...c.io, stderr: devNull(c.io) },
        { validate: false, mode: c.run.mode },
      );
      const { startTui } = await import("../../renderers/tui/index.js");
      const tui = startTui({
        stdin: c.io.stdin as NodeJS.ReadStream,
        stdout: c.io.stdout as NodeJS.WriteStream,
        env: c.io.env,
        interrupter: c.interrupter,
        runbook,
        cwd: c.io.cwd,
        readOnly: true,
      });
      return { reporter: tui.reporter, close: () => tui.close() };
    }
    writeLine(
      c.io.stderr,
      `runbook: the runbook of this run (${c.run.repoPath ?? c.run.file}) is not here: following it as plain lines`,
    );
  }
  return {
    reporter: new PlainReporter(c.io.stdout, c.style),
    close: async () => {},
  };
}

function devNull(io: Io): Io["stderr"] {
  const sink = Object.create(io.stderr) as Io["stderr"];
  sink.write = (() => true) as never;
  return sink;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
