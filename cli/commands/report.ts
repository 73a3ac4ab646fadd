import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  JournalError,
  readRunRecord,
  type RunRecord,
  type StateStore,
} from "../../engine/journal/index.js";
import { usageError, type Runbook } from "../../engine/model/index.js";
import { parseRunbookFile } from "../../engine/parse/index.js";
import { writeLine, type Io } from "../io.js";
import { openState, stateFlags } from "../state.js";
import type { ReportFlags } from "../definitions.js";

/** SPEC 3: `runbook report [RUN-ID] --out FILE.html`, a run's transcript from its journal (default: the latest run). */
export async function reportCommand(
  given: string | undefined,
  flags: ReportFlags,
  io: Io,
): Promise<number> {
  if (!flags.out) throw usageError("--out FILE.html is required");
  const store = await openState(stateFlags(flags), io, "read");
  try {
    const runId = given ?? (await store.listRuns())[0]?.runId;
    if (runId === undefined)
      throw usageError(
        `no runs in ${store.where} to report (pass ${store.kind === "files" ? "--state-dir" : "--state"}?)`,
      );
    return await reportFrom(store, runId, flags.out, io);
  } finally {
    await store.close();
  }
}

async function reportFrom(
  store: StateStore,
  runId: string,
  outFlag: string,
  io: Io,
): Promise<number> {
  let record: RunRecord;
  try {
    record = await readRunRecord(store, runId);
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    if (!/^no run /.test(error.message)) throw usageError(error.message);
    const runs = (await store.listRuns().catch(() => []))
      .slice(0, 5)
      .map((r) => r.runId);
    throw usageError(
      `no run ${runId} in ${store.where}${runs.length > 0 ? ` (latest: ${runs.join(", ")})` : ` (no runs there; pass ${store.kind === "files" ? "--state-dir" : "--state"}?)`}`,
    );
  }
  const { journal, logs, journalPath } = record;
  const { runbook, note } = currentRunbook(journal.run.file);
  const { renderReportPage } = await import("../../renderers/html/index.js");
  const html = renderReportPage({
    runId,
    entries: journal.entries,
    tornTail: journal.tornTail,
    logs,
    ...(runbook ? { runbook } : {}),
    ...(note ? { runbookNote: note } : {}),
    journalPath,
  });
  const out = path.resolve(io.cwd, outFlag);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  writeLine(
    io.stdout,
    `wrote the report of run ${runId} to ${path.relative(io.cwd, out) || out}`,
  );
  return 0;
}

/** The runbook as it is now: the report shows what each unchanged step's checks expected. */
function currentRunbook(file: string): { runbook?: Runbook; note?: string } {
  if (!existsSync(file))
    return {
      note: `The runbook ${file} is gone: expectations are shown as recorded.`,
    };
  try {
    return { runbook: parseRunbookFile(file).runbook };
  } catch (error) {
    return {
      note: `The runbook could not be read (${(error as Error).message}): expectations are shown as recorded.`,
    };
  }
}
