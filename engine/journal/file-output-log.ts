import { createWriteStream, type WriteStream } from "node:fs";
import path from "node:path";
import { DrainWriter } from "../run/drain-writer.js";
import { fsProblem } from "./fs-problem.js";
import { ensurePrivateDir } from "./private-files.js";
import type { OutputSink } from "./state-store.js";

/** Buffered log output above which the step's process is paused until the disk catches up. */
const HIGH_WATER = 4 << 20;

/**
 * A step's full output, masked, beside the journal (`output/<step>.log`).
 * Written as it arrives, off the main thread, with backpressure: a step may
 * print hundreds of megabytes, and neither the UI nor memory may suffer. The
 * file is only created when the step prints something.
 *
 * A log that cannot be written (a full disk) never stops the step that is
 * running: it is remembered in `failure`, and the run loop, which awaits
 * `close()`, never records the step as done without saying so (SPEC 2).
 */
/** The file a step's output is kept in, in a run's folder. */
export function logFile(runDir: string, stepId: string): string {
  return path.join(
    runDir,
    "output",
    `${stepId.replace(/[^\p{L}\p{N}._-]/gu, "_")}.log`,
  );
}

export class OutputLog implements OutputSink {
  private stream: WriteStream | undefined;
  private writer: DrainWriter | undefined;
  private pending = "";
  private problem: string | undefined;
  readonly file: string;
  get location(): string {
    return this.file;
  }

  constructor(
    private readonly runDir: string,
    stepId: string,
  ) {
    this.file = logFile(runDir, stepId);
  }

  /** Why (some of) the output could not be saved, once `close()` has resolved: `<file>: no space left on device (ENOSPC)`. */
  get failure(): string | undefined {
    return this.problem;
  }

  /** Text written before any output (a header): kept until the step prints something. */
  header(text: string): void {
    this.pending += text;
  }

  write(text: string): void {
    if (!text || this.problem) return;
    if (!this.stream) {
      try {
        ensurePrivateDir(path.dirname(this.file));
      } catch (error) {
        this.fail(error);
        return;
      }
      const stream = createWriteStream(this.file, {
        flags: "a",
        mode: 0o600,
        highWaterMark: HIGH_WATER,
      });
      stream.on("error", (error) => this.fail(error));
      this.stream = stream;
      this.writer = new DrainWriter(stream);
      text = this.pending + text;
      this.pending = "";
    }
    this.writer?.write(text);
  }

  /** Resolves when the log can take more: the producer should wait for it before reading on. */
  get backpressure(): Promise<void> | undefined {
    return this.writer?.drained;
  }

  /** Flushes and closes the file; afterwards `failure` says whether everything was saved. */
  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    this.writer = undefined;
    if (!stream || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      stream.once("close", () => resolve());
      stream.end();
    });
  }

  private fail(error: unknown): void {
    this.problem ??= fsProblem(error, this.file);
  }
}
