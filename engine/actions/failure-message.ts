/** The one place that says why a process-backed action failed (execa's lib/return/message.js). */
export function failureMessage(r: {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly interrupted: boolean;
  readonly spawnError?: string;
  readonly expectedExit: number;
  readonly timeoutMs?: number | undefined;
  /** Processes that were still there after SIGKILL. */
  readonly left?: readonly string[] | undefined;
}): string {
  const left = r.left?.length
    ? `; still running after SIGKILL (uninterruptible?): ${r.left.join(", ")}`
    : "";
  return reason(r) + left;
}

function reason(r: Parameters<typeof failureMessage>[0]): string {
  if (r.spawnError) return `could not start: ${r.spawnError}`;
  if (r.timedOut)
    return `timed out after ${formatDuration(r.timeoutMs ?? 0)}: the step's process group was stopped`;
  if (r.interrupted) return "interrupted: the step's process group was stopped";
  if (r.signal) return `killed by ${r.signal}`;
  if (r.exitCode === 255 && r.expectedExit !== 255)
    return `exit status 255 (for an on= block this is often ssh failing to connect)`;
  return `exit status ${r.exitCode ?? "?"}${r.expectedExit === 0 ? "" : `, expected ${r.expectedExit}`}`;
}
import { formatDuration } from "../model/index.js";
