import { randomInt } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { readJournal } from "./journal-reader.js";
import { runState, type RunState } from "./run-state.js";

/** The last id this process made: ids of the same second then still sort in start order. */
let last: { second: string; order: number } | undefined;

/**
 * A sortable, readable run id: the UTC second, then 6 hex digits that sort
 * by start within it — the millisecond times 16,384, plus 14 random bits, raised
 * past the last id this process made in that second (a fixed clock, a fast
 * machine). Unique in practice across machines and state dirs, which matters
 * beyond the journal: a rehearsal finds the servers its steps left behind by
 * `RUNBOOK_RUN_ID` in their environment, and runbooks name scratch files after
 * it. Two runs starting in the same millisecond share an id with chance
 * 1/16,384 (the 4-hex-digit ids of earlier versions: 1/65,536 for two runs of
 * the same second). Those older ids stay readable; they sort by their second.
 */
export function newRunId(now: Date): string {
  const second = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .slice(0, 15);
  let order = now.getUTCMilliseconds() * 16_384 + randomInt(16_384);
  if (last?.second === second && order <= last.order) order = last.order + 1;
  // 999 * 16,384 + 16,383 leaves 393,216 more ids in the last millisecond of a second before a seventh digit.
  last = { second, order };
  return `${second}-${order.toString(16).padStart(6, "0")}`;
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

/** Run ids in the state dir, newest first (their text sorts by start: see {@link newRunId}). */
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
