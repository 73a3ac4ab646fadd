import { rm } from "node:fs/promises";
import { findRunningDataDirs, stopServer } from "./stop-server.js";

/**
 * Stops every server whose data directory is under `root`, then removes
 * `root`. Safe on a half-built sandbox and on one already removed.
 */
export async function destroySandbox(root: string): Promise<void> {
  const stops = await Promise.allSettled(
    (await findRunningDataDirs(root)).map(stopServer),
  );
  // Remove even if a server would not stop: it was SIGKILLed, and nothing else can be done.
  await rm(root, { recursive: true, force: true, maxRetries: 3 });
  const failure = stops.find((stop) => stop.status === "rejected");
  if (failure !== undefined) throw failure.reason;
}
