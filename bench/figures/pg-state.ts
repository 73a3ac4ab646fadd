import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  openStateStore,
  type JournalEntry,
} from "../../engine/journal/index.js";
import { startSandbox } from "../../engine/sandbox/index.js";
import { trivialRunbook } from "../generate.js";
import type { BenchContext, Figure } from "../figure.js";
import { slope, summarize, time, timeProcess } from "../measure.js";

const EVENTS = 2_000;
const COUNTS = [1, 100, 200];

/**
 * The run state in PostgreSQL (SPEC 2), on a throwaway cluster (data on the
 * real disk, synchronous commit on):
 * - one journal event committed, against the floor of one INSERT + COMMIT of
 *   the same row on a kept connection;
 * - the per-step overhead of a trivial step with `--state postgres://…`,
 *   against the same runbook with the file state.
 */
export async function pgState(ctx: BenchContext): Promise<Figure[]> {
  const sandbox = await startSandbox({
    clusters: ["state"],
    env: { ...process.env },
  });
  try {
    const cluster = sandbox.clusters.get("state");
    if (!cluster) throw new Error("no cluster");
    const url = cluster.url("postgres");
    return [await eventFigure(url, ctx), await stepFigure(url, ctx)];
  } finally {
    await sandbox.teardown();
  }
}

async function eventFigure(url: string, ctx: BenchContext): Promise<Figure> {
  const runs = Math.max(1, Math.min(ctx.runs, 3));
  const store = await openStateStore({ state: url, cwd: ctx.dir });
  const at = new Date(0).toISOString();
  let round = 0;
  const header = (runId: string): JournalEntry => ({
    type: "run",
    v: 1,
    at,
    runId,
    file: "/bench.md",
    identity: "bench.md",
    cwd: "/",
    title: "bench",
    mode: "live",
    user: "bench",
    host: "bench",
    pid: 1,
    selection: {},
    yes: "steps",
    params: [],
    sentinels: {},
    steps: [],
  });
  const entry = (i: number): JournalEntry => ({
    type: "step-start",
    at,
    step: `step-${i}`,
    attempt: 1,
  });
  const ours = await time(
    () => {
      const runId = `bench-${round++}`;
      const sink = store.openJournal(runId);
      sink.append(header(runId));
      for (let i = 0; i < EVENTS; i++) sink.append(entry(i));
      sink.close();
    },
    { runs, warmup: 1 },
  );
  await store.close();

  const client = new pg.Client({
    connectionString: url,
    options: "-c synchronous_commit=on",
  });
  await client.connect();
  await client.query(
    "CREATE TABLE IF NOT EXISTS public.floor_events (run_id text NOT NULL, seq integer NOT NULL, entry json NOT NULL, PRIMARY KEY (run_id, seq))",
  );
  const floor = await time(
    async () => {
      const runId = `floor-${round++}`;
      for (let i = 0; i < EVENTS; i++) {
        await client.query({
          name: "floor",
          text: "INSERT INTO public.floor_events (run_id, seq, entry) VALUES ($1, $2, $3)",
          values: [runId, i, JSON.stringify(entry(i))],
        });
      }
    },
    { runs, warmup: 1 },
  );
  await client.end();
  const per = (s: typeof ours) =>
    summarize([s.median / EVENTS, s.min / EVENTS, s.max / EVENTS]);
  const ratio = ours.median / floor.median;
  return {
    name: "PostgreSQL state: one journal event committed (synchronous commit)",
    ours: per(ours),
    floor: per(floor),
    ratio,
    budget: "≤ 1.5× one INSERT + COMMIT on a kept connection",
    ok: ratio <= 1.5,
    notes: `${EVENTS} events per run`,
  };
}

async function stepFigure(url: string, ctx: BenchContext): Promise<Figure> {
  const pgPoints: [number, number][] = [];
  const filePoints: [number, number][] = [];
  const runs = Math.max(1, Math.min(ctx.runs, 3));
  for (const n of COUNTS) {
    const file = path.join(ctx.dir, `pg-steps-${n}.md`);
    writeFileSync(file, trivialRunbook(n));
    const p = await timeProcess(
      process.execPath,
      [ctx.cli, "run", file, "--yes", "--reporter", "plain", "--state", url],
      { cwd: ctx.dir, runs },
    );
    const f = await timeProcess(
      process.execPath,
      [
        ctx.cli,
        "run",
        file,
        "--yes",
        "--reporter",
        "plain",
        "--state",
        path.join(ctx.diskDir, "pg-bench-state"),
      ],
      { cwd: ctx.dir, runs },
    );
    pgPoints.push([n, p.median]);
    filePoints.push([n, f.median]);
    ctx.log(
      `  ${n} steps: PostgreSQL state ${p.median.toFixed(0)} ms, file state ${f.median.toFixed(0)} ms`,
    );
  }
  const s = slope(pgPoints);
  const sf = slope(filePoints);
  return {
    name: "per-step overhead of a trivial sh step with the state in PostgreSQL, slope over 1/100/200 steps",
    ours: summarize([s]),
    floor: summarize([sf]),
    ratio: s / sf,
    budget: "≤ 2× the file state",
    ok: s / sf <= 2,
    notes: `whole runs: ${pgPoints.map(([n, t]) => `${n}→${t.toFixed(0)}ms`).join(", ")}; file state ${filePoints.map(([n, t]) => `${n}→${t.toFixed(0)}ms`).join(", ")}`,
  };
}
