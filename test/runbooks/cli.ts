import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: rehearsals run from there, as a user running `runbook` would. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The built CLI. npm test builds it first; these tests never build anything. */
export const CLI = join(ROOT, "dist", "cli.js");

export function assertBuilt(): void {
  if (!existsSync(CLI))
    throw new Error(
      `${CLI} is missing: run \`npm run build\` first (npm test does)`,
    );
}

/** Without the caller's PG* variables, which would point a step's psql somewhere else. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !key.startsWith("PG")) env[key] = value;
  env["NO_COLOR"] = "1";
  return env;
}

export interface CliResult {
  readonly code: number | null;
  readonly output: string;
  readonly seconds: number;
}

/** Runs `node dist/cli.js ARGS` from the project root, killing it after `timeoutMs`. */
export function runCli(
  args: readonly string[],
  timeoutMs: number,
): Promise<CliResult> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // SIGTERM first: runbook then tears its sandbox down.
    const term = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 15_000);
    child.on("close", (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      done({ code, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Runs `jobs` with at most `limit` of them at a time, in the order given. */
export async function pool<T>(
  jobs: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (job) results[index] = await job();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, worker),
  );
  return results;
}

/** The last `lines` lines of a rehearsal's output, for a failure message. */
export function tail(output: string, lines = 40): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
