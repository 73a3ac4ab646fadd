import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
} from "node:fs";
import path from "node:path";
import { logFile, OutputLog } from "./file-output-log.js";
import {
  JournalError,
  readJournal,
  type JournalRead,
} from "./journal-reader.js";
import { JournalWriter } from "./journal-writer.js";
import { acquireRunLock, runLockHolder, type RunLock } from "./run-lock.js";
import { runState } from "./run-state.js";
import { journalFile, listRuns, runDir } from "./runs.js";
import type {
  FollowBatch,
  FollowCursor,
  LockRequest,
  LogText,
  RunSummary,
  StateStore,
} from "./state-store.js";
import { summaryOf } from "./summary.js";

export interface FileStoreOptions {
  /** Absolute. */
  readonly stateDir: string;
  /**
   * A folder every run of this user on this machine sees, whatever its state
   * dir or clone (`$XDG_RUNTIME_DIR/runbook/locks`, else one under the temp
   * dir): the run lock is taken there too, so two clones or two state dirs
   * cannot run the same runbook at once.
   */
  readonly machineLockDir?: string;
  /** `--state-dir X` to name this store again; empty for the default. */
  readonly flag: string;
}

/** Output logs bigger than this are read as head and tail. */
const LOG_LIMIT = { max: 512 * 1024, head: 128 * 1024 };

/** Runs as files: `<state-dir>/runs/<run-id>/journal.jsonl` and `output/<step>.log` beside it (SPEC 2). */
export class FileStateStore implements StateStore {
  readonly kind = "files";
  readonly where: string;
  readonly flag: string;

  constructor(private readonly options: FileStoreOptions) {
    this.where = options.stateDir;
    this.flag = options.flag;
  }

  private lockDirs(): string[] {
    return [
      path.join(this.options.stateDir, "locks"),
      ...(this.options.machineLockDir ? [this.options.machineLockDir] : []),
    ];
  }

  async acquireLock(r: LockRequest): Promise<RunLock> {
    const taken: RunLock[] = [];
    try {
      for (const dir of this.lockDirs()) {
        taken.push(
          acquireRunLock({
            dir,
            identity: r.identity,
            label: r.label,
            runId: r.runId,
            pid: r.pid,
            user: r.user,
            host: r.host,
            ...(r.now ? { now: r.now } : {}),
          }),
        );
      }
    } catch (error) {
      for (const lock of taken.reverse()) lock.release();
      throw error;
    }
    return {
      file: taken[0]?.file ?? "",
      release: () => taken.reverse().forEach((lock) => lock.release()),
    };
  }

  async lockHolder(
    identity: string,
    self: { readonly pid: number; readonly host: string },
  ) {
    for (const dir of this.lockDirs()) {
      const holder = runLockHolder({
        dir,
        identity,
        pid: self.pid,
        host: self.host,
      });
      if (holder) return holder;
    }
    return undefined;
  }

  openJournal(runId: string): JournalWriter {
    return JournalWriter.open(runDir(this.options.stateDir, runId));
  }

  outputLog(runId: string, stepId: string): OutputLog {
    return new OutputLog(runDir(this.options.stateDir, runId), stepId);
  }

  logLocation(runId: string, stepId: string): string {
    return logFile(runDir(this.options.stateDir, runId), stepId);
  }

  async readJournal(runId: string): Promise<JournalRead> {
    if (
      !/^[\w.-]+$/.test(runId) ||
      !existsSync(journalFile(this.options.stateDir, runId))
    )
      throw new JournalError(`no run ${runId} in ${this.where}`);
    return readJournal(journalFile(this.options.stateDir, runId));
  }

  async listRuns(): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const runId of listRuns(this.options.stateDir)) {
      const file = journalFile(this.options.stateDir, runId);
      try {
        out.push(summaryOf(readJournal(file).entries));
      } catch {
        continue;
      }
    }
    return out;
  }

  async latestUnfinished() {
    for (const runId of listRuns(this.options.stateDir)) {
      try {
        const state = runState(
          readJournal(journalFile(this.options.stateDir, runId)).entries,
        );
        if (!state.finished) return { runId, state };
      } catch {
        continue;
      }
    }
    return undefined;
  }

  async readLog(
    runId: string,
    stepId: string,
    limit = LOG_LIMIT,
  ): Promise<LogText | undefined> {
    return readLogFile(this.logLocation(runId, stepId), limit);
  }

  async poll(
    runId: string,
    cursor: FollowCursor | undefined,
  ): Promise<FollowBatch> {
    const journal = await this.readJournal(runId);
    const seen = cursor?.entries ?? 0;
    const offsets: Record<string, number> = cursor
      ? (JSON.parse(cursor.output) as Record<string, number>)
      : {};
    const output: { step: string; text: string }[] = [];
    const dir = path.join(runDir(this.options.stateDir, runId), "output");
    const names = existsSync(dir) ? readdirSync(dir) : [];
    // Output in the order the journal started the steps: a follower shows the step that runs last.
    const steps = journal.entries.flatMap((e) =>
      e.type === "step-start" ? [e.step] : [],
    );
    for (const step of [...new Set(steps)]) {
      const name = path.basename(this.logLocation(runId, step));
      if (!names.includes(name)) continue;
      const from = offsets[step] ?? 0;
      const chunk = readFrom(path.join(dir, name), from);
      if (chunk.length === 0) continue;
      // Only whole characters: a UTF-8 sequence cut at the end waits for the next poll.
      const end = wholeUtf8(chunk);
      offsets[step] = from + end;
      output.push({ step, text: chunk.subarray(0, end).toString("utf8") });
    }
    return {
      entries: journal.entries.slice(seen),
      output,
      cursor: {
        entries: journal.entries.length,
        output: JSON.stringify(offsets),
      },
    };
  }

  async close(): Promise<void> {}
}

function readFrom(file: string, offset: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(Math.min(size - offset, 1 << 20));
    const n = readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The length of `b` up to its last whole UTF-8 character. */
export function wholeUtf8(b: Buffer): number {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && ((b[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b.length;
  const lead = b[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return b.length - i >= need ? b.length : i;
}

/** A log's text; a huge one as its head and tail, so a page stays readable. */
function readLogFile(
  file: string,
  limit: { readonly max: number; readonly head: number },
): LogText | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= limit.max) {
      const buffer = Buffer.alloc(size);
      readSync(fd, buffer, 0, size, 0);
      return { text: buffer.toString("utf8"), omittedBytes: 0, path: file };
    }
    const head = Buffer.alloc(limit.head);
    readSync(fd, head, 0, limit.head, 0);
    const tailSize = limit.max - limit.head;
    const tail = Buffer.alloc(tailSize);
    readSync(fd, tail, 0, tailSize, size - tailSize);
    const omitted = size - limit.max;
    return {
      text: `${head.toString("utf8")}\n… ${omitted} bytes left out …\n${tail.toString("utf8")}`,
      omittedBytes: omitted,
      path: file,
    };
  } finally {
    closeSync(fd);
  }
}
