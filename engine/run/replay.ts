import type { FollowBatch, JournalEntry, RunEntry } from "../journal/index.js";
import type { CheckOutcome, RunEvent, StepState } from "./events.js";

/**
 * Turns what a run wrote to its state (journal entries and output) back into
 * the events its reporters saw, for `runbook follow`: the same reporters (the
 * UI, plain lines) then show a run driven elsewhere. Everything replayed was
 * masked before it was written; nothing here can add a secret.
 *
 * Output of a step is shown before that step's end, and never before its
 * start: the two are read in two queries, so a chunk may be seen before the
 * entry that started its step, and is held until then.
 */
export class JournalReplay {
  private run: RunEntry | undefined;
  private readonly started = new Set<string>();
  private readonly held = new Map<string, string[]>();
  private position = 0;
  /** Steps whose last end says skipped unproven: a run-end line from before it named them gets them from here. */
  private readonly unproven = new Set<string>();
  /** The run ended (its last entry so far is a run-end). */
  ended = false;

  /** `logOf`: where the state keeps a step's output log (the store's `logLocation`). */
  constructor(
    private readonly where: string,
    private readonly logOf: (runId: string, stepId: string) => string,
  ) {}

  /** The events a batch adds, in order. */
  feed(batch: FollowBatch): RunEvent[] {
    const out: RunEvent[] = [];
    for (const chunk of batch.output)
      this.held.set(chunk.step, [
        ...(this.held.get(chunk.step) ?? []),
        chunk.text,
      ]);
    for (const entry of batch.entries) {
      if (entry.type === "step-end" || entry.type === "check")
        this.flush(entry.step, out);
      out.push(...this.eventsOf(entry));
      if (entry.type === "step-start") this.flush(entry.step, out);
    }
    for (const step of this.started) this.flush(step, out);
    return out;
  }

  private flush(step: string, out: RunEvent[]): void {
    if (!this.started.has(step)) return;
    const texts = this.held.get(step);
    if (!texts || texts.length === 0) return;
    this.held.delete(step);
    out.push({
      type: "output",
      stepId: step,
      stream: "stdout",
      text: texts.join(""),
    });
  }

  private eventsOf(e: JournalEntry): RunEvent[] {
    switch (e.type) {
      case "run": {
        this.run = e;
        const states = new Map<string, StepState>();
        return [
          {
            type: "run-start",
            runId: e.runId,
            title: e.title,
            file: e.file,
            mode: e.mode,
            resumed: false,
            stateDir: this.where,
            journal: `run ${e.runId} in ${this.where}`,
            steps: e.steps.map((s) => ({
              id: s.id,
              title: s.title,
              state: states.get(s.id) ?? "pending",
              selected: true,
            })),
            params: e.params.map((p) => ({
              name: p.name,
              secret: p.secret,
              source: p.source,
              ...(p.value !== undefined
                ? { value: p.value }
                : p.shown !== undefined
                  ? { value: p.shown, masked: true }
                  : {}),
            })),
            sentinels: e.sentinels,
          },
        ];
      }
      case "resume":
        this.ended = false;
        return [
          {
            type: "notice",
            level: "info",
            message: `resumed by ${e.user} on ${e.host} (pid ${e.pid}) at ${e.at}`,
          },
        ];
      case "step-start":
        this.started.add(e.step);
        this.position++;
        return [
          {
            type: "step-start",
            stepId: e.step,
            index: this.position,
            total: this.run?.steps.length ?? this.position,
            attempt: e.attempt,
            log: this.logOf(this.run?.runId ?? "", e.step),
            ...(e.changed ? { changed: e.changed } : {}),
          },
        ];
      case "capture":
        return [
          {
            type: "capture",
            stepId: e.step,
            name: e.name,
            value: e.value ?? e.shown ?? "***",
            secret: e.secret || e.masked === true,
          },
        ];
      case "check":
        return [
          {
            type: "check-end",
            stepId: e.step,
            index: e.index,
            kind: e.kind ?? "sql",
            line: e.line ?? 0,
            outcome: checkOutcomeOf(e),
          },
        ];
      case "gate":
        return [
          {
            type: "gate",
            stepId: e.step,
            kind: e.kind,
            prompt: e.prompt,
            answer: e.answer,
            by: e.by,
          },
        ];
      case "step-end":
        if (e.state === "skipped" && e.unproven) this.unproven.add(e.step);
        else this.unproven.delete(e.step);
        return [
          {
            type: "step-end",
            stepId: e.step,
            state: e.state,
            durationMs: e.durationMs,
            ...(e.message !== undefined ? { message: e.message } : {}),
            ...(e.assumed ? { assumed: true } : {}),
            ...(e.interrupted ? { interrupted: true } : {}),
            ...(e.stopped ? { stopped: true } : {}),
            ...(e.unproven ? { unproven: true } : {}),
            ...(e.actions ? { actions: e.actions } : {}),
          },
        ];
      case "run-end":
        this.ended = true;
        return [
          {
            type: "run-end",
            status: e.status,
            exitCode: e.exitCode,
            durationMs: e.durationMs ?? 0,
            message: e.message,
            unproven: e.unproven ?? [...this.unproven],
          },
        ];
      case "action":
        return [
          {
            type: "notice",
            level: "warning",
            message: `step "${e.step}" action ${e.index + 1} (${e.kind}) failed${e.message === undefined ? "" : `: ${e.message}`}`,
          },
        ];
      case "group":
        return [];
    }
  }
}

/**
 * A check-end outcome from the journal's check entry, which keeps the shape
 * it always had (`ok` with optional `expected`, `actual`, `table`): a pass
 * (or, with no evaluation, a skip), a mismatch of values, a table that
 * differs, or an error that left nothing to compare.
 */
export function checkOutcomeOf(
  e: Extract<JournalEntry, { type: "check" }>,
): CheckOutcome {
  const base = {
    message: e.message,
    attempts: e.attempts,
    durationMs: e.durationMs,
  };
  const table = e.table ? { table: e.table } : {};
  if (e.ok) {
    if (e.attempts === 0) return { kind: "skipped", ...base };
    return {
      kind: "pass",
      ...base,
      // Journals from before passing checks recorded their values.
      expected: e.expected ?? "(not recorded)",
      actual: e.actual ?? "(not recorded)",
      ...table,
    };
  }
  if (e.table) return { kind: "table-mismatch", ...base, table: e.table };
  if (e.expected !== undefined && e.actual !== undefined)
    return {
      kind: "mismatch",
      ...base,
      expected: e.expected,
      actual: e.actual,
    };
  return { kind: "error", ...base };
}
