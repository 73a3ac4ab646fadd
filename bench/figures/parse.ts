import remarkDirective from "remark-directive";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { parseRunbook } from "../../engine/parse/index.js";
import { generateRunbook } from "../generate.js";
import type { BenchContext, Figure } from "../figure.js";
import { time, type Sample } from "../measure.js";

/**
 * Parse of a generated 1,000- and 10,000-step runbook (prose with lists,
 * links, emphasis; code blocks; checks) against remark-parse +
 * remark-directive run on each `##` section alone.
 */
export async function parse(ctx: BenchContext): Promise<Figure[]> {
  const processor = unified().use(remarkParse).use(remarkDirective).freeze();
  const results: { steps: number; ours: Sample; floor: Sample }[] = [];
  for (const steps of [1000, 10_000]) {
    const text = generateRunbook({ steps });
    const sections = text.split(/\n(?=## )/);
    const runs = steps > 1000 ? Math.min(ctx.runs, 3) : ctx.runs;
    const ours = await time(
      () => {
        const r = parseRunbook(text, { file: "generated.md" });
        if (r.runbook.steps.length !== steps)
          throw new Error(
            `parsed ${r.runbook.steps.length} steps, expected ${steps}`,
          );
      },
      { runs, warmup: 1 },
    );
    const floor = await time(
      () => {
        for (const s of sections) processor.parse(s);
      },
      { runs, warmup: 1 },
    );
    ctx.log(
      `  ${steps} steps: parse ${ours.median.toFixed(0)} ms, remark per section ${floor.median.toFixed(0)} ms`,
    );
    results.push({ steps, ours, floor });
  }
  const [small, large] = results;
  if (!small || !large) throw new Error("parse figure incomplete");
  const growth = large.ours.median / small.ours.median;
  return results.map((r) => {
    const ratio = r.ours.median / r.floor.median;
    const isLarge = r.steps === 10_000;
    return {
      name: `parse of a generated ${r.steps.toLocaleString("en")}-step runbook`,
      ours: r.ours,
      floor: r.floor,
      ratio,
      budget: isLarge ? "≤ 1.2×, and t(10k) ≤ 11 × t(1k)" : "≤ 1.2×",
      ok: ratio <= 1.2 && (!isLarge || growth <= 11),
      ...(isLarge ? { notes: `t(10k)/t(1k) = ${growth.toFixed(1)}` } : {}),
    };
  });
}
