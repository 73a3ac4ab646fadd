// The executors, one per action kind, and the process plumbing the run loop,
// preflight, the sandbox and cli/ share. Another folder imports them from here.
export { lookupVar, type ActionContext, type ActionResult } from "./context.js";
export { Connections, type ResolvedDatabase, type pg } from "./connections.js";
export { databaseEnv } from "./database-env.js";
export {
  checkTimeout,
  differsInsideSecret,
  noDatabase,
  retryNote,
  waitRanOut,
} from "./failure-message.js";
export { runConsole } from "./console.js";
export { runFile } from "./file.js";
export { runPsql, psqlSetLines } from "./psql.js";
export { runShell, runScript, shellArgv } from "./shell.js";
export { runSql } from "./sql.js";
export { remoteInvocation, shQuote } from "./remote.js";
export { userProblem, withUser } from "./user.js";
export {
  runProcess,
  type ProcessOptions,
  type ProcessResult,
} from "./process.js";
export {
  ancestry,
  listProcesses,
  processCwd,
  processEnviron,
  processInfo,
  type ProcessInfo,
} from "./process-table.js";
export {
  liveGroupMembers,
  stopProcessGroup,
  type StopGroupOptions,
  type StopGroupResult,
} from "./process-group.js";
