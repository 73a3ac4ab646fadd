import path from 'node:path';
import { formatDuration, shortPath } from './format.js';
import { progressOf } from './header-view.js';
import { seg, wrapWords, type Line } from './segments.js';
import { STATE_MARKS } from './step-list-view.js';
import { padEnd, textWidth, truncate } from './terminal-text.js';
import type { TuiSnapshot } from './tui-store.js';

/**
 * What stays on screen when the run ends: the outcome, every step with its
 * state and time (finished steps folded when they do not fit), and how to
 * continue a run that did not finish.
 */
export function summaryLines(snap: TuiSnapshot, width: number, maxRows: number, cwd?: string): Line[] {
  const end = snap.end;
  if (!end) return [];
  const ok = end.status === 'done';
  const { finished, total } = progressOf(snap);
  const head: Line[] = [
    [seg(ok ? '✔ ' : '✘ ', ok ? 'ok' : 'fail'), seg(snap.title, 'heading'), seg(`  ${end.status}`, ok ? 'ok' : 'fail')],
    ...wrapWords([seg(`  ${snap.mask(end.message)}`, ok ? undefined : 'fail'), seg(`${ok ? '' : ` · ${finished} of ${total} steps finished`} · ${formatDuration(end.durationMs)}`, 'dim')], width, [seg('    ')]),
  ];
  const tail: Line[] = [];
  if (snap.run) tail.push([seg(`  journal: ${shortPath(path.join(snap.run.stateDir, 'runs', snap.run.runId, 'journal.jsonl'), cwd)}`, 'dim')]);
  if (end.resumeHint) tail.push([seg('  to continue: ', 'bold'), seg(end.resumeHint, 'accent')]);

  const room = Math.max(1, maxRows - head.length - tail.length);
  let rows = snap.steps;
  let folded = 0;
  if (rows.length > room) {
    const keep = rows.filter((r) => r.state !== 'done' || r.id === snap.current?.step.id);
    folded = rows.length - keep.length;
    rows = keep.slice(-(room - 1));
    folded += keep.length - rows.length;
  }
  const titleWidth = Math.max(10, Math.min(Math.max(...rows.map((r) => textWidth(r.title)), 10) + 2, Math.floor(width / 2)));
  const list: Line[] = [];
  if (folded > 0) list.push([seg(`  … ${folded} more step${folded === 1 ? '' : 's'} done or pending`, 'dim')]);
  for (const r of rows) {
    const mark = STATE_MARKS[r.state];
    const time = r.note === 'marked done' ? 'marked done' : r.durationMs !== undefined && r.state !== 'skipped' ? formatDuration(r.durationMs) : r.selected ? mark.word : 'not selected';
    const note = r.state === 'failed' && r.note ? `  ${r.note}` : '';
    const timeCell = padEnd(time, 12);
    list.push([seg(`  ${r.selected ? mark.symbol : '·'} `, r.selected ? mark.tone : 'dim'), seg(padEnd(r.title, titleWidth)), seg(` ${timeCell}`, 'dim'), seg(truncate(snap.mask(note.trim()), Math.max(0, width - titleWidth - 18)), 'fail')]);
  }
  return [...head, ...list, ...tail];
}

