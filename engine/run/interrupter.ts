/**
 * Ctrl-C for a run: `interrupt()` stops the step that is running (its process
 * group is killed); after the operator decides what next, the engine calls
 * `reset()` so the next step gets a fresh signal. `quit()` ends the run.
 */
export class Interrupter {
  private controller = new AbortController();
  private readonly quitController = new AbortController();
  private stopReason: string | undefined;

  /** Aborted when the current step must stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborted when the whole run must stop (a second Ctrl-C, SIGTERM). */
  get quitSignal(): AbortSignal {
    return this.quitController.signal;
  }

  get interrupted(): boolean {
    return this.controller.signal.aborted;
  }

  interrupt(): void {
    this.controller.abort();
  }

  quit(): void {
    this.controller.abort();
    this.quitController.abort();
  }

  /**
   * Ends the run at the next step boundary: the step that runs finishes (it
   * is not cut in half), then the run stops, resumable. For a reason that is
   * no emergency: nobody can see the output any more (a closed pipe).
   */
  stopAfterStep(reason: string): void {
    this.stopReason ??= reason;
  }

  /** Why the run must stop before its next step, if it must. */
  get stopRequested(): string | undefined {
    return this.stopReason;
  }

  reset(): void {
    if (this.controller.signal.aborted && !this.quitController.signal.aborted)
      this.controller = new AbortController();
  }
}
