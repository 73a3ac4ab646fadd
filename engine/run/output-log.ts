import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../journal/index.js';
import { DrainWriter } from './drain-writer.js';

/** Buffered log output above which the step's process is paused until the disk catches up. */
const HIGH_WATER = 4 << 20;

/**
 * A step's full output, masked, beside the journal (`output/<step>.log`).
 * Written as it arrives, off the main thread, with backpressure: a step may
 * print hundreds of megabytes, and neither the UI nor memory may suffer. The
 * file is only created when the step prints something.
 */
export class OutputLog {
  private stream: WriteStream | undefined;
  private writer: DrainWriter | undefined;
  private pending = '';
  readonly file: string;

  constructor(private readonly runDir: string, stepId: string) {
    this.file = path.join(runDir, 'output', `${stepId.replace(/[^\p{L}\p{N}._-]/gu, '_')}.log`);
  }

  /** Text written before any output (a header): kept until the step prints something. */
  header(text: string): void {
    this.pending += text;
  }

  write(text: string): void {
    if (!text) return;
    if (!this.stream) {
      ensurePrivateDir(path.dirname(this.file));
      this.stream = createWriteStream(this.file, { flags: 'a', mode: 0o600, highWaterMark: HIGH_WATER });
      this.stream.on('error', () => {
        // A full disk must not stop the step: the journal, which is fsync'ed, is the record.
      });
      this.writer = new DrainWriter(this.stream);
      text = this.pending + text;
      this.pending = '';
    }
    this.writer?.write(text);
  }

  /** Resolves when the log can take more: the producer should wait for it before reading on. */
  get backpressure(): Promise<void> | undefined {
    return this.writer?.drained;
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    this.writer = undefined;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(() => resolve()));
  }
}
