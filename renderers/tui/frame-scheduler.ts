export interface FrameSchedulerOptions {
  /** Builds the frame and tells the UI. */
  readonly draw: () => void;
  /** Minimum time between two frames that are not urgent. */
  readonly frameMs: number;
  /** How long until the clocks on screen need a new frame; undefined: they do not. */
  readonly tickMs: () => number | undefined;
  readonly clock: () => number;
}

/**
 * When to draw: urgent changes (a prompt, a step ending) on the next turn of
 * the event loop, output at most once every `frameMs`, and the spinner and
 * clocks when nothing else redraws. Timers never keep the process alive.
 */
export class FrameScheduler {
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private lastDraw = 0;
  /** What the last frame cost, React's commit included (measured after the microtasks it queued). */
  private lastCost = 0;
  private closed = false;

  constructor(private readonly options: FrameSchedulerOptions) {}

  /** Something changed: draw soon (`urgent`: on the next turn of the event loop). */
  changed(urgent: boolean): void {
    if (this.closed) return;
    if (urgent) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate ??= setImmediate(() => this.flush());
      return;
    }
    if (this.timer || this.immediate) return;
    // Output frames are paced by what a frame costs: the UI takes at most about a twentieth of a core
    // while a step streams, so the step's output is not slowed by its own display.
    const interval = Math.max(this.options.frameMs, this.lastCost * 20);
    const wait = Math.max(0, interval - (this.options.clock() - this.lastDraw));
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  /** Draws now. */
  flush(): void {
    this.cancel();
    const started = this.options.clock();
    this.lastDraw = started;
    this.options.draw();
    setImmediate(() => {
      this.lastCost = this.options.clock() - started;
    }).unref();
    if (this.closed) return;
    const tick = this.options.tickMs();
    if (tick === undefined) return;
    this.ticker = setTimeout(() => {
      this.ticker = undefined;
      this.flush();
    }, tick);
    this.ticker.unref();
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    if (this.ticker) clearTimeout(this.ticker);
    this.timer = undefined;
    this.immediate = undefined;
    this.ticker = undefined;
  }
}
