import { allocate, type Block } from './allocate.js';
import { actionRows, checkRows, type CodeViewContext } from './code-view.js';
import { formatBytes, formatCount, formatDuration, formatElapsed, spinnerFrame } from './format.js';
import type { OutputLine } from './output-buffer.js';
import { proseOf } from './prose.js';
import { lineWidth, seg, wrapLine, wrapWords, type Line } from './segments.js';
import { STATE_MARKS } from './step-list-view.js';
import { sanitizeLine, textWidth, truncate } from './terminal-text.js';
import type { CurrentStep, TuiSnapshot } from './tui-store.js';

export interface DetailViewOptions {
  readonly width: number;
  readonly height: number;
  /** Paths are shown relative to this folder when inside it. */
  readonly cwd?: string;
}

/**
 * The step on screen, fitted to the pane: its title and state, its prose,
 * each action's code (highlighted, secrets masked) with its status, the
 * live output (last lines), and each check with expected and actual. Before
 * a step runs its code has the room; while and after it runs, the output,
 * the failing action and the check results have it.
 */
export function detailLines(snap: TuiSnapshot, options: DetailViewOptions): Line[] {
  const { width, height } = options;
  const cur = snap.current;
  if (!cur) return allocate([{ rows: introRows(snap, width), min: 0, priority: 1 }], height);
  const ctx: CodeViewContext = { width, now: snap.now, values: snap.values, mask: snap.mask };
  const ran = cur.state !== 'pending' && cur.state !== 'unknown' && (cur.actions.size > 0 || cur.checks.size > 0 || cur.outputBytes > 0);
  const blocks: Block[] = [{ rows: [titleRow(cur, snap, width)], min: 1, priority: 0 }];

  const prose = proseOf(cur.step.context, cur.step.section).flatMap((p) => wrapWords(p.line.map((s) => ({ ...s, text: snap.mask(s.text) })), width, p.indent));
  if (prose.length > 0) blocks.push({ rows: prose, min: ran ? 0 : Math.min(3, prose.length), priority: ran ? 6 : 2 });

  const failedAction = [...cur.actions].find(([, r]) => r.state === 'failed' || r.state === 'running')?.[0];
  cur.step.actions.forEach((_, i) => {
    const rows = actionRows(cur.step, i, cur.actions.get(i), ctx);
    const focus = i === failedAction;
    blocks.push({ rows, min: focus ? Math.min(rows.length, 4) : 1, priority: focus ? 2 : ran ? 4 : 1 });
  });

  const runsCode = cur.step.actions.some((a, i) => a.kind !== 'manual' && a.kind !== 'confirm' && cur.actions.has(i));
  if (runsCode || cur.outputBytes > 0) {
    blocks.push({ rows: [outputHeader(cur, width)], min: 1, priority: 1 });
    // Each line takes at least one row: more than a pane's height of lines can never show.
    const lines = cur.output.slice(-height);
    const body = outputRows(lines, width);
    if (body.length > 0) blocks.push({ rows: body, min: Math.min(body.length, 6), priority: 1, anchor: 'end', earlier: Math.max(0, cur.outputLines - lines.length) });
  }

  cur.step.checks.forEach((check, i) => {
    const run = cur.checks.get(i);
    const rows = checkRows(check, i, run, ctx);
    // The result (the last rows) matters more than the check's code once it ran.
    const done = run?.outcome !== undefined;
    blocks.push({ rows, min: done ? rows.length : 1, priority: done ? 1 : ran ? 3 : 2 });
  });

  if (cur.captures.length > 0) {
    blocks.push({ rows: cur.captures.flatMap((c) => wrapLine([seg('= ', 'dim'), seg(`${c.name} = `, 'dim'), seg(JSON.stringify(truncate(snap.mask(c.value), 120)), 'variable')], width)), min: 1, priority: 3 });
  }
  return allocate(blocks, height);
}

function titleRow(cur: CurrentStep, snap: TuiSnapshot, width: number): Line {
  const mark = STATE_MARKS[cur.state];
  const position = snap.steps.findIndex((s) => s.id === cur.step.id);
  const count = `Step ${position + 1} of ${snap.steps.length}`;
  let state: string;
  if (cur.state === 'running') state = `${spinnerFrame(snap.now)} running ${cur.startedAt !== undefined ? formatElapsed(snap.now - cur.startedAt) : ''}`;
  else if (cur.state === 'done') state = `${mark.symbol} done ${cur.durationMs !== undefined ? formatDuration(cur.durationMs) : ''}`;
  else state = `${mark.symbol} ${mark.word}`;
  if (cur.attempt > 1) state = `attempt ${cur.attempt} · ${state}`;
  state = state.trimEnd();
  const left: Line = [seg(`${count} · `, 'dim'), seg(cur.step.title, 'heading'), seg(`  ${cur.step.id}`, 'dim')];
  const room = Math.max(8, width - state.length - 2);
  const cut: Line = lineWidth(left) > room ? [seg(truncate(`${count} · ${cur.step.title}`, room), 'heading')] : left;
  const gap = Math.max(1, width - lineWidth(cut) - state.length);
  return [...cut, seg(' '.repeat(gap)), seg(state, mark.tone)];
}

function outputHeader(cur: CurrentStep, width: number): Line {
  const counts = cur.outputBytes === 0 ? 'no output yet' : `${formatCount(cur.outputLines, 'line')} · ${formatBytes(cur.outputBytes)}`;
  const text = `── output · ${counts} `;
  return [seg(truncate(text, width) + '─'.repeat(Math.max(0, width - textWidth(text))), 'dim')];
}

function outputRows(lines: readonly OutputLine[], width: number): Line[] {
  const rows: Line[] = [];
  for (const l of lines) {
    const gutter = l.stream === 'stderr' ? seg('┆ ', 'stderr') : l.stream === 'info' ? seg('· ', 'info') : seg('│ ', 'dim');
    const text = sanitizeLine(l.text) + (l.cut > 0 ? ` … (${formatCount(l.cut, 'more character')})` : '');
    rows.push(...wrapLine([gutter, seg(text, l.stream === 'info' ? 'info' : undefined)], width, [seg('  ')]));
  }
  return rows;
}

/** Before the first step: what is being prepared, the runbook's introduction, its params. */
function introRows(snap: TuiSnapshot, width: number): Line[] {
  const rows: Line[] = [];
  if (snap.notice) rows.push(...wrapWords([seg(`${spinnerFrame(snap.now)} `, 'running'), seg(snap.notice.message)], width), []);
  else if (!snap.prompt) rows.push([seg(`${spinnerFrame(snap.now)} `, 'running'), seg('preparing the run…', 'dim')], []);
  const first = snap.runbook.steps.find((s) => s.id === snap.steps[0]?.id);
  if (!first) rows.push([seg('This runbook has no steps.', 'dim')]);
  else rows.push(...proseOf(first.context).flatMap((p) => wrapWords(p.line.map((s) => ({ ...s, text: snap.mask(s.text) })), width, p.indent)));
  if (snap.runbook.params.length > 0) {
    rows.push([], [seg('Params', 'heading')]);
    for (const param of snap.runbook.params) {
      const v = snap.values.get(param.name);
      const value = v?.value === undefined ? (snap.prompt?.prompt.kind === 'param' && snap.prompt.prompt.param === param ? '← asked now' : 'to be asked') : v.secret ? '***' : v.value;
      rows.push(...wrapWords([seg(`  ${param.name} = `), seg(value, v?.value === undefined ? 'warn' : 'variable'), seg(param.description ? `  ${param.description}` : '', 'dim')], width, [seg('    ')]));
    }
  }
  return rows;
}
