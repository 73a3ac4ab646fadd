import type { StepState } from "../model/index.js";
import type { JournalEntry, RunEntry } from "./entries.js";

export interface StepRecord {
  readonly state: Exclude<StepState, "running">;
  readonly attempts: number;
  readonly message?: string;
  /** Skipped after it failed or was interrupted (SPEC 2: the run is `incomplete`). */
  readonly unproven?: boolean;
  /** The process groups its last attempt started, and on which host (`unknown` steps: they may still run). */
  readonly groups?: readonly StepGroup[];
}

export interface StepGroup {
  readonly pgid: number;
  /** The host runbook ran on when it started the group. */
  readonly host: string;
  readonly at: string;
}

/** What a journal says about a run: the basis of resume and of the report. */
export interface RunState {
  readonly run: RunEntry;
  readonly steps: ReadonlyMap<string, StepRecord>;
  /** Captured values (secrets have no value: they were never written). */
  readonly captures: ReadonlyMap<
    string,
    { readonly value?: string; readonly secret: boolean }
  >;
  /** The run ended with every step done. */
  readonly finished: boolean;
  readonly lastEnd?: Extract<JournalEntry, { type: "run-end" }>;
}

/** Folds journal entries into the state of each step. A start with no end is `unknown`. */
export function runState(entries: readonly JournalEntry[]): RunState {
  const first = entries[0];
  if (!first || first.type !== "run")
    throw new Error("a journal starts with a run entry");
  const steps = new Map<string, StepRecord>();
  const captures = new Map<string, { value?: string; secret: boolean }>();
  let lastEnd: Extract<JournalEntry, { type: "run-end" }> | undefined;
  let host = first.host;
  for (const entry of entries) {
    switch (entry.type) {
      case "resume":
        host = entry.host;
        break;
      case "step-start": {
        const attempts = (steps.get(entry.step)?.attempts ?? 0) + 1;
        steps.set(entry.step, { state: "unknown", attempts });
        break;
      }
      case "group": {
        const step = steps.get(entry.step);
        if (step)
          steps.set(entry.step, {
            ...step,
            groups: [
              ...(step.groups ?? []),
              { pgid: entry.pgid, host, at: entry.at },
            ],
          });
        break;
      }
      case "step-end": {
        const attempts = steps.get(entry.step)?.attempts ?? 0;
        steps.set(entry.step, {
          state: entry.state,
          attempts,
          ...(entry.message ? { message: entry.message } : {}),
          ...(entry.unproven ? { unproven: true } : {}),
        });
        break;
      }
      case "capture":
        captures.set(
          entry.name,
          entry.value === undefined
            ? { secret: entry.secret }
            : { value: entry.value, secret: entry.secret },
        );
        break;
      case "run-end":
        lastEnd = entry;
        break;
      default:
        break;
    }
  }
  const finished = lastEnd?.status === "done";
  return lastEnd
    ? { run: first, steps, captures, finished, lastEnd }
    : { run: first, steps, captures, finished };
}
