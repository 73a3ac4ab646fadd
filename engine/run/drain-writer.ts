import type { Writable } from "node:stream";

/**
 * Writes to a stream and remembers when it asked the writer to wait: while
 * `drained` is set, a producer should stop reading until it resolves. The
 * output log and the line reporters share this, so a slow disk or pipe never
 * turns into unbounded buffering.
 *
 * A stream that failed (EPIPE: its reader went away; ENOSPC: a full disk) or
 * closed never drains: then the wait ends at once and later writes are
 * dropped, so that a step is never stalled by output nobody can receive.
 */
export class DrainWriter {
  private pending: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private failed: Error | undefined;

  constructor(private readonly stream: Writable) {
    const settle = (): void => {
      const release = this.release;
      this.pending = undefined;
      this.release = undefined;
      release?.();
    };
    stream.on("drain", settle);
    stream.on("close", settle);
    stream.on("error", (error: Error) => {
      this.failed ??= error;
      settle();
    });
  }

  /** The error that ended the stream, if one did; writes are dropped since. */
  get error(): Error | undefined {
    return this.failed;
  }

  write(text: string): void {
    if (this.failed || this.stream.destroyed || this.stream.writableEnded)
      return;
    if (!this.stream.write(text) && !this.pending) {
      this.pending = new Promise((resolve) => (this.release = resolve));
    }
  }

  /** Set while the stream's buffer is over its high-water mark. */
  get drained(): Promise<void> | undefined {
    return this.pending;
  }
}
