import { readFileSync } from "node:fs";
import {
  JOURNAL_VERSION,
  type JournalEntry,
  type RunEntry,
} from "./entries.js";

export interface JournalRead {
  readonly run: RunEntry;
  readonly entries: readonly JournalEntry[];
  /** The last line was cut short (the writer died mid-write) and was ignored. */
  readonly tornTail: boolean;
}

export class JournalError extends Error {}

/**
 * Reads a journal back. A torn last line (a crash mid-write) is ignored; a
 * bad line anywhere else means the file was damaged, and is an error.
 */
export function readJournal(file: string): JournalRead {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new JournalError(
      `cannot read journal ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const lines = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) lines.pop();
  const entries: JournalEntry[] = [];
  let tornTail = false;
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    if (line.trim() === "") return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      if (last) tornTail = true;
      else
        throw new JournalError(
          `journal ${file} is damaged at line ${i + 1}: not JSON`,
        );
    }
  });
  const run = entries[0];
  if (!run || run.type !== "run")
    throw new JournalError(`journal ${file} does not start with a run entry`);
  if (run.v > JOURNAL_VERSION)
    throw new JournalError(
      `journal ${file} was written by a newer runbook (format ${run.v}); upgrade runbook to resume it`,
    );
  return { run, entries, tornTail };
}
