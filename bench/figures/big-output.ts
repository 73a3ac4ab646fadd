import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  bigOutputCommand,
  bigOutputRunbook,
  trivialRunbook,
} from "../generate.js";
import type { BenchContext, Figure } from "../figure.js";
import { summarize, timeProcess } from "../measure.js";

const BYTES = 100_000_000;

/**
 * A step that prints 135 MB (`head -c 100000000 /dev/zero | base64`), minus
 * the same run of a 1-step runbook, against a Node script that spawns the
 * same producer and forwards it to stdout while writing it to a log file,
 * minus `node -e 0`. Peak RSS is also taken at a quarter of the output, to
 * show it stays flat as output grows.
 */
export async function bigOutput(
  ctx: BenchContext,
  reporter: "plain" | "tui",
): Promise<Figure> {
  const runs = ctx.runs;
  const big = path.join(ctx.dir, "big.md");
  const quarter = path.join(ctx.dir, "quarter.md");
  const one = path.join(ctx.dir, "one.md");
  writeFileSync(big, bigOutputRunbook(BYTES));
  writeFileSync(quarter, bigOutputRunbook(BYTES / 4));
  writeFileSync(one, trivialRunbook(1));
  const floorScript = path.join(ctx.dir, "forward-floor.mjs");
  writeFileSync(
    floorScript,
    `import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
const log = createWriteStream(${JSON.stringify(path.join(ctx.dir, "floor.log"))});
const c = spawn('sh', ['-c', ${JSON.stringify(bigOutputCommand(BYTES))}], { stdio: ['ignore', 'pipe', 'inherit'] });
c.stdout.on('data', (d) => { process.stdout.write(d); log.write(d); });
c.on('close', () => log.end());
`,
  );
  const state = path.join(ctx.dir, `state-${reporter}`);
  const runbook = (file: string): [string, string[]] => {
    const args = [
      ctx.cli,
      "run",
      file,
      "--yes",
      "--reporter",
      reporter,
      "--state-dir",
      state,
    ];
    if (reporter === "plain") return [process.execPath, args];
    // The UI needs a terminal: `script` gives the run a pseudo-terminal whose output is discarded.
    const line = [process.execPath, ...args]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(" ");
    return ["script", ["-qefc", `stty cols 100 rows 30; ${line}`, "/dev/null"]];
  };
  if (reporter === "tui" && !existsSync("/usr/bin/script"))
    throw new Error("script (util-linux) is needed for the UI figure");
  const [cmd, bigArgs] = runbook(big);
  const ours = await timeProcess(cmd, bigArgs, { cwd: ctx.dir, runs });
  const [, quarterArgs] = runbook(quarter);
  const oursQuarter = await timeProcess(cmd, quarterArgs, {
    cwd: ctx.dir,
    runs: 1,
  });
  const [, oneArgs] = runbook(one);
  const base = await timeProcess(cmd, oneArgs, { cwd: ctx.dir, runs });
  const floor = await timeProcess(process.execPath, [floorScript], { runs });
  const floorBase = await timeProcess(process.execPath, ["-e", "0"], { runs });
  const net = ours.median - base.median;
  const floorNet = floor.median - floorBase.median;
  const ratio = net / floorNet;
  return {
    name: `a step printing 135 MB, ${reporter === "plain" ? "plain reporter" : "terminal UI"} (minus a 1-step run)`,
    ours: summarize([net]),
    floor: summarize([floorNet]),
    ratio,
    budget: "≤ 1.5× wall; peak RSS < 150 MB and flat",
    ok: ratio <= 1.5 && ours.peakRssMb < 150,
    notes: `peak RSS ${ours.peakRssMb.toFixed(0)} MB at 135 MB of output, ${oursQuarter.peakRssMb.toFixed(0)} MB at 34 MB (floor ${floor.peakRssMb.toFixed(0)} MB); whole runs ${ours.median.toFixed(0)} ms (spread ${ours.min.toFixed(0)}–${ours.max.toFixed(0)}), 1-step ${base.median.toFixed(0)} ms`,
  };
}
