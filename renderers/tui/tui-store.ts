import type { Runbook, Step } from "../../engine/model/index.js";
import type { RunEvent } from "../../engine/run/index.js";
import { createRedactor, type Redactor } from "../../engine/secrets/index.js";
import { FrameScheduler } from "./frame-scheduler.js";
import { leadGateOf } from "./lead-gate.js";
import type { OutputStream } from "./output-buffer.js";
import { StepBrowser } from "./step-browser.js";
import type { StepProgress } from "./step-progress.js";
import { StepRecords } from "./step-records.js";
import type {
  DisplayValue,
  LeadGate,
  Prompt,
  PromptState,
  RunEnd,
  RunInfo,
  StepRow,
  TuiSnapshot,
} from "./tui-state.js";

export type {
  ActionRun,
  CaptureView,
  CheckRun,
  CurrentStep,
  DisplayValue,
  LeadGate,
  OpenedStep,
  Prompt,
  PromptState,
  RunEnd,
  RunInfo,
  StepRow,
  TuiSnapshot,
} from "./tui-state.js";

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

export interface TuiStoreOptions {
  readonly runbook: Runbook;
  /** Param values already resolved (`--set`, environment, defaults). */
  readonly params?: ReadonlyMap<
    string,
    { readonly value: string; readonly param: { readonly secret: boolean } }
  >;
  /**
   * Minimum time between two frames caused by output (prompts and state
   * changes draw at once). A full-screen frame costs Ink and React about
   * 5–10 ms, so streaming output redraws ten times a second. @default 100
   */
  readonly frameMs?: number;
  /** Lines of output kept for the screen. @default 500 */
  readonly outputLines?: number;
  /** @default performance.now */
  readonly clock?: () => number;
  /** Spinner and elapsed times tick while a step runs. @default true */
  readonly ticking?: boolean;
  /** A follower's view of a run driven elsewhere: its keys only look, never act. @default false */
  readonly readOnly?: boolean;
}

interface Pending {
  prompt: Prompt;
  input: string;
  error?: string;
  shownAt: number;
  resolve: (answer: string) => void;
  reject: (error: Error) => void;
  /** The action a gate or manual prompt is about. */
  actionIndex?: number;
}

/**
 * The UI's state, fed by the reporter and the interaction, read by the
 * components. Events only mutate; frames are built at most every `frameMs`
 * (at once for prompts and state changes), so a step printing hundreds of
 * megabytes costs a ring-buffer append per chunk and ten frames a second.
 */
export class TuiStore {
  readonly runbook: Runbook;
  readonly readOnly: boolean;
  private readonly stepsById: Map<string, Step>;
  private rows: StepRow[];
  /** Every step seen in this session, with what happened to it; the one on screen. */
  private readonly records: StepRecords;
  private continuingFlag = false;
  /** Answers given to a step's lead gate with the step's question, by step id. */
  private readonly preanswers = new Map<
    string,
    { index: number; answer: string; typed?: string }
  >();
  private pending: Pending | undefined;
  private run: RunInfo | undefined;
  private end: RunEnd | undefined;
  private notice: TuiSnapshot["notice"];
  private interruptingFlag = false;
  private suspendedFlag = false;
  private helpFlag = false;
  private readonly values = new Map<string, DisplayValue>();
  private valuesView: ReadonlyMap<string, DisplayValue> = new Map();
  private valuesDirty = true;
  private readonly secrets = new Set<string>();
  private redactor: Redactor | undefined;
  private readonly clock: () => number;
  private readonly ticking: boolean;
  private readonly frames: FrameScheduler;
  private version = 0;
  private snapshot: TuiSnapshot;
  private readonly listeners = new Set<() => void>();
  /** The step list's selection, the opened step, the prose key. */
  readonly browser: StepBrowser;
  /** Called when the run ends (the session unmounts the UI). */
  onEnd: (() => void) | undefined;

  constructor(options: TuiStoreOptions) {
    this.runbook = options.runbook;
    this.readOnly = options.readOnly ?? false;
    this.clock = options.clock ?? (() => performance.now());
    this.ticking = options.ticking ?? true;
    this.stepsById = new Map(options.runbook.steps.map((s) => [s.id, s]));
    this.records = new StepRecords({
      outputLines: options.outputLines ?? 500,
      row: (id) => this.rows.find((r) => r.id === id),
    });
    const order =
      options.runbook.order.length > 0
        ? options.runbook.order
        : options.runbook.steps.map((s) => s.id);
    this.rows = order.flatMap((id) => {
      const s = this.stepsById.get(id);
      return s
        ? [
            {
              id,
              title: s.title,
              state: "pending" as const,
              selected: true,
              attempt: 0,
            },
          ]
        : [];
    });
    for (const sentinel of options.runbook.sentinels)
      this.values.set(sentinel.name, { kind: "sentinel", secret: false });
    for (const [name, p] of options.params ?? [])
      this.setValue(name, {
        kind: "param",
        value: p.value,
        secret: p.param.secret,
      });
    this.browser = new StepBrowser({
      rows: () => this.rows,
      currentId: () => this.current?.step.id,
      view: (id) => this.records.view(this.stepsById.get(id)),
      snapshot: () => this.snapshot,
      run: () => this.run,
      clock: this.clock,
      changed: () => this.changed(true),
    });
    this.snapshot = this.build();
    this.frames = new FrameScheduler({
      draw: () => this.draw(),
      frameMs: options.frameMs ?? 100,
      clock: this.clock,
      tickMs: () => this.tickMs(),
    });
  }

  // ── reading ──────────────────────────────────────────────────────────

  getSnapshot = (): TuiSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get prompt(): PromptState | undefined {
    return this.pending;
  }

  get ended(): boolean {
    return this.end !== undefined;
  }

  /** The engine has started the run (run-start was seen). */
  get started(): boolean {
    return this.run !== undefined;
  }

  get interrupting(): boolean {
    return this.interruptingFlag;
  }

  get now(): number {
    return this.clock();
  }

  mask = (text: string): string => {
    if (this.secrets.size === 0) return text;
    this.redactor ??= createRedactor([...this.secrets]);
    return this.redactor.redact(text);
  };

  step(id: string): Step | undefined {
    return this.stepsById.get(id);
  }

  /** The first action of the step on screen that matches and has not started (a `confirm` block's gate). */
  firstUnstarted(
    stepId: string,
    predicate: (action: Step["actions"][number]) => boolean,
  ): number | undefined {
    const cur = this.current?.step.id === stepId ? this.current : undefined;
    const step = this.stepsById.get(stepId);
    if (!step) return undefined;
    const i = step.actions.findIndex(
      (a, index) => predicate(a) && !cur?.actions.has(index),
    );
    return i >= 0 ? i : undefined;
  }

  // ── prompts ──────────────────────────────────────────────────────────

  /** Shows a prompt; resolves with the answer the key handler gives. */
  ask(prompt: Prompt, actionIndex?: number): Promise<string> {
    if (this.pending)
      this.pending.reject(new Error("a new question replaced this one"));
    if ("step" in prompt && prompt.kind !== "failed") this.focus(prompt.step);
    if (prompt.kind === "unknown") {
      this.browser.setLogPath(prompt.step.id, prompt.log);
      this.records.loadLogTail(prompt.step.id, prompt.log);
    }
    return new Promise<string>((resolve, reject) => {
      this.pending = {
        prompt,
        input: "",
        shownAt: this.clock(),
        resolve,
        reject,
        ...(actionIndex !== undefined ? { actionIndex } : {}),
      };
      this.interruptingFlag = false;
      this.changed(true);
    });
  }

  /** Answers the open prompt. */
  answer(value: string): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.helpFlag = false;
    // A failure or a stop ends `c`: the operator decides again.
    if (p.prompt.kind === "failed" || value === "quit" || value === "abort")
      this.continuingFlag = false;
    if (p.actionIndex !== undefined)
      this.current?.answered(p.actionIndex, value, this.clock());
    if (p.prompt.kind === "param")
      this.setValue(p.prompt.param.name, {
        kind: "param",
        value,
        secret: p.prompt.param.secret,
      });
    this.changed(true);
    p.resolve(value);
  }

  /** Gives up the open prompt with an error (Ctrl-C at a param prompt). */
  abandon(error: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.changed(true);
    p.reject(error);
  }

  setInput(input: string, error?: string): void {
    if (!this.pending) return;
    this.pending.input = input;
    if (error === undefined) delete this.pending.error;
    else this.pending.error = error;
    this.changed(true);
  }

  setInterrupting(value: boolean): void {
    this.interruptingFlag = value;
    this.changed(true);
  }

  toggleHelp(value = !this.helpFlag): void {
    this.helpFlag = value;
    this.changed(true);
  }

  get help(): boolean {
    return this.helpFlag;
  }

  setSuspended(value: boolean): void {
    this.suspendedFlag = value;
    this.changed(true);
  }

  // ── continuing, lead gates ───────────────────────────────────────────

  get continuing(): boolean {
    return this.continuingFlag;
  }

  /** `c`: ordinary steps run without asking from now on; `p` stops that. */
  setContinuing(value: boolean): void {
    this.continuingFlag = value;
    this.changed(true);
  }

  /** The gate a step opens with, asked as the step's question (undefined: ask "Run step N?"). */
  leadGate(step: Step): LeadGate | undefined {
    return leadGateOf(step, {
      values: this.values,
      mask: this.mask,
      mode: this.run?.mode ?? "live",
    });
  }

  /** The operator answered the step's lead gate with the step's question. */
  preanswer(
    stepId: string,
    answer: { index: number; answer: string; typed?: string },
  ): void {
    this.preanswers.set(stepId, answer);
  }

  /** The answer given before the step started to the gate the engine now asks, if it is that gate. */
  takePreanswer(
    stepId: string,
    index: number | undefined,
    typed: string | undefined,
  ): string | undefined {
    const p = this.preanswers.get(stepId);
    if (!p || p.index !== index) return undefined;
    this.preanswers.delete(stepId);
    // The engine resolved the text to type itself: what was typed must be that text.
    if (typed !== undefined && p.typed !== typed) return undefined;
    this.current?.answered(p.index, p.answer, this.clock());
    this.changed(true);
    return p.answer;
  }

  /** The engine read the runbook again (a retry after an edit): these steps are shown, and run, as they are now. */
  reread(steps: readonly Step[]): void {
    for (const s of steps) {
      this.stepsById.set(s.id, s);
      this.records.reread(s);
    }
    this.changed(true);
  }

  // ── events ───────────────────────────────────────────────────────────

  runStart(e: Of<"run-start">): void {
    this.run = {
      runId: e.runId,
      mode: e.mode,
      resumed: e.resumed,
      stateDir: e.stateDir,
      ...(e.journal !== undefined ? { journal: e.journal } : {}),
      startedAt: this.clock(),
    };
    this.rows = e.steps.map((s) => ({
      id: s.id,
      title: s.title,
      state: s.state,
      selected: s.selected,
      attempt: 0,
      ...(s.unproven ? { unproven: true } : {}),
    }));
    for (const [name, token] of Object.entries(e.sentinels))
      this.setValue(name, { kind: "sentinel", value: token, secret: false });
    this.changed(true);
  }

  stepStart(e: Of<"step-start">): void {
    const step = this.stepsById.get(e.stepId);
    if (!step) return;
    const prior = this.records.get(step.id);
    const cur = this.focus(
      step,
      e.attempt > 1 || (prior !== undefined && prior.state !== "pending"),
    );
    this.browser.setLogPath(step.id, e.log);
    cur.start(e, this.clock(), e.log);
    cur.logTail = undefined;
    this.interruptingFlag = false;
    this.updateRow(e.stepId, {
      state: "running",
      attempt: e.attempt,
      startedAt: cur.startedAt,
      durationMs: undefined,
      note: undefined,
    });
    this.changed(true);
  }

  actionStart(e: Of<"action-start">): void {
    this.currentFor(e.stepId)?.actionStart(e, this.clock());
    this.changed(true);
  }

  output(e: Of<"output">): void {
    this.currentFor(e.stepId)?.print(e.stream as OutputStream, e.text);
    this.changed(false);
  }

  actionEnd(e: Of<"action-end">): void {
    this.currentFor(e.stepId)?.actionEnd(e, this.clock());
    this.changed(true);
  }

  checkStart(e: Of<"check-start">): void {
    this.currentFor(e.stepId)?.checkStart(e, this.clock());
    this.changed(true);
  }

  checkEnd(e: Of<"check-end">): void {
    this.currentFor(e.stepId)?.checkEnd(e, this.clock());
    this.changed(true);
  }

  capture(e: Of<"capture">): void {
    // The engine says which captures are secret (and masked them already): no guessing from their text.
    const { secret } = e;
    this.currentFor(e.stepId)?.capture(e.name, e.value, secret);
    this.setValue(e.name, { kind: "capture", value: e.value, secret });
    this.changed(true);
  }

  checkProgress(e: Of<"check-progress">): void {
    this.currentFor(e.stepId)?.checkProgress(e.index, {
      ...(e.actual !== undefined ? { actual: e.actual } : {}),
      message: e.message,
      attempts: e.attempts,
    });
    this.changed(false);
  }

  stepEnd(e: Of<"step-end">): void {
    const note = e.assumed
      ? "marked done"
      : e.state === "done"
        ? undefined
        : e.message;
    const cur = this.currentFor(e.stepId);
    const unproven =
      e.state === "skipped"
        ? (e.unproven ?? this.records.skippedUnproven(e.stepId))
        : undefined;
    this.updateRow(e.stepId, {
      state: e.state,
      durationMs: e.durationMs,
      note,
      startedAt: undefined,
      unproven: unproven || undefined,
    });
    cur?.end(e);
    this.records.ended(e.stepId);
    this.preanswers.delete(e.stepId);
    this.changed(true);
  }

  noticeEvent(e: Of<"notice">): void {
    this.notice = { level: e.level, message: e.message };
    this.changed(true);
  }

  runEnd(e: Of<"run-end">): void {
    this.end = {
      status: e.status,
      exitCode: e.exitCode,
      durationMs: e.durationMs,
      message: e.message,
      unproven: e.unproven,
      ...(e.resumeHint ? { resumeHint: e.resumeHint } : {}),
    };
    this.interruptingFlag = false;
    this.continuingFlag = false;
    this.browser.closeOpened();
    this.flush();
    this.onEnd?.();
  }

  /** Shown before the run starts (starting clusters…). */
  status(message: string): void {
    this.notice = { level: "info", message };
    this.changed(true);
  }

  // ── frames ───────────────────────────────────────────────────────────

  /** Builds a frame now (tests, the final frame). */
  flush(): void {
    this.frames.flush();
  }

  close(): void {
    this.frames.close();
    this.browser.close();
    this.listeners.clear();
  }

  private draw(): void {
    this.snapshot = this.build();
    for (const l of [...this.listeners]) l();
  }

  private changed(urgent: boolean): void {
    this.version++;
    this.frames.changed(urgent);
  }

  /** Spinner and clocks: five frames a second while a step runs (output redraws anyway), once a second otherwise. */
  private tickMs(): number | undefined {
    if (!this.ticking || this.end || this.suspendedFlag) return undefined;
    const busy = this.current?.state === "running" && !this.pending;
    const preparing = !this.run && !this.pending;
    return busy || preparing ? 200 : 1000;
  }

  private build(): TuiSnapshot {
    const cur = this.current;
    if (this.valuesDirty) {
      this.valuesView = new Map(this.values);
      this.valuesDirty = false;
    }
    const curView = cur?.view();
    const prev = this.records.previous;
    const opened = this.browser.frame(curView);
    return {
      version: this.version,
      readOnly: this.readOnly,
      runbook: this.runbook,
      now: this.clock(),
      title: this.runbook.title,
      file: this.runbook.file,
      steps: this.rows,
      interrupting: this.interruptingFlag,
      suspended: this.suspendedFlag,
      help: this.helpFlag,
      values: this.valuesView,
      mask: this.mask,
      ...(this.run ? { run: this.run } : {}),
      ...(this.end ? { end: this.end } : {}),
      ...(this.notice ? { notice: this.notice } : {}),
      ...(this.pending
        ? {
            prompt: {
              prompt: this.pending.prompt,
              input: this.pending.input,
              shownAt: this.pending.shownAt,
              ...(this.pending.error ? { error: this.pending.error } : {}),
            },
          }
        : {}),
      ...(curView ? { current: curView } : {}),
      ...(prev ? { previous: prev.view() } : {}),
      ...(this.browser.selected !== undefined
        ? { selected: this.browser.selected }
        : {}),
      ...(opened ? { opened } : {}),
      continuing: this.continuingFlag,
      proseExpanded: this.browser.proseExpanded,
      records: this.end ? this.records.views() : new Map(),
    };
  }

  /** The step on screen. */
  private get current(): StepProgress | undefined {
    return this.records.current;
  }

  private focus(step: Step, reset = false): StepProgress {
    const { progress, changed } = this.records.focus(step, reset);
    if (changed) {
      this.notice = undefined;
      this.browser.stepChanged();
    }
    return progress;
  }

  private currentFor(stepId: string): StepProgress | undefined {
    if (this.current?.step.id === stepId) return this.current;
    const step = this.stepsById.get(stepId);
    return step ? this.focus(step) : undefined;
  }

  private updateRow(
    id: string,
    patch: { [K in keyof StepRow]?: StepRow[K] | undefined },
  ): void {
    this.rows = this.rows.map((r) => {
      if (r.id !== id) return r;
      const next: Record<string, unknown> = { ...r };
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete next[k];
        else next[k] = v;
      }
      return next as unknown as StepRow;
    });
  }

  private setValue(name: string, value: DisplayValue): void {
    this.values.set(name, value);
    this.valuesDirty = true;
    if (
      value.secret &&
      value.kind === "param" &&
      value.value !== undefined &&
      value.value !== ""
    ) {
      this.secrets.add(value.value);
      this.redactor = undefined;
    }
  }
}
