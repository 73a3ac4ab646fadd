import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateRunbook } from '../generate.js';
import type { BenchContext, Figure } from '../figure.js';
import { runProcess, timeProcess } from '../measure.js';

/** `runbook lint` of a 10,000-step and of a 10-step runbook, whole process. */
export async function lint(ctx: BenchContext): Promise<Figure[]> {
  const large = path.join(ctx.dir, 'lint-10000.md');
  const small = path.join(ctx.dir, 'lint-10.md');
  writeFileSync(large, generateRunbook({ steps: 10_000 }));
  writeFileSync(small, generateRunbook({ steps: 10 }));
  // Lint exits 1 when it finds errors; the generated runbooks must lint clean, so 0 is required.
  const probe = await runProcess(process.execPath, [ctx.cli, 'lint', small]);
  if (probe.code !== 0) throw new Error(`lint of the generated runbook exited ${probe.code}`);
  const big = await timeProcess(process.execPath, [ctx.cli, 'lint', large], { runs: Math.min(ctx.runs, 3) });
  const tiny = await timeProcess(process.execPath, [ctx.cli, 'lint', small], { runs: Math.max(ctx.runs, 5) });
  const node = await timeProcess(process.execPath, ['-e', '0'], { runs: Math.max(ctx.runs, 5) });
  return [
    { name: '`runbook lint` of the 10,000-step runbook, whole process', ours: big, budget: '< 5 s', ok: big.median < 5000, notes: `peak RSS ${big.peakRssMb.toFixed(0)} MB` },
    { name: '`runbook lint` of a 10-step runbook, whole process', ours: tiny, floor: node, ratio: tiny.median / node.median, budget: '< 0.4 s', ok: tiny.median < 400 },
  ];
}
