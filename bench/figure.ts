import type { Sample } from "./measure.js";

/** One row of BENCHMARKS.md. Times are milliseconds. */
export interface Figure {
  readonly name: string;
  readonly ours: Sample;
  readonly floor?: Sample;
  /** ours / floor (or the figure's own measure), compared with the budget. */
  readonly ratio?: number;
  readonly budget: string;
  readonly ok: boolean;
  readonly notes?: string;
}

export interface BenchContext {
  /** Absolute path of the built CLI (dist/cli.js). */
  readonly cli: string;
  /** A scratch directory for this bench run (tmpfs when the machine has one). */
  readonly dir: string;
  /** A scratch directory on a real disk, for figures whose cost is fsync (tmpfs makes it free). */
  readonly diskDir: string;
  /** Runs per measurement (after a warm-up). */
  readonly runs: number;
  readonly log: (line: string) => void;
}
