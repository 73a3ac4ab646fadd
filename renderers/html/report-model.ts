import type { JournalEntry, RunEntry } from "../../engine/journal/index.js";
import type { StepState } from "../../engine/run/index.js";

type Entry<T extends JournalEntry["type"]> = Extract<JournalEntry, { type: T }>;

/** One try at a step, as the journal tells it. */
export interface AttemptReport {
  /** 1-based count of this step's attempts across the whole run (resumes included). */
  readonly number: number;
  readonly start?: Entry<"step-start">;
  /** How it ended; undefined: never recorded (crash, kill, lost terminal) — the outcome is unknown. */
  readonly end?: Entry<"step-end">;
  /** The attempt was cut off by a crash: a resume (or the end of the journal) came before its end. */
  readonly unknown: boolean;
  readonly gates: Entry<"gate">[];
  readonly actions: Entry<"action">[];
  readonly captures: Entry<"capture">[];
  readonly checks: Entry<"check">[];
  /** Index of the session (run, then each resume) it belongs to. */
  readonly session: number;
}

export interface StepReport {
  readonly id: string;
  readonly title: string;
  readonly hash?: string;
  readonly attempts: AttemptReport[];
  /** Where the step stands at the end of the journal. */
  readonly state: Exclude<StepState, "running">;
  /** Decided by the operator after an unknown outcome (`--assume-done`), not by running it. */
  readonly assumed: boolean;
}

/** The first run or one `resume`, with how it ended. */
export interface SessionReport {
  readonly kind: "run" | "resume";
  readonly at: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** Completed steps whose text changed before this resume. */
  readonly changed: readonly string[];
  readonly end?: Entry<"run-end">;
}

export interface RunReport {
  readonly run: RunEntry;
  readonly sessions: readonly SessionReport[];
  readonly steps: readonly StepReport[];
  /** Captured values; secrets have no value (never written). */
  readonly captures: readonly Entry<"capture">[];
  /** `unfinished`: the last session has no end (crashed, killed, or still running). */
  readonly status: Entry<"run-end">["status"] | "unfinished";
  readonly lastAt: string;
}

interface MutableAttempt extends AttemptReport {
  start?: Entry<"step-start">;
  end?: Entry<"step-end">;
  unknown: boolean;
}

/**
 * Folds a journal into a report: sessions, and each step's attempts with
 * their gates, failures, captures and checks. Robust to a journal cut short
 * (a started step with no end is `unknown`) and to resumes (a resume closes
 * every open attempt as unknown; what the operator decided comes after).
 */
export function foldJournal(entries: readonly JournalEntry[]): RunReport {
  const run = entries[0];
  if (!run || run.type !== "run")
    throw new Error("a journal starts with a run entry");
  const steps = new Map<
    string,
    {
      id: string;
      title: string;
      hash?: string;
      attempts: MutableAttempt[];
      assumed: boolean;
      state: StepReport["state"];
    }
  >();
  const stepOf = (id: string): NonNullable<ReturnType<typeof steps.get>> => {
    let s = steps.get(id);
    if (!s) {
      s = { id, title: id, attempts: [], assumed: false, state: "pending" };
      steps.set(id, s);
    }
    return s;
  };
  for (const s of run.steps)
    steps.set(s.id, {
      id: s.id,
      title: s.title,
      hash: s.hash,
      attempts: [],
      assumed: false,
      state: "pending",
    });
  const sessions: {
    kind: "run" | "resume";
    at: string;
    user: string;
    host: string;
    pid: number;
    changed: readonly string[];
    end?: Entry<"run-end">;
  }[] = [
    {
      kind: "run",
      at: run.at,
      user: run.user,
      host: run.host,
      pid: run.pid,
      changed: [],
    },
  ];
  const captures: Entry<"capture">[] = [];
  const open = new Map<string, MutableAttempt>();
  const newAttempt = (
    id: string,
    start?: Entry<"step-start">,
  ): MutableAttempt => {
    const step = stepOf(id);
    const attempt: MutableAttempt = {
      number: step.attempts.length + 1,
      unknown: false,
      gates: [],
      actions: [],
      captures: [],
      checks: [],
      session: sessions.length - 1,
      ...(start ? { start } : {}),
    };
    step.attempts.push(attempt);
    return attempt;
  };
  const current = (id: string): MutableAttempt =>
    open.get(id) ?? newAttempt(id);
  const closeOpenAsUnknown = (): void => {
    for (const [id, attempt] of open) {
      attempt.unknown = true;
      stepOf(id).state = "unknown";
    }
    open.clear();
  };

  for (const entry of entries.slice(1)) {
    switch (entry.type) {
      case "resume":
        closeOpenAsUnknown();
        sessions.push({
          kind: "resume",
          at: entry.at,
          user: entry.user,
          host: entry.host,
          pid: entry.pid,
          changed: entry.changed,
        });
        break;
      case "step-start": {
        open.set(entry.step, newAttempt(entry.step, entry));
        stepOf(entry.step).state = "unknown";
        break;
      }
      case "step-end": {
        const attempt = current(entry.step);
        attempt.end = entry;
        open.delete(entry.step);
        const step = stepOf(entry.step);
        step.state = entry.state;
        step.assumed = entry.assumed === true;
        break;
      }
      case "gate":
        current(entry.step).gates.push(entry);
        break;
      case "action":
        current(entry.step).actions.push(entry);
        break;
      case "check":
        current(entry.step).checks.push(entry);
        break;
      case "capture":
        current(entry.step).captures.push(entry);
        captures.push(entry);
        break;
      case "run-end": {
        const session = sessions[sessions.length - 1];
        if (session) session.end = entry;
        break;
      }
      case "run":
        break;
    }
  }
  const last = sessions[sessions.length - 1];
  if (!last?.end) closeOpenAsUnknown();
  const stepList: StepReport[] = [...steps.values()];
  return {
    run,
    sessions,
    steps: stepList,
    captures,
    status: last?.end ? last.end.status : "unfinished",
    lastAt: entries[entries.length - 1]?.at ?? run.at,
  };
}

/** Splits a step's output log at its `── STEP attempt N at TIME` lines, one part per attempt. */
export function splitLog(text: string): { header?: string; body: string }[] {
  const parts: { header?: string; body: string }[] = [];
  const lines = text.split("\n");
  let current: { header?: string; lines: string[] } = { lines: [] };
  const flush = (): void => {
    const body = current.lines.join("\n").replace(/^\n+|\n+$/g, "");
    if (current.header !== undefined || body !== "")
      parts.push({
        ...(current.header !== undefined ? { header: current.header } : {}),
        body,
      });
  };
  for (const line of lines) {
    if (/^── \S+ attempt \d+ at \S+$/.test(line)) {
      flush();
      current = { header: line, lines: [] };
    } else current.lines.push(line);
  }
  flush();
  return parts;
}
