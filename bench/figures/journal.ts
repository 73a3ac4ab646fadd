import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { JournalWriter } from "../../engine/journal/index.js";
import type { BenchContext, Figure } from "../figure.js";
import { time } from "../measure.js";

const EVENTS = 10_000;

/** 10,000 journal events appended with fsync, against raw writeSync + fsyncSync of the same lines. */
export async function journalAppends(ctx: BenchContext): Promise<Figure> {
  let round = 0;
  const entry = (i: number) => ({
    type: "step-start" as const,
    at: new Date(0).toISOString(),
    step: `step-${i}`,
    attempt: 1,
  });
  const runs = Math.max(1, Math.min(ctx.runs, 3));
  const ours = await time(
    () => {
      const w = JournalWriter.open(
        path.join(ctx.diskDir, "journal-bench", `ours-${round++}`),
      );
      for (let i = 0; i < EVENTS; i++) w.append(entry(i));
      w.close();
    },
    { runs, warmup: 1 },
  );
  const floor = await time(
    () => {
      const dir = path.join(ctx.diskDir, "journal-bench", `raw-${round++}`);
      mkdirSync(dir, { recursive: true });
      const fd = openSync(path.join(dir, "journal.jsonl"), "a", 0o600);
      for (let i = 0; i < EVENTS; i++) {
        writeSync(fd, `${JSON.stringify(entry(i))}\n`);
        fsyncSync(fd);
      }
      closeSync(fd);
    },
    { runs, warmup: 1 },
  );
  const ratio = ours.median / floor.median;
  return {
    name: "journal: 10,000 events appended with fsync",
    ours,
    floor,
    ratio,
    budget: "≤ 1.2×",
    ok: ratio <= 1.2,
  };
}
