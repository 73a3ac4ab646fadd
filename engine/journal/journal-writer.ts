import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { RunbookError } from "../model/index.js";
import type { JournalEntry } from "./entries.js";
import { fsProblem } from "./fs-problem.js";
import { ensurePrivateDir, fsyncDir } from "./private-files.js";
import type { JournalSink } from "./state-store.js";

/**
 * The journal could not be written (a full disk, a read-only or lost file
 * system): the run stops at once (SPEC 2), exit 1, with this one line.
 */
export class JournalWriteError extends RunbookError {
  /**
   * @param where the journal: its file, or the state database
   * @param problem what went wrong, in the operator's words
   * @param runId the run to resume once it is fixed: the engine states the
   *   fact, cli/ words the command ({@link JournalWriteError.resumeWith})
   */
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly runId: string,
    cause: unknown,
    resume = ` resume run ${runId}`,
  ) {
    super(
      "STOPPED",
      `the journal cannot be written (${problem}): the run stopped at once, and a step it was running is left unknown. Fix that, then${resume}`,
      { cause },
    );
    this.name = "JournalWriteError";
  }

  /** The same error, ending with the command that continues the run (cli/ words it). */
  resumeWith(command: string): JournalWriteError {
    return new JournalWriteError(
      this.where,
      this.problem,
      this.runId,
      this.cause,
      `: ${command}`,
    );
  }

  /** The file journal's error: `<file>: no space left on device (ENOSPC)`. */
  static forFile(file: string, cause: unknown): JournalWriteError {
    const runId = path.basename(path.dirname(file));
    return new JournalWriteError(file, fsProblem(cause, file), runId, cause);
  }
}

/**
 * Appends entries to `journal.jsonl`. Each entry is one line, written and
 * fsync'ed before `append` returns: once the engine goes on, the entry is on disk.
 * When a write fails, the half-written line is cut off and every later
 * `append` throws the same JournalWriteError: the run cannot go on unrecorded.
 */
export class JournalWriter implements JournalSink {
  private fd: number | undefined;
  private size: number;
  private broken: JournalWriteError | undefined;
  readonly file: string;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  /**
   * Opens (creating if needed, mode 0600 in a 0700 folder) the journal in `runDir`.
   * @throws {JournalWriteError} when it cannot.
   */
  static open(runDir: string): JournalWriter {
    const file = path.join(runDir, "journal.jsonl");
    try {
      ensurePrivateDir(runDir);
      dropTornTail(file);
      const fd = openSync(file, "a", 0o600);
      fsyncDir(runDir);
      return new JournalWriter(file, fd);
    } catch (error) {
      throw JournalWriteError.forFile(file, error);
    }
  }

  append(entry: JournalEntry): void {
    if (this.broken) throw this.broken;
    if (this.fd === undefined)
      throw new Error(`journal ${this.file} is closed`);
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8");
    try {
      let written = 0;
      while (written < line.length)
        written += writeSync(this.fd, line, written, line.length - written);
      fsyncSync(this.fd);
      this.size += line.length;
    } catch (error) {
      this.broken = JournalWriteError.forFile(this.file, error);
      try {
        // A torn line would be dropped by the next open anyway; cut it now.
        ftruncateSync(this.fd, this.size);
      } catch {
        // Nothing more can be done on this file system.
      }
      throw this.broken;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // A close that fails after a failed write says nothing new.
    }
    this.fd = undefined;
  }
}

/** A crash mid-write leaves a partial last line: cut it off so the next entry starts a clean line. */
function dropTornTail(file: string): void {
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(file, bytes.lastIndexOf(0x0a) + 1);
}
