import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { BenchContext, Figure } from "../figure.js";
import { summarize } from "../measure.js";

/**
 * The whole library rehearsed as CI does it: test/runbooks/runbooks.test.ts
 * rehearses every runbook of runbooks/ and examples/ and a broken copy of
 * each, two at a time, and prints the wall-clock time of the rehearsals.
 * Run once (it takes minutes); the figure is that wall time, and the whole
 * vitest process's beside it. It has no budget yet: it is measured, and it
 * is met when every rehearsal ends as the test expects.
 */
export async function libraryRehearsal(ctx: BenchContext): Promise<Figure> {
  const root = path.resolve(path.dirname(ctx.cli), "..");
  const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
  if (!existsSync(vitest))
    throw new Error("vitest is not installed (npm install)");
  const started = performance.now();
  const { code, output } = await new Promise<{
    code: number | null;
    output: string;
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vitest, "run", "test/runbooks/runbooks.test.ts"],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
  const whole = performance.now() - started;
  const m =
    /(\d+) rehearsals, (\d+) at a time[\s\S]*?total ([\d.]+) s of rehearsal, ([\d.]+) s of wall-clock time/.exec(
      output,
    );
  if (!m)
    throw new Error(
      `the library test printed no rehearsal times (exit ${code}):\n${output.split("\n").slice(-20).join("\n")}`,
    );
  const wall = Number(m[4]) * 1000;
  // What failed, in vitest's words: a figure that is not met says why.
  const failed = output
    .split("\n")
    .filter((line) => /^\s*(×|✗|FAIL)\s/.test(line))
    .map((line) => line.trim())
    .slice(0, 5);
  ctx.log(`  ${m[1]} rehearsals, ${m[2]} at a time: ${m[4]} s wall`);
  return {
    name: "the whole library rehearsed (runbooks/ + examples/ and a broken copy of each, as CI does)",
    ours: summarize([wall]),
    budget: "measured (every rehearsal as expected)",
    ok: code === 0,
    notes: `${m[1]} rehearsals, ${m[2]} at a time; ${m[3]} s of rehearsal in all; the vitest process ${(whole / 1000).toFixed(0)} s${code === 0 ? "" : `; the test failed (exit ${code}): ${failed.join("; ") || "see the test's output"}`}`,
  };
}
