import { Connections, type ActionContext } from "../../engine/actions/index.js";
import { parseRunbook } from "../../engine/parse/index.js";
import { runCheck } from "../../engine/run/check-runner.js";
import { startSandbox } from "../../engine/sandbox/index.js";
import type { BenchContext, Figure } from "../figure.js";
import { time } from "../measure.js";

const N = 1000;

/** One SQL check (`expect`, read-only) on a database already connected, against `SELECT 1` over one kept connection. */
export async function sqlCheck(ctx: BenchContext): Promise<Figure> {
  const sandbox = await startSandbox({
    clusters: ["bench"],
    env: { ...process.env },
  });
  try {
    const cluster = sandbox.clusters.get("bench");
    if (!cluster) throw new Error("no cluster");
    const url = cluster.url("postgres");
    const connections = new Connections((name) => ({ name, url, shown: name }));
    const { runbook } = parseRunbook(
      '---\ndatabases: { app: "postgres://x" }\n---\n## C\n::check{db=app sql="SELECT count(*) FROM pg_class WHERE relname = :\'name\'" expect="1"}\n',
      { file: "bench.md" },
    );
    const check = runbook.steps[0]?.checks[0];
    if (!check) throw new Error("no check");
    const controller = new AbortController();
    const actx: ActionContext = {
      step: runbook.steps[0] as NonNullable<(typeof runbook.steps)[0]>,
      mode: "live",
      cwd: ctx.dir,
      env: {},
      vars: new Map([["name", "pg_class"]]),
      secrets: [],
      isRoot: false,
      host: () => "",
      connections,
      output: () => undefined,
      signal: controller.signal,
      redact: (t) => t,
    };
    const client = await connections.client("app");
    const ours = await time(
      async () => {
        for (let i = 0; i < N; i++) {
          const o = await runCheck(check, { ctx: actx, db: "app" });
          if (o.kind !== "pass") throw new Error(`check failed: ${o.message}`);
        }
      },
      { runs: ctx.runs, warmup: 1 },
    );
    const floor = await time(
      async () => {
        for (let i = 0; i < N; i++) await client.query("SELECT 1");
      },
      { runs: ctx.runs, warmup: 1 },
    );
    await connections.closeAll();
    const per = (s: typeof ours) => ({
      ...s,
      median: s.median / N,
      min: s.min / N,
      max: s.max / N,
    });
    const ratio = ours.median / floor.median;
    return {
      name: "one SQL check (expect, read-only) on a connected database",
      ours: per(ours),
      floor: per(floor),
      ratio,
      budget: "≤ 2× SELECT 1",
      ok: ratio <= 2,
    };
  } finally {
    await sandbox.teardown();
  }
}
