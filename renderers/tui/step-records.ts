import type { Step } from "../../engine/model/index.js";
import { LogPager } from "./log-pager.js";
import { StepProgress } from "./step-progress.js";
import type { CurrentStep, StepRow } from "./tui-state.js";

/** Lines of output a finished step keeps for the screen once the next one is on it. */
const FINISHED_LINES = 40;
/** Lines shown of a step whose outcome is unknown (read from the end of its log). */
const TAIL_LINES = 12;

export interface StepRecordsOptions {
  /** Lines of output kept for the step on screen. */
  readonly outputLines: number;
  readonly row: (stepId: string) => StepRow | undefined;
}

/**
 * What happened to each step in this session: the one on screen keeps its
 * last `outputLines` lines, the others their last few, so the step that just
 * finished stays readable above the next question, any step can be opened,
 * and the proof summary has every check's outcome.
 */
export class StepRecords {
  private readonly progress = new Map<string, StepProgress>();
  private currentStep: StepProgress | undefined;
  /** The last step that finished after it started (it stays on screen while the next one is asked about). */
  private previousId: string | undefined;

  constructor(private readonly options: StepRecordsOptions) {}

  get current(): StepProgress | undefined {
    return this.currentStep;
  }

  get(stepId: string): StepProgress | undefined {
    return this.progress.get(stepId);
  }

  /** The step that finished last, when another one is on screen. */
  get previous(): StepProgress | undefined {
    return this.previousId !== undefined &&
      this.previousId !== this.currentStep?.step.id
      ? this.progress.get(this.previousId)
      : undefined;
  }

  /** Puts a step on screen (`reset`: a new attempt starts from a clean slate). */
  focus(
    step: Step,
    reset = false,
  ): { readonly progress: StepProgress; readonly changed: boolean } {
    const cur = this.currentStep;
    if (cur?.step.id === step.id) {
      if (reset) cur.reset();
      return { progress: cur, changed: false };
    }
    cur?.compact(FINISHED_LINES);
    let next = this.progress.get(step.id);
    if (next) {
      next.expand(this.options.outputLines);
      if (reset) next.reset();
    } else {
      const row = this.options.row(step.id);
      next = new StepProgress(step, {
        state: row?.state ?? "pending",
        attempt: row?.attempt ?? 0,
        outputLines: this.options.outputLines,
      });
      this.progress.set(step.id, next);
    }
    this.currentStep = next;
    return { progress: next, changed: true };
  }

  /** The step's text as the runbook says now (read again by the engine). */
  reread(step: Step): void {
    const p = this.progress.get(step.id);
    if (p) p.step = step;
  }

  /** A step ended: if it had started, it is the one shown as just finished. */
  ended(stepId: string): void {
    if (this.progress.get(stepId)?.startedAt !== undefined)
      this.previousId = stepId;
  }

  /** A step as it is now: what happened to it in this session, or its row's state. */
  view(step: Step | undefined): CurrentStep | undefined {
    if (!step) return undefined;
    const p = this.progress.get(step.id);
    if (p) return p.view();
    const row = this.options.row(step.id);
    return new StepProgress(step, {
      state: row?.state ?? "pending",
      attempt: row?.attempt ?? 0,
      outputLines: 1,
    }).view();
  }

  /** Every step that was on screen, for the summary. */
  views(): ReadonlyMap<string, CurrentStep> {
    return new Map([...this.progress].map(([id, p]) => [id, p.view()]));
  }

  /**
   * A skip that leaves the step unproven (SPEC 2): after it failed, was
   * interrupted or its outcome was unknown, or once some of its code ran. A
   * skip at the step's question, before anything of it ran, is a choice.
   */
  skippedUnproven(stepId: string): boolean {
    const row = this.options.row(stepId);
    if (row?.state === "failed" || row?.state === "unknown") return true;
    const cur = this.progress.get(stepId);
    if (!cur) return false;
    return [...cur.actions].some(([i, a]) => {
      const action = cur.step.actions[i];
      return (
        action !== undefined &&
        action.kind !== "manual" &&
        action.kind !== "confirm" &&
        a.state !== "skipped" &&
        a.answer === undefined
      );
    });
  }

  /** A resumed step in an unknown state: the last lines its log has, read from the end of the file. */
  loadLogTail(stepId: string, file: string): void {
    const cur = this.progress.get(stepId);
    if (!cur) return;
    const pager = new LogPager(file);
    pager.index(64 << 20);
    // The engine wrote the log masked: it is shown as it is.
    const lines = pager
      .tail(TAIL_LINES)
      .map((l) => ({ stream: "stdout" as const, text: l.text, cut: l.cut }));
    cur.outputLog = file;
    cur.logTail = { lines, total: pager.lines, missing: pager.missing };
  }
}
