import type { Reporter, RunEvent } from "../../engine/run/index.js";
import type { TuiStore } from "./tui-store.js";

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** The engine's events, handed to the UI's store (which decides when to draw). */
export class TuiReporter implements Reporter {
  constructor(private readonly store: TuiStore) {}

  onRunStart(e: Of<"run-start">): void {
    this.store.runStart(e);
  }

  onStepStart(e: Of<"step-start">): void {
    this.store.stepStart(e);
  }

  onActionStart(e: Of<"action-start">): void {
    this.store.actionStart(e);
  }

  onOutput(e: Of<"output">): void {
    this.store.output(e);
  }

  onActionEnd(e: Of<"action-end">): void {
    this.store.actionEnd(e);
  }

  onCheckStart(e: Of<"check-start">): void {
    this.store.checkStart(e);
  }

  onCheckEnd(e: Of<"check-end">): void {
    this.store.checkEnd(e);
  }

  /** A `wait=` check's latest try: the screen shows the value it last got, not only the time it has waited. */
  onCheckProgress(e: Of<"check-progress">): void {
    this.store.checkProgress(e);
  }

  onCapture(e: Of<"capture">): void {
    this.store.capture(e);
  }

  onStepEnd(e: Of<"step-end">): void {
    this.store.stepEnd(e);
  }

  onNotice(e: Of<"notice">): void {
    this.store.noticeEvent(e);
  }

  onRunEnd(e: Of<"run-end">): void {
    this.store.runEnd(e);
  }
}
