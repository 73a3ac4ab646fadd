import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { journalFile, listRuns, readJournal, runDir, type JournalEntry } from '../../engine/journal/index.js';
import { usageError, type Runbook } from '../../engine/model/index.js';
import { parseRunbookFile } from '../../engine/parse/index.js';
import { writeLine, type Io } from '../io.js';

export interface ReportFlags {
  readonly out?: string;
  /** @default .runbook */
  readonly stateDir?: string;
}

/** A step's log larger than this is shown as its head and tail. */
const LOG_LIMIT = 512 * 1024;
const LOG_HEAD = 128 * 1024;

/** SPEC 3: `runbook report [RUN-ID] --out FILE.html`, a run's transcript from its journal (default: the latest run). */
export async function reportCommand(given: string | undefined, flags: ReportFlags, io: Io): Promise<number> {
  if (!flags.out) throw usageError('--out FILE.html is required');
  const stateDir = path.resolve(io.cwd, flags.stateDir ?? '.runbook');
  const runId = given ?? listRuns(stateDir)[0];
  if (runId === undefined) throw usageError(`no runs in ${stateDir} to report (pass --state-dir?)`);
  const file = journalFile(stateDir, runId);
  if (!/^[\w.-]+$/.test(runId) || !existsSync(file)) {
    const runs = listRuns(stateDir).slice(0, 5);
    throw usageError(`no run ${runId} in ${stateDir}${runs.length > 0 ? ` (latest: ${runs.join(', ')})` : ' (no runs there; pass --state-dir?)'}`);
  }
  let journal;
  try {
    journal = readJournal(file);
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { runbook, note } = currentRunbook(journal.run.file);
  const logs = new Map<string, { text: string; omittedBytes: number; path: string }>();
  for (const id of stepIds(journal.entries)) {
    const log = readLog(path.join(runDir(stateDir, runId), 'output', `${id.replace(/[^\p{L}\p{N}._-]/gu, '_')}.log`));
    if (log) logs.set(id, log);
  }
  const { renderReportPage } = await import('../../renderers/html/index.js');
  const html = renderReportPage({
    runId,
    entries: journal.entries,
    tornTail: journal.tornTail,
    logs,
    ...(runbook ? { runbook } : {}),
    ...(note ? { runbookNote: note } : {}),
    journalPath: file,
  });
  const out = path.resolve(io.cwd, flags.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, html);
  writeLine(io.stdout, `wrote the report of run ${runId} to ${path.relative(io.cwd, out) || out}`);
  return 0;
}

function stepIds(entries: readonly JournalEntry[]): Set<string> {
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.type === 'run') for (const s of e.steps) ids.add(s.id);
    else if ('step' in e) ids.add(e.step);
  }
  return ids;
}

/** The runbook as it is now: the report shows what each unchanged step's checks expected. */
function currentRunbook(file: string): { runbook?: Runbook; note?: string } {
  if (!existsSync(file)) return { note: `The runbook ${file} is gone: expectations are shown as recorded.` };
  try {
    return { runbook: parseRunbookFile(file).runbook };
  } catch (error) {
    return { note: `The runbook could not be read (${(error as Error).message}): expectations are shown as recorded.` };
  }
}

/** A log's text; a huge one as its head and tail, so the page stays readable. */
function readLog(file: string): { text: string; omittedBytes: number; path: string } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= LOG_LIMIT) {
      const buffer = Buffer.alloc(size);
      readSync(fd, buffer, 0, size, 0);
      return { text: buffer.toString('utf8'), omittedBytes: 0, path: file };
    }
    const head = Buffer.alloc(LOG_HEAD);
    readSync(fd, head, 0, LOG_HEAD, 0);
    const tailSize = LOG_LIMIT - LOG_HEAD;
    const tail = Buffer.alloc(tailSize);
    readSync(fd, tail, 0, tailSize, size - tailSize);
    const omitted = size - LOG_LIMIT;
    return { text: `${head.toString('utf8')}\n… ${omitted} bytes left out …\n${tail.toString('utf8')}`, omittedBytes: omitted, path: file };
  } finally {
    closeSync(fd);
  }
}
