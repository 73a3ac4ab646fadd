import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    median,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    runs: sorted.length,
  };
}

/** Runs `fn` `warmup` times, then `runs` times, and summarises the milliseconds each took. */
export async function time(
  fn: () => Promise<unknown> | unknown,
  { runs = 5, warmup = 1 } = {},
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    values.push(performance.now() - t);
  }
  return summarize(values);
}

export interface ProcessRun {
  readonly ms: number;
  /** Peak resident set size of the process, in MB (VmHWM, sampled until it exits). */
  readonly peakRssMb: number;
  readonly code: number | null;
}

/** Runs a command to completion, output discarded, measuring wall time and peak RSS. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "ignore", "ignore"],
    });
    let peak = 0;
    // The largest process of the tree: a wrapper (`script` for the UI) is not what is measured.
    const sample = (): void => {
      for (const pid of tree(child.pid ?? 0)) {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(
            readFileSync(`/proc/${pid}/status`, "utf8"),
          );
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
          // exited
        }
      }
    };
    const timer = setInterval(sample, 10);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t, peakRssMb: peak, code });
    });
  });
}

/** `pid` and its descendants, from /proc. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(
          `/proc/${out[i]}/task/${tid}/children`,
          "utf8",
        ).trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** Median wall time (and max peak RSS) of `runs` runs after one warm-up. */
export async function timeProcess(
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    runs?: number;
    warmup?: number;
  } = {},
): Promise<Sample & { peakRssMb: number }> {
  for (let i = 0; i < (options.warmup ?? 1); i++)
    await runProcess(command, args, options);
  const runs: ProcessRun[] = [];
  for (let i = 0; i < (options.runs ?? 5); i++) {
    const r = await runProcess(command, args, options);
    if (r.code !== 0)
      throw new Error(`${command} ${args.join(" ")} exited ${r.code}`);
    runs.push(r);
  }
  return {
    ...summarize(runs.map((r) => r.ms)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
}

/** Least-squares slope of y over x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}
