import type { RunStatus } from "../model/index.js";
import type { JournalEntry } from "./entries.js";
import type { JournalRead } from "./journal-reader.js";
import type { LockHolder, RunLock } from "./run-lock.js";
import type { RunState } from "./run-state.js";

/**
 * Where runs are kept: their journals, their steps' output and the run lock
 * (SPEC 2 "State can be shared"). Two implementations pass the same contract
 * test (test/engine/journal/state-contract.test.ts): files under a state dir
 * (`.runbook/`, the default) and a PostgreSQL database (`--state postgres://…`).
 *
 * Writing is synchronous where the engine must not go on before it is durable
 * (`JournalSink.append`: fsync'ed, or committed); everything else is async.
 */
export interface StateStore {
  readonly kind: "files" | "postgres";
  /** Where it is, for messages: a folder, or the database URL with its password masked. */
  readonly where: string;
  /** The command-line words that name this store again (`--state-dir X`, `--state postgres://…`), empty for the default. */
  readonly flag: string;
  /**
   * Takes the run lock of a runbook identity for the life of a run.
   * @throws {LockedError} naming the holder, when another live run has it.
   */
  acquireLock(request: LockRequest): Promise<RunLock>;
  /** The live holder of an identity's lock other than `pid` on this host, if any: a command can refuse before it starts anything. */
  lockHolder(
    identity: string,
    self: { readonly pid: number; readonly host: string },
  ): Promise<LockHolder | undefined>;
  /**
   * Opens a run's journal for appending.
   * @throws {JournalWriteError} when it cannot be.
   */
  openJournal(runId: string): JournalSink;
  /** A step's full output (masked by the caller), written as it comes, bounded in memory. */
  outputLog(runId: string, stepId: string): OutputSink;
  /** Where a step's output log is kept, for the operator (the sink's `location`, without opening it). */
  logLocation(runId: string, stepId: string): string;
  /** @throws {JournalError} when there is no such run or its journal cannot be read. */
  readJournal(runId: string): Promise<JournalRead>;
  /** Every run, newest first. */
  listRuns(): Promise<RunSummary[]>;
  /** The newest run that did not finish, with its state. */
  latestUnfinished(): Promise<{ runId: string; state: RunState } | undefined>;
  /** A step's output log: whole up to `limit` bytes, else its head and tail. */
  readLog(
    runId: string,
    stepId: string,
    limit?: { readonly max: number; readonly head: number },
  ): Promise<LogText | undefined>;
  /** What was added to a run since `cursor` (for `follow`). */
  poll(runId: string, cursor: FollowCursor | undefined): Promise<FollowBatch>;
  close(): Promise<void>;
}

export interface LockRequest {
  /** The runbook's identity (front matter `id:`, or its path from the git root). */
  readonly identity: string;
  /** How a refusal names the runbook. */
  readonly label: string;
  readonly runId: string;
  readonly pid: number;
  readonly user: string;
  readonly host: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** Appends journal entries; once `append` returns, the entry is durable (fsync'ed or committed). */
export interface JournalSink {
  /** @throws {JournalWriteError} when it could not be made durable: the run must stop at once. */
  append(entry: JournalEntry): void;
  close(): void;
}

/** A step's output log. A failure never stops the step; the run loop reads `failure` after `close()`. */
export interface OutputSink {
  /** Where the log is kept, for the operator: a file's path, or the run and step in the state database. */
  readonly location: string;
  /** Text written before any output (a header): kept until the step prints something. */
  header(text: string): void;
  write(text: string): void;
  /** Set while the log cannot take more: the producer waits for it before reading on. */
  readonly backpressure: Promise<void> | undefined;
  /** Why (some of) the output could not be saved, once `close()` has resolved. */
  readonly failure: string | undefined;
  close(): Promise<void>;
}

export interface LogText {
  readonly text: string;
  readonly omittedBytes: number;
  /** Where the whole log is, for a reader who wants more. */
  readonly path: string;
}

/** One line of `runbook runs`. */
export interface RunSummary {
  readonly runId: string;
  /** The runbook's identity. */
  readonly runbook: string;
  readonly title: string;
  readonly file: string;
  readonly user: string;
  readonly host: string;
  readonly cwd: string;
  readonly mode: "live" | "rehearsal";
  readonly startedAt: string;
  /** When the last event was written. */
  readonly updatedAt: string;
  /** The last run-end's status; `unfinished` when the run has none yet (running, or its runbook died). */
  readonly outcome: RunStatus | "unfinished";
}

export interface FollowCursor {
  readonly entries: number;
  /** Opaque position in the output (a chunk id, or byte offsets per step). */
  readonly output: string;
}

export interface FollowBatch {
  readonly entries: readonly JournalEntry[];
  readonly output: readonly { readonly step: string; readonly text: string }[];
  readonly cursor: FollowCursor;
}
