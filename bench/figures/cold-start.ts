import type { BenchContext, Figure } from "../figure.js";
import { timeProcess } from "../measure.js";

/** `runbook --help` cold start against `node -e 0`. */
export async function coldStart(ctx: BenchContext): Promise<Figure> {
  const runs = Math.max(ctx.runs, 10);
  const ours = await timeProcess(process.execPath, [ctx.cli, "--help"], {
    runs,
  });
  const floor = await timeProcess(process.execPath, ["-e", "0"], { runs });
  const ratio = ours.median / floor.median;
  return {
    name: "`runbook --help` cold start",
    ours,
    floor,
    ratio,
    budget: "≤ 2.5× node -e 0",
    ok: ratio <= 2.5,
  };
}
