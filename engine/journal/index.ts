export {
  JOURNAL_VERSION,
  type JournalEntry,
  type RunEntry,
  type RunParamEntry,
} from "./entries.js";
export { JournalWriter, JournalWriteError } from "./journal-writer.js";
export { fsProblem } from "./fs-problem.js";
export {
  readJournal,
  JournalError,
  type JournalRead,
} from "./journal-reader.js";
export {
  runState,
  type RunState,
  type StepGroup,
  type StepRecord,
} from "./run-state.js";
export {
  acquireRunLock,
  runLockHolder,
  lockedMessage,
  LockedError,
  type LockHolder,
  type RunLock,
} from "./run-lock.js";
export {
  newRunId,
  runsDir,
  runDir,
  journalFile,
  listRuns,
  latestUnfinishedRun,
} from "./runs.js";
export { ensurePrivateDir } from "./private-files.js";
export { runbookIdentity, gitRoot, type RunbookIdentity } from "./identity.js";
export { FileStateStore, type FileStoreOptions } from "./file-store.js";
export { OutputLog } from "./file-output-log.js";
export { openStateStore, isDatabaseUrl, type StateSpec } from "./open-store.js";
export { maskedUrl } from "./postgres/masked-url.js";
export { summaryOf } from "./summary.js";
export type {
  StateStore,
  JournalSink,
  OutputSink,
  LockRequest,
  LogText,
  RunSummary,
  FollowCursor,
  FollowBatch,
} from "./state-store.js";
export { readRunRecord, type RunRecord } from "./run-record.js";
