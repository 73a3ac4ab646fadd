import type { Key } from 'ink';
import { RunbookError } from '../../engine/model/index.js';
import { checkPattern } from '../../engine/params/index.js';
import type { Interrupter } from '../../engine/run/index.js';
import type { Prompt, PromptState, TuiStore } from './tui-store.js';

export interface KeyHandlerOptions {
  readonly store: TuiStore;
  readonly interrupter: Interrupter;
  /**
   * A one-key answer that arrives this soon after its question appeared is
   * ignored, so a double Enter cannot confirm the next step by accident.
   * @default 150
   */
  readonly guardMs?: number;
}

/** The one-key answers of each prompt: key → answer. Enter counts only where it is listed. */
export const PROMPT_KEYS: Record<Exclude<Prompt['kind'], 'param'>, Readonly<Record<string, string>>> = {
  step: { y: 'run', enter: 'run', s: 'skip', q: 'quit' },
  failed: { r: 'retry', s: 'skip', q: 'quit' },
  gate: { y: 'yes', n: 'no', q: 'quit' },
  manual: { d: 'done', s: 'skip', q: 'quit' },
  unknown: { r: 'rerun', d: 'done', a: 'abort', q: 'abort' },
  changed: { y: 'yes', n: 'no', q: 'no' },
};

/** What Ctrl-C answers at each prompt: always the way out. */
const QUIT_ANSWER: Record<Exclude<Prompt['kind'], 'param'>, string> = {
  step: 'quit',
  failed: 'quit',
  gate: 'quit',
  manual: 'quit',
  unknown: 'abort',
  changed: 'no',
};

/** True when the prompt reads a line of text (a typed gate, a param) rather than one key. */
export function isTextPrompt(prompt: Prompt): boolean {
  return prompt.kind === 'param' || (prompt.kind === 'gate' && prompt.request.typed !== undefined);
}

/**
 * Turns a key press into a decision. Keys only act when they are shown on
 * screen for the current prompt; Ctrl-C stops the running step first (the
 * engine kills its process group and asks what next), then quits.
 */
export function createKeyHandler(options: KeyHandlerOptions): (input: string, key: Key) => void {
  const { store, interrupter } = options;
  const guardMs = options.guardMs ?? 150;
  return (input, key) => {
    if (store.ended) return;
    const pending = store.prompt;
    if (key.ctrl && input === 'c') {
      if (pending) {
        if (pending.prompt.kind === 'param') store.abandon(new RunbookError('INTERRUPTED', `interrupted while asking for param "${pending.prompt.param.name}"`));
        else store.answer(QUIT_ANSWER[pending.prompt.kind]);
        return;
      }
      if (!store.interrupting && store.started) {
        store.setInterrupting(true);
        interrupter.interrupt();
        return;
      }
      store.status('quitting…');
      interrupter.quit();
      return;
    }
    if (!pending || !isTextPrompt(pending.prompt)) {
      if (input === '?') {
        store.toggleHelp();
        return;
      }
      if (key.escape && store.help) {
        store.toggleHelp(false);
        return;
      }
    }
    if (!pending) return;
    if (isTextPrompt(pending.prompt)) {
      textKey(store, pending, input, key);
      return;
    }
    if (pending.prompt.kind === 'param') return;
    const keys = PROMPT_KEYS[pending.prompt.kind];
    const name = key.return ? 'enter' : input.length === 1 ? input.toLowerCase() : '';
    if (name === '') return;
    const answer = keys[name];
    if (answer === undefined) {
      store.setInput('', `"${printable(input)}" does nothing here: press ${describeKeys(keys)}, or ? for help`);
      return;
    }
    if (store.now - pending.shownAt < guardMs) return;
    store.answer(answer);
  };
}

function textKey(store: TuiStore, pending: PromptState, input: string, key: Key): void {
  const { prompt } = pending;
  if (key.escape) {
    if (prompt.kind === 'param') store.abandon(new RunbookError('STOPPED', `stopped: no value given for param "${prompt.param.name}"`));
    else store.answer('quit');
    return;
  }
  if (key.return) {
    submit(store, pending);
    return;
  }
  if (key.backspace || key.delete) {
    store.setInput([...pending.input].slice(0, -1).join(''));
    return;
  }
  if (key.ctrl && input === 'u') {
    store.setInput('');
    return;
  }
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
  // Typed or pasted text; a pasted newline submits.
  const lines = input.split(/\r\n|\r|\n/);
  const text = (lines[0] ?? '').replace(/[\x00-\x1f\x7f-\x9f]/g, '');
  if (text) store.setInput(pending.input + text);
  if (lines.length > 1) {
    const now = store.prompt;
    if (now) submit(store, now);
  }
}

function submit(store: TuiStore, pending: PromptState): void {
  const { prompt, input } = pending;
  if (prompt.kind === 'param') {
    const problem = input === '' ? 'a value is needed (Esc to stop)' : checkPattern(prompt.param, input);
    if (problem) store.setInput(input, problem);
    else store.answer(input);
    return;
  }
  if (prompt.kind === 'gate' && prompt.request.typed !== undefined) {
    if (input === prompt.request.typed) store.answer('yes');
    else store.setInput('', `that is not "${prompt.request.typed}": type it exactly, then Enter (Esc stops the run)`);
  }
}

function describeKeys(keys: Readonly<Record<string, string>>): string {
  return Object.keys(keys)
    .map((k) => (k === 'enter' ? 'Enter' : k))
    .join(', ');
}

function printable(input: string): string {
  return input.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}
