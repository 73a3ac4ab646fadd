import type { Writable } from 'node:stream';

/**
 * Writes to a stream and remembers when it asked the writer to wait: while
 * `drained` is set, a producer should stop reading until it resolves. The
 * output log and the line reporters share this, so a slow disk or pipe never
 * turns into unbounded buffering.
 */
export class DrainWriter {
  private pending: Promise<void> | undefined;

  constructor(private readonly stream: Writable) {}

  write(text: string): void {
    if (!this.stream.write(text) && !this.pending) {
      this.pending = new Promise((resolve) =>
        this.stream.once('drain', () => {
          this.pending = undefined;
          resolve();
        }),
      );
    }
  }

  /** Set while the stream's buffer is over its high-water mark. */
  get drained(): Promise<void> | undefined {
    return this.pending;
  }
}
