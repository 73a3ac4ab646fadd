import type { Step } from "../../engine/model/index.js";
import {
  checkHeld,
  type RunEvent,
  type StepChange,
  type StepState,
} from "../../engine/run/index.js";
import { OutputBuffer, type OutputStream } from "./output-buffer.js";
import type {
  ActionRun,
  CaptureView,
  CheckRun,
  CurrentStep,
} from "./tui-state.js";

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** Lines of output a frame takes from the ring: more than any terminal is tall. */
const FRAME_LINES = 200;

/** What happened so far in the step on screen: its actions, checks, captures and output. */
export class StepProgress {
  position: number | undefined;
  total: number | undefined;
  state: StepState;
  attempt: number;
  startedAt: number | undefined;
  durationMs: number | undefined;
  message: string | undefined;
  outputLog: string | undefined;
  changed: StepChange | undefined;
  readonly actions = new Map<number, ActionRun>();
  readonly checks = new Map<number, CheckRun>();
  private captures: CaptureView[] = [];
  private output: OutputBuffer;
  logTail: CurrentStep["logTail"];

  constructor(
    public step: Step,
    options: {
      readonly state: StepState;
      readonly attempt: number;
      readonly outputLines: number;
    },
  ) {
    this.state = options.state;
    this.attempt = options.attempt;
    this.output = new OutputBuffer({ capacity: options.outputLines });
  }

  /** A new attempt starts from a clean slate (the journal keeps every attempt's output). */
  reset(): void {
    this.actions.clear();
    this.checks.clear();
    this.captures = [];
    this.output.clear();
    this.logTail = undefined;
  }

  start(e: Of<"step-start">, now: number, outputLog: string | undefined): void {
    this.attempt = e.attempt;
    this.position = e.index;
    this.total = e.total;
    this.state = "running";
    this.startedAt = now;
    this.durationMs = undefined;
    this.message = undefined;
    this.outputLog = outputLog;
    this.changed = e.changed;
  }

  actionStart(e: Of<"action-start">, now: number): void {
    const prior = this.actions.get(e.index);
    this.actions.set(e.index, {
      state: "running",
      startedAt: now,
      ...(e.target ? { target: e.target } : {}),
      ...(prior?.answer ? { answer: prior.answer } : {}),
    });
  }

  actionEnd(e: Of<"action-end">, now: number): void {
    const prior = this.actions.get(e.index);
    const o = e.outcome;
    this.actions.set(e.index, {
      state:
        o.kind === "not-run" ? "skipped" : o.kind === "ok" ? "ok" : "failed",
      startedAt: prior?.startedAt ?? now,
      durationMs: e.durationMs,
      ...(prior?.target ? { target: prior.target } : {}),
      ...(o.kind !== "not-run" && o.exitCode !== undefined
        ? { exitCode: o.exitCode }
        : {}),
      ...(o.kind === "not-run"
        ? { message: o.reason }
        : o.kind === "ok"
          ? {}
          : { message: o.message }),
    });
  }

  /** A gate's or manual step's answer, shown on its action. */
  answered(index: number, answer: string, now: number): void {
    const prior = this.actions.get(index);
    const state =
      answer === "yes" || answer === "done"
        ? "ok"
        : answer === "skip"
          ? "skipped"
          : "failed";
    this.actions.set(index, {
      ...(prior ?? { startedAt: now }),
      state: prior?.state ?? state,
      answer,
    });
  }

  checkStart(e: Of<"check-start">, now: number): void {
    this.checks.set(e.index, {
      state: "running",
      startedAt: now,
      ...(e.waitMs !== undefined ? { waitMs: e.waitMs } : {}),
    });
  }

  checkEnd(e: Of<"check-end">, now: number): void {
    const prior = this.checks.get(e.index);
    this.checks.set(e.index, {
      state: checkHeld(e.outcome) ? "ok" : "failed",
      startedAt: prior?.startedAt ?? now,
      outcome: e.outcome,
    });
  }

  print(stream: OutputStream, text: string): void {
    this.output.push(stream, text);
  }

  capture(name: string, value: string, secret: boolean): void {
    this.captures = [
      ...this.captures.filter((c) => c.name !== name),
      { name, value, secret },
    ];
  }

  /** What a waiting check got last (a `check-progress` event). */
  checkProgress(index: number, last: NonNullable<CheckRun["last"]>): void {
    const prior = this.checks.get(index);
    if (prior) this.checks.set(index, { ...prior, last });
  }

  /** Back on screen (a retry, a resumed step): room for `lines` lines again. */
  expand(lines: number): void {
    if (this.output.capacity >= lines) return;
    const bigger = new OutputBuffer({ capacity: lines });
    for (const l of this.output.tail()) bigger.push(l.stream, `${l.text}\n`);
    bigger.totalLines = this.output.totalLines;
    bigger.totalBytes = this.output.totalBytes;
    this.output = bigger;
  }

  /** Keeps only the last `lines` lines of output: the step is finished and off screen. */
  compact(lines: number): void {
    if (this.output.capacity <= lines) return;
    const smaller = new OutputBuffer({ capacity: lines });
    for (const l of this.output.tail(lines))
      smaller.push(l.stream, `${l.text}\n`);
    smaller.totalLines = this.output.totalLines;
    smaller.totalBytes = this.output.totalBytes;
    this.output = smaller;
  }

  end(e: Of<"step-end">): void {
    this.state = e.state;
    this.durationMs = e.durationMs;
    this.message = e.message;
  }

  /** An immutable copy for a frame. */
  view(): CurrentStep {
    return {
      step: this.step,
      attempt: this.attempt,
      state: this.state,
      actions: new Map(this.actions),
      checks: new Map(this.checks),
      captures: [...this.captures],
      output: this.output.tail(FRAME_LINES),
      outputLines: this.output.totalLines,
      outputBytes: this.output.totalBytes,
      ...(this.position !== undefined ? { position: this.position } : {}),
      ...(this.total !== undefined ? { total: this.total } : {}),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.durationMs !== undefined ? { durationMs: this.durationMs } : {}),
      ...(this.message !== undefined ? { message: this.message } : {}),
      ...(this.outputLog !== undefined ? { outputLog: this.outputLog } : {}),
      ...(this.changed !== undefined ? { changed: this.changed } : {}),
      ...(this.logTail !== undefined ? { logTail: this.logTail } : {}),
    };
  }
}
