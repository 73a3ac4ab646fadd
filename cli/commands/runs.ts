import { hostname } from "node:os";
import type { RunSummary, StateStore } from "../../engine/journal/index.js";
import { writeLine, type Io } from "../io.js";
import { openState, stateFlags } from "../state.js";
import type { RunsFlags } from "../definitions.js";

/** One run as `runs` shows it: an unfinished run whose runbook holds its lock is `running`. */
export type ListedRun = Omit<RunSummary, "outcome"> & {
  readonly outcome: RunSummary["outcome"] | "running";
};

/** SPEC 3 `runbook runs`: the runs in the state, newest first: id, runbook, who, where, when, outcome. */
export async function runsCommand(flags: RunsFlags, io: Io): Promise<number> {
  const store = await openState(stateFlags(flags), io, "read");
  try {
    const runs = await listed(store);
    if (flags.json) {
      writeLine(io.stdout, JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      writeLine(io.stdout, `no runs in ${store.where}`);
      return 0;
    }
    const rows = [
      ["RUN", "RUNBOOK", "WHO", "WHERE", "WHEN", "OUTCOME"],
      ...runs.map((r) => [
        r.runId,
        r.runbook,
        r.user,
        r.host,
        when(r.startedAt),
        r.outcome,
      ]),
    ];
    const widths =
      rows[0]?.map((_, i) =>
        Math.max(...rows.map((row) => (row[i] ?? "").length)),
      ) ?? [];
    for (const row of rows)
      writeLine(
        io.stdout,
        row
          .map((cell, i) =>
            i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0),
          )
          .join("  "),
      );
    return 0;
  } finally {
    await store.close();
  }
}

async function listed(store: StateStore): Promise<ListedRun[]> {
  const runs = await store.listRuns();
  const self = { pid: process.pid, host: hostname() };
  return Promise.all(
    runs.map(async (r): Promise<ListedRun> => {
      if (r.outcome !== "unfinished") return r;
      const holder = await store
        .lockHolder(r.runbook, self)
        .catch(() => undefined);
      return holder?.runId === r.runId ? { ...r, outcome: "running" } : r;
    }),
  );
}

/** `2025-01-31 22:04 UTC`: one zone for a team spread over several. */
function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
