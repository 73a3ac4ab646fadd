import { checkPattern } from '../../engine/params/index.js';
import { seg, wrapWords, type Line, type Seg } from './segments.js';
import { elideMiddle, shortPath } from './format.js';
import { textWidth, truncate } from './terminal-text.js';
import type { TuiSnapshot } from './tui-store.js';

type KeyHint = readonly [key: string, meaning: string];

const HELP: KeyHint = ['?', 'help'];

/**
 * The bottom of the screen: what is being asked (or what is happening), the
 * text typed so far for a typed gate or a param, why an answer was refused,
 * and the keys that work right now.
 */
export function promptLines(snap: TuiSnapshot, width: number, cwd?: string): Line[] {
  const rows: Line[] = [];
  const ask = (line: Line): void => {
    rows.push(...wrapWords(line, width, [seg('  ')]).slice(0, 2));
  };
  const keys = (hints: readonly KeyHint[]): void => {
    rows.push(keyLine(hints, width));
  };
  const p = snap.prompt;
  if (snap.notice && snap.current && snap.notice.level !== 'info') {
    rows.push([seg(truncate(`${snap.notice.level === 'error' ? '✘' : '⚠'} ${snap.notice.message}`, width), snap.notice.level === 'error' ? 'fail' : 'warn')]);
  }
  if (!p) {
    if (snap.interrupting) {
      ask([seg('■ Stopping the step ', 'warn'), seg('(its whole process group)…', 'dim')]);
      keys([['Ctrl-C', 'again: quit the run (resumable)']]);
    } else if (snap.current?.state === 'running') {
      const log = snap.current.outputLog ? shortPath(snap.current.outputLog, cwd) : undefined;
      const head = `▶ Running "${snap.current.step.title}" `;
      ask([seg('▶ Running ', 'running'), seg(`"${snap.current.step.title}"`, 'bold'), seg(log ? ` · full output: ${elideMiddle(log, width - textWidth(head) - 16)}` : '', 'dim')]);
      keys([['Ctrl-C', 'stop this step'], HELP]);
    } else if (!snap.run) {
      ask([seg('Preparing the run…', 'dim')]);
      keys([['Ctrl-C', 'quit']]);
    } else {
      ask([seg('…', 'dim')]);
      keys([['Ctrl-C', 'stop'], HELP]);
    }
    return rows;
  }
  const prompt = p.prompt;
  switch (prompt.kind) {
    case 'step': {
      const position = snap.steps.findIndex((s) => s.id === prompt.step.id) + 1;
      ask([seg('? ', 'accent'), seg(`Run step ${position} of ${snap.steps.length}, `), seg(`"${prompt.step.title}"`, 'bold'), seg('?')]);
      keys([['y/Enter', 'run'], ['s', 'skip'], ['q', 'quit (resumable)'], HELP]);
      break;
    }
    case 'failed':
      if (prompt.interrupted) ask([seg('■ Stopped with Ctrl-C. ', 'warn'), seg(snap.mask(prompt.message), 'dim')]);
      else ask([seg('✘ Step failed: ', 'fail'), seg(snap.mask(prompt.message))]);
      keys([['r', 'retry'], ['s', 'skip'], ['q', 'quit (resumable)'], HELP]);
      break;
    case 'gate': {
      const request = prompt.request;
      if (request.typed !== undefined) {
        // The engine's default prompt already says what to type.
        const says = request.prompt.includes(`"${request.typed}"`);
        ask([seg('⚠ ', 'warn'), seg(snap.mask(request.prompt), 'bold'), ...(says ? [seg(':')] : [seg(' Type '), seg(`"${request.typed}"`, 'bold'), seg(' to go on:')])]);
        rows.push(inputLine(p.input, p.input.length > 0 && !request.typed.startsWith(p.input) ? [seg('  ✗ does not match', 'fail')] : [], width));
        keys([['Enter', 'confirm'], ['Esc', 'stop the run (resumable)']]);
      } else {
        ask([seg('⚠ ', 'warn'), seg(snap.mask(request.kind === 'block' ? 'Run this block? It is marked confirm.' : request.prompt), 'bold')]);
        keys([['y', 'yes, go on'], ['n', 'no, stop the run'], ['q', 'quit (resumable)'], HELP]);
      }
      break;
    }
    case 'manual':
      ask([seg('✋ ', 'accent'), seg('Manual step: ', 'bold'), seg('do what it says above by hand, then press d.')]);
      keys([['d', 'done'], ['s', 'skip'], ['q', 'quit (resumable)'], HELP]);
      break;
    case 'param': {
      const { param } = prompt;
      ask([seg('? ', 'accent'), seg(`Param ${prompt.position} of ${prompt.count}: `), seg(param.name, 'bold'), seg(param.description ? ` — ${param.description}` : ''), seg(param.secret ? ' (secret: not shown)' : '', 'dim')]);
      const shown = param.secret ? '•'.repeat([...p.input].length) : p.input;
      const problem = p.input === '' ? undefined : checkPattern(param, p.input);
      const status: Line = param.pattern === undefined || p.input === '' ? [] : problem ? [seg(`  ✗ does not match ${param.pattern}`, 'fail')] : [seg('  ✓ matches', 'ok')];
      rows.push(inputLine(shown, status, width));
      keys([['Enter', 'use this value'], ['Esc', 'stop']]);
      break;
    }
    case 'unknown':
      ask([seg('? ', 'warn'), seg(`"${prompt.step.title}"`, 'bold'), seg(' was started but never finished: its outcome is unknown. Check what it did, then:')]);
      keys([['r', 're-run it'], ['d', 'mark it done'], ['a', 'abort'], HELP]);
      break;
    case 'changed':
      ask([seg('? ', 'warn'), seg(`${prompt.steps.length} completed step${prompt.steps.length === 1 ? '' : 's'} changed since the run started (${prompt.steps.map((s) => s.id).join(', ')}); they will not run again. Go on?`)]);
      keys([['y', 'go on'], ['n', 'stop'], HELP]);
      break;
  }
  if (p.error) rows.splice(rows.length - 1, 0, [seg(truncate(`  ${p.error}`, width), 'warn')]);
  return rows;
}

function inputLine(text: string, status: Line, width: number): Line {
  const room = Math.max(4, width - 4 - status.reduce((n, s) => n + s.text.length, 0));
  const visible = [...text].length > room ? `…${[...text].slice(-(room - 1)).join('')}` : text;
  return [seg('  › ', 'accent'), seg(visible, 'bold'), seg('█', 'dim'), ...status];
}

function keyLine(hints: readonly KeyHint[], width: number): Line {
  const line: Seg[] = [];
  let used = 0;
  for (const [key, meaning] of hints) {
    const piece = `${key} ${meaning}`;
    if (used + piece.length + 3 > width && used > 0) break;
    if (used > 0) line.push(seg('  ·  ', 'dim'));
    line.push(seg(key, 'key'), seg(` ${meaning}`));
    used += piece.length + 5;
  }
  return line;
}

