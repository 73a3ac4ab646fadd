import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateRunbook } from "../generate.js";
import type { BenchContext, Figure } from "../figure.js";
import { runProcess, summarize, timeProcess, type Sample } from "../measure.js";

/**
 * `runbook lint` of a 10,000-step and of a 10-step runbook, whole process:
 * cold (`--no-cache`), warm (the cache filled by the run before, nothing
 * changed) and with one step edited since the cache was filled (two lines
 * more, so every later step moves down).
 */
export async function lint(ctx: BenchContext): Promise<Figure[]> {
  const large = path.join(ctx.dir, "lint-10000.md");
  const small = path.join(ctx.dir, "lint-10.md");
  const text = generateRunbook({ steps: 10_000 });
  writeFileSync(large, text);
  writeFileSync(small, generateRunbook({ steps: 10 }));
  // Lint exits 1 when it finds errors; the generated runbooks must lint clean, so 0 is required.
  const probe = await runProcess(process.execPath, [
    ctx.cli,
    "lint",
    small,
    "--no-cache",
  ]);
  if (probe.code !== 0)
    throw new Error(`lint of the generated runbook exited ${probe.code}`);
  const runs = Math.min(ctx.runs, 3);
  const big = await timeProcess(
    process.execPath,
    [ctx.cli, "lint", large, "--no-cache"],
    { runs },
  );

  const cacheArgs = (dir: string): string[] => ["--cache-location", dir];
  const warmCache = path.join(ctx.dir, "lint-cache-warm");
  // The warm-up run fills the cache; every measured run finds it full.
  const warm = await timeProcess(
    process.execPath,
    [ctx.cli, "lint", large, ...cacheArgs(warmCache)],
    { runs: ctx.runs },
  );

  // One step edited: each run starts from the cache of the unedited file, filled by a run not measured.
  const edited = text
    .replace("## Step 5000: ", "## Step 5000: edited, ")
    .replace(
      'echo "step 5000 on $target"',
      'echo "step 5000 on $target"\necho "edited"\necho "again"',
    );
  if (edited === text) throw new Error("the edit did not apply");
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < Math.min(ctx.runs, 3); i++) {
    const dir = mkdtempSync(path.join(ctx.dir, "lint-cache-edit-"));
    writeFileSync(large, text);
    const fill = await runProcess(process.execPath, [
      ctx.cli,
      "lint",
      large,
      ...cacheArgs(dir),
    ]);
    if (fill.code !== 0) throw new Error(`lint exited ${fill.code}`);
    writeFileSync(large, edited);
    const r = await runProcess(process.execPath, [
      ctx.cli,
      "lint",
      large,
      ...cacheArgs(dir),
    ]);
    if (r.code !== 0)
      throw new Error(`lint of the edited runbook exited ${r.code}`);
    times.push(r.ms);
    peak = Math.max(peak, r.peakRssMb);
    rmSync(dir, { recursive: true, force: true });
  }
  const oneEdited: Sample = summarize(times);
  writeFileSync(large, text);

  const tiny = await timeProcess(
    process.execPath,
    [ctx.cli, "lint", small, "--no-cache"],
    { runs: Math.max(ctx.runs, 5) },
  );
  const node = await timeProcess(process.execPath, ["-e", "0"], {
    runs: Math.max(ctx.runs, 5),
  });
  return [
    {
      name: "`runbook lint` of the 10,000-step runbook, cold (`--no-cache`), whole process",
      ours: big,
      budget: "< 5 s",
      ok: big.median < 5000,
      notes: `peak RSS ${big.peakRssMb.toFixed(0)} MB`,
    },
    {
      name: "`runbook lint` of the 10,000-step runbook, warm (cache filled, nothing changed)",
      ours: warm,
      floor: big,
      ratio: warm.median / big.median,
      budget: "< 1 s",
      ok: warm.median < 1000,
      notes: `peak RSS ${warm.peakRssMb.toFixed(0)} MB; floor: the cold lint`,
    },
    {
      name: "`runbook lint` of the 10,000-step runbook, one step edited since the cache was filled",
      ours: oneEdited,
      floor: big,
      ratio: oneEdited.median / big.median,
      budget: "< 1.5 s",
      ok: oneEdited.median < 1500,
      notes: `peak RSS ${peak.toFixed(0)} MB; floor: the cold lint`,
    },
    {
      name: "`runbook lint` of a 10-step runbook, whole process",
      ours: tiny,
      floor: node,
      ratio: tiny.median / node.median,
      budget: "< 0.4 s",
      ok: tiny.median < 400,
    },
  ];
}
