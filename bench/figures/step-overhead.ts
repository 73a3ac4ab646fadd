import { writeFileSync } from "node:fs";
import path from "node:path";
import { trivialRunbook } from "../generate.js";
import type { BenchContext, Figure } from "../figure.js";
import { slope, summarize, timeProcess } from "../measure.js";

const COUNTS = [1, 100, 500];

/**
 * Per-step overhead of a trivial `sh` step in `run --yes` (journal fsync'ed),
 * from the slope over 1, 100 and 500 steps, against a raw piped
 * child_process.spawn of `bash -c true` from Node, the same counts.
 */
export async function stepOverhead(ctx: BenchContext): Promise<Figure> {
  const floorScript = path.join(ctx.dir, "spawn-floor.mjs");
  writeFileSync(
    floorScript,
    `import { spawn } from 'node:child_process';
const n = Number(process.argv[2]);
for (let i = 0; i < n; i++) await new Promise((resolve) => {
  const c = spawn('bash', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout.resume(); c.stderr.resume(); c.on('close', resolve);
});
`,
  );
  const ours: [number, number][] = [];
  const floor: [number, number][] = [];
  const perRun: number[][] = [[], []];
  for (const n of COUNTS) {
    const file = path.join(ctx.dir, `steps-${n}.md`);
    writeFileSync(file, trivialRunbook(n));
    const o = await timeProcess(
      process.execPath,
      [
        ctx.cli,
        "run",
        file,
        "--yes",
        "--reporter",
        "plain",
        "--state-dir",
        path.join(ctx.diskDir, "state"),
      ],
      { cwd: ctx.dir, runs: ctx.runs },
    );
    const f = await timeProcess(process.execPath, [floorScript, String(n)], {
      runs: ctx.runs,
    });
    ours.push([n, o.median]);
    floor.push([n, f.median]);
    perRun[0]?.push(o.max - o.min);
    perRun[1]?.push(f.max - f.min);
    ctx.log(
      `  ${n} steps: runbook ${o.median.toFixed(0)} ms, raw spawn ${f.median.toFixed(0)} ms`,
    );
  }
  const s = slope(ours);
  const sf = slope(floor);
  return {
    name: "per-step overhead of a trivial sh step (run --yes, journal fsync'ed), slope over 1/100/500 steps",
    ours: summarize([s]),
    floor: summarize([sf]),
    ratio: s / sf,
    budget: "≤ 1.5×",
    ok: s / sf <= 1.5,
    notes: `whole runs: ${ours.map(([n, t]) => `${n}→${t.toFixed(0)}ms`).join(", ")}; floor ${floor.map(([n, t]) => `${n}→${t.toFixed(0)}ms`).join(", ")}`,
  };
}
