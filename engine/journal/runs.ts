import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { readJournal } from "./journal-reader.js";
import { runState, type RunState } from "./run-state.js";

/** A sortable, readable run id: UTC time and 4 random hex digits. */
export function newRunId(now: Date): string {
  const t = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .slice(0, 15);
  return `${t}-${randomBytes(2).toString("hex")}`;
}

export function runsDir(stateDir: string): string {
  return path.join(stateDir, "runs");
}

export function runDir(stateDir: string, runId: string): string {
  return path.join(runsDir(stateDir), runId);
}

export function journalFile(stateDir: string, runId: string): string {
  return path.join(runDir(stateDir, runId), "journal.jsonl");
}

/** Run ids in the state dir, newest first. */
export function listRuns(stateDir: string): string[] {
  try {
    return readdirSync(runsDir(stateDir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .reverse();
  } catch {
    return [];
  }
}

/** The newest run that did not finish, with its state. */
export function latestUnfinishedRun(
  stateDir: string,
): { runId: string; state: RunState } | undefined {
  for (const runId of listRuns(stateDir)) {
    try {
      const state = runState(readJournal(journalFile(stateDir, runId)).entries);
      if (!state.finished) return { runId, state };
    } catch {
      continue;
    }
  }
  return undefined;
}
