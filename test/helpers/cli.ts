import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const CLI = path.resolve(import.meta.dirname, "../../dist/cli.js");

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (`npm test` builds first) and collects its output. */
export function cli(
  args: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
  },
): Promise<CliResult> {
  return collect(start(args, options), options.timeoutMs ?? 60_000);
}

/** Starts the CLI in a process group of its own (so a test can kill -9 it like an operator's lost terminal). */
export function start(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined> },
): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

export function collect(
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => child.pid && process.kill(-child.pid, "SIGKILL"),
      timeoutMs,
    );
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Polls until `predicate` holds (or throws after `timeoutMs`). */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
