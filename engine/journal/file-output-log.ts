import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { fsProblem } from "./fs-problem.js";
import { ensurePrivateDir } from "./private-files.js";
import type { OutputSink } from "./state-store.js";

/** The file a step's output is kept in, in a run's folder. */
export function logFile(runDir: string, stepId: string): string {
  return path.join(
    runDir,
    "output",
    `${stepId.replace(/[^\p{L}\p{N}._-]/gu, "_")}.log`,
  );
}

/**
 * A step's full output, masked, beside the journal (`output/<step>.log`).
 * Written as it arrives, synchronously, before the screen shows it: what an
 * operator saw is in the log even when `runbook` is killed the next moment
 * (the unknown-state prompt of a resume shows it from there). A step may print
 * hundreds of megabytes: each chunk is written and dropped, nothing is kept,
 * and a slow disk slows the step's reading (the pipe fills), not memory. The
 * file is only created when the step prints something.
 *
 * A log that cannot be written (a full disk) never stops the step that is
 * running: it is remembered in `failure`, and the run loop, which awaits
 * `close()`, never records the step as done without saying so (SPEC 2).
 */
export class OutputLog implements OutputSink {
  private fd: number | undefined;
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
    try {
      if (this.fd === undefined) {
        ensurePrivateDir(path.dirname(this.file));
        this.fd = openSync(this.file, "a", 0o600);
        text = this.pending + text;
        this.pending = "";
      }
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length;)
        at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Never holds the step back: every write is done when `write` returns. */
  get backpressure(): Promise<void> | undefined {
    return undefined;
  }

  /** Closes the file; afterwards `failure` says whether everything was saved. */
  close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined)
      try {
        closeSync(fd);
      } catch (error) {
        this.fail(error);
      }
    return Promise.resolve();
  }

  private fail(error: unknown): void {
    this.problem ??= fsProblem(error, this.file);
  }
}
