/**
 * Ctrl-C for a run: `interrupt()` stops the step that is running (its process
 * group is killed); after the operator decides what next, the engine calls
 * `reset()` so the next step gets a fresh signal. `quit()` ends the run.
 */
export class Interrupter {
  private controller = new AbortController();
  private readonly quitController = new AbortController();

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

  reset(): void {
    if (this.controller.signal.aborted && !this.quitController.signal.aborted) this.controller = new AbortController();
  }
}
