import type { JournalEntry } from "./entries.js";
import type { RunSummary } from "./state-store.js";

/** A run's line in `runbook runs`, from its journal. */
export function summaryOf(entries: readonly JournalEntry[]): RunSummary {
  const run = entries[0];
  if (!run || run.type !== "run")
    throw new Error("a journal starts with a run entry");
  let outcome: RunSummary["outcome"] = "unfinished";
  let last = run.at;
  for (const e of entries) {
    last = e.at;
    if (e.type === "run-end") outcome = e.status;
    // A resume after an ending makes the run unfinished again until it ends anew.
    else if (e.type === "resume") outcome = "unfinished";
  }
  return {
    runId: run.runId,
    runbook: run.identity ?? run.file,
    title: run.title,
    file: run.file,
    user: run.user,
    host: run.host,
    cwd: run.cwd,
    mode: run.mode,
    startedAt: run.at,
    updatedAt: last,
    outcome,
  };
}
