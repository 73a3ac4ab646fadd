import { journalFile } from "./runs.js";
import type { JournalEntry } from "./entries.js";
import type { JournalRead } from "./journal-reader.js";
import type { LogText, StateStore } from "./state-store.js";

/** A finished or unfinished run as its store holds it: what `runbook report` shows. */
export interface RunRecord {
  readonly journal: JournalRead;
  /** Each step's output log (head and tail of a large one), by step id. */
  readonly logs: ReadonlyMap<string, LogText>;
  /** Where the journal is, for the reader: its file, or the run in the PostgreSQL state. */
  readonly journalPath: string;
}

/**
 * Reads a run's journal and the log of every step it names, from either
 * store. @throws {JournalError} when there is no such run or its journal
 * cannot be read.
 */
export async function readRunRecord(
  store: StateStore,
  runId: string,
): Promise<RunRecord> {
  const journal = await store.readJournal(runId);
  const logs = new Map<string, LogText>();
  for (const id of stepIds(journal.entries)) {
    const log = await store.readLog(runId, id);
    if (log) logs.set(id, log);
  }
  return {
    journal,
    logs,
    journalPath:
      store.kind === "files"
        ? journalFile(store.where, runId)
        : `run ${runId} in ${store.where}`,
  };
}

function stepIds(entries: readonly JournalEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.type === "run") for (const s of e.steps) ids.add(s.id);
    else if ("step" in e) ids.add(e.step);
  }
  return ids;
}
