import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers.js";

const CLI = path.join(ROOT, "dist/cli.js");

/** Runs the built CLI (`npm run build` first), as an operator would. */
export function cli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): { status: number; stdout: string; stderr: string } {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The run ids in a state dir, oldest first. */
export function runIds(stateDir: string): string[] {
  const dir = path.join(stateDir, "runs");
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * Starts a run and kills it (kill -9) once the journal shows `step` started:
 * a crash mid-step, the case resume must handle with an unknown state. The
 * step's own process group (journaled, and outliving runbook) is killed too,
 * as in a crash of the machine: resume refuses to go on beside a live one.
 */
export async function crashDuring(
  args: readonly string[],
  step: string,
  options: { cwd: string; stateDir: string; env?: Record<string, string> },
): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: "ignore",
  });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      const id = runIds(options.stateDir)[0];
      const journal = id
        ? path.join(options.stateDir, "runs", id, "journal.jsonl")
        : undefined;
      if (
        id &&
        journal &&
        existsSync(journal) &&
        readFileSync(journal, "utf8").includes(`"type":"step-start","at":`) &&
        readFileSync(journal, "utf8").includes(`"step":"${step}"`)
      )
        return id;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`the run never reached step ${step}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null
        ? r(undefined)
        : child.once("exit", r),
    );
    for (const id of runIds(options.stateDir)) {
      const journal = path.join(options.stateDir, "runs", id, "journal.jsonl");
      for (const line of existsSync(journal)
        ? readFileSync(journal, "utf8").split("\n")
        : []) {
        const entry = line.trim()
          ? (JSON.parse(line) as { type: string; pgid?: number })
          : undefined;
        if (entry?.type !== "group" || !entry.pgid) continue;
        try {
          process.kill(-entry.pgid, "SIGKILL");
        } catch {
          // ended already
        }
      }
    }
  }
}
