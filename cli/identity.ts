import { hostname, userInfo } from "node:os";

/** Who runs runbook, for the journal and the lock. */
export function identity(): {
  user: string;
  host: string;
  pid: number;
  isRoot: boolean;
} {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? "unknown");
  }
  return {
    user,
    host: hostname(),
    pid: process.pid,
    isRoot: process.getuid?.() === 0,
  };
}
