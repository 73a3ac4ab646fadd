import type { Key } from "ink";
import { RunbookError } from "../../engine/model/index.js";
import { checkPattern } from "../../engine/params/index.js";
import type { Interrupter } from "../../engine/run/index.js";
import type { Prompt, PromptState, TuiStore } from "./tui-store.js";

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
export const PROMPT_KEYS: Record<
  Exclude<Prompt["kind"], "param">,
  Readonly<Record<string, string>>
> = {
  step: { y: "run", enter: "run", c: "run", s: "skip", q: "quit" },
  failed: { r: "retry", s: "skip", q: "quit" },
  gate: { y: "yes", c: "yes", n: "no", q: "quit" },
  manual: { d: "done", s: "skip", q: "quit" },
  unknown: { r: "rerun", d: "done", a: "abort", q: "abort" },
  changed: { y: "yes", n: "no", q: "no" },
};

/** A step whose question is its lead gate's: the gate's keys, and `s` to skip the step before it starts. */
const LEAD_KEYS: Record<
  "confirm" | "block" | "manual",
  Readonly<Record<string, string>>
> = {
  confirm: { y: "yes", c: "yes", n: "no", s: "skip", q: "quit" },
  block: { y: "yes", c: "yes", n: "no", s: "skip", q: "quit" },
  manual: { d: "done", s: "skip", q: "quit" },
};

/** What Ctrl-C answers at each prompt: always the way out. */
const QUIT_ANSWER: Record<Exclude<Prompt["kind"], "param">, string> = {
  step: "quit",
  failed: "quit",
  gate: "quit",
  manual: "quit",
  unknown: "abort",
  changed: "no",
};

/** True when the prompt reads a line of text (a typed gate, a param) rather than one key. */
export function isTextPrompt(prompt: Prompt): boolean {
  return (
    prompt.kind === "param" ||
    (prompt.kind === "gate" && prompt.request.kind === "typed") ||
    (prompt.kind === "step" && prompt.lead?.kind === "typed")
  );
}

function keysOf(
  prompt: Exclude<Prompt, { kind: "param" }>,
): Readonly<Record<string, string>> {
  if (prompt.kind === "step" && prompt.lead && prompt.lead.kind !== "typed")
    return LEAD_KEYS[prompt.lead.kind];
  return PROMPT_KEYS[prompt.kind];
}

/**
 * Turns a key press into a decision. Keys only act when they are shown on
 * screen for the current prompt; Ctrl-C stops the running step first (the
 * engine kills its process group and asks what next), then quits. The
 * arrows move a selection through the step list; Enter (or `o`) opens the
 * selected step unless the selection is on the step being asked about,
 * where Enter answers its question.
 */
export function createKeyHandler(
  options: KeyHandlerOptions,
): (input: string, key: Key) => void {
  const { store, interrupter } = options;
  const guardMs = options.guardMs ?? 150;
  return (input, key) => {
    if (store.ended) return;
    const pending = store.prompt;
    const leave =
      store.readOnly &&
      ((key.ctrl && input === "c") ||
        (input === "q" &&
          store.browser.openedStep === undefined &&
          !store.help));
    if (leave) {
      // A follower stops no step: it only stops watching.
      store.status("leaving…");
      interrupter.quit();
      return;
    }
    if (key.ctrl && input === "c") {
      store.setContinuing(false);
      if (pending) {
        if (pending.prompt.kind === "param")
          store.abandon(
            new RunbookError(
              "INTERRUPTED",
              `interrupted while asking for param "${pending.prompt.param.name}"`,
            ),
          );
        else store.answer(QUIT_ANSWER[pending.prompt.kind]);
        return;
      }
      if (!store.interrupting && store.started) {
        store.setInterrupting(true);
        interrupter.interrupt();
        return;
      }
      store.status("quitting…");
      interrupter.quit();
      return;
    }
    if (store.browser.openedStep !== undefined) {
      openedKey(store, input, key);
      return;
    }
    if (pending && isTextPrompt(pending.prompt)) {
      textKey(store, pending, input, key);
      return;
    }
    if (browseKey(store, input, key)) return;
    if (!pending || pending.prompt.kind === "param") return;
    const keys = keysOf(pending.prompt);
    const name = key.return
      ? "enter"
      : input.length === 1
        ? input.toLowerCase()
        : "";
    if (name === "") return;
    const answer = keys[name];
    if (answer === undefined) {
      store.setInput(
        "",
        `${name === "enter" ? "Enter" : `"${printable(input)}"`} does nothing here: press ${describeKeys(keys)}, or ? for help`,
      );
      return;
    }
    if (store.now - pending.shownAt < guardMs) return;
    if (name === "c") store.setContinuing(true);
    store.answer(answer);
  };
}

/** Keys that work whatever is asked: help, the step list, opening a step, prose, pausing `c`. True when used. */
function browseKey(store: TuiStore, input: string, key: Key): boolean {
  if (input === "?") {
    store.toggleHelp();
    return true;
  }
  if (key.escape) {
    if (store.help) store.toggleHelp(false);
    else if (!store.browser.selectionOnCurrent) store.browser.resetSelection();
    return true;
  }
  if (key.upArrow || key.downArrow) {
    store.browser.moveSelection(key.upArrow ? -1 : 1);
    return true;
  }
  if (
    input === "o" ||
    (key.return && (!store.browser.selectionOnCurrent || !store.prompt))
  ) {
    store.browser.open();
    return true;
  }
  if (input === "e") {
    store.browser.toggleProse();
    return true;
  }
  if (input === "p" && store.continuing) {
    store.setContinuing(false);
    return true;
  }
  return false;
}

/** An opened step: scrolling, the steps around it, and Esc back. */
function openedKey(store: TuiStore, input: string, key: Key): void {
  if (store.help && (key.escape || input === "?")) store.toggleHelp(false);
  else if (key.escape || input === "q") store.browser.closeOpened();
  else if (key.upArrow || input === "k") store.browser.scrollOpened("up");
  else if (key.downArrow || input === "j") store.browser.scrollOpened("down");
  else if (key.pageUp || input === "b") store.browser.scrollOpened("page-up");
  else if (key.pageDown || input === " ")
    store.browser.scrollOpened("page-down");
  else if (key.home || input === "g") store.browser.scrollOpened("home");
  else if (key.end || input === "G") store.browser.scrollOpened("end");
  else if (input === "o") store.browser.scrollOpened("output");
  else if (key.leftArrow) store.browser.openSibling(-1);
  else if (key.rightArrow) store.browser.openSibling(1);
  else if (input === "?") store.toggleHelp();
}

function textKey(
  store: TuiStore,
  pending: PromptState,
  input: string,
  key: Key,
): void {
  const { prompt } = pending;
  if (key.escape) {
    if (prompt.kind === "param")
      store.abandon(
        new RunbookError(
          "STOPPED",
          `stopped: no value given for param "${prompt.param.name}"`,
        ),
      );
    else store.answer("quit");
    return;
  }
  if (key.return) {
    submit(store, pending);
    return;
  }
  if (key.backspace || key.delete) {
    store.setInput([...pending.input].slice(0, -1).join(""));
    return;
  }
  if (key.ctrl && input === "u") {
    store.setInput("");
    return;
  }
  if (
    key.ctrl ||
    key.meta ||
    key.upArrow ||
    key.downArrow ||
    key.leftArrow ||
    key.rightArrow ||
    key.tab
  )
    return;
  // Typed or pasted text; a pasted newline submits.
  const lines = input.split(/\r\n|\r|\n/);
  const text = (lines[0] ?? "").replace(/[\x00-\x1f\x7f-\x9f]/g, "");
  if (text) store.setInput(pending.input + text);
  if (lines.length > 1) {
    const now = store.prompt;
    if (now) submit(store, now);
  }
}

function submit(store: TuiStore, pending: PromptState): void {
  const { prompt, input } = pending;
  if (prompt.kind === "param") {
    const problem =
      input === ""
        ? "a value is needed (Esc to stop)"
        : checkPattern(prompt.param, input);
    if (problem) store.setInput(input, problem);
    else store.answer(input);
    return;
  }
  const typed =
    prompt.kind === "gate"
      ? prompt.request.kind === "typed"
        ? prompt.request.typed
        : undefined
      : prompt.kind === "step"
        ? prompt.lead?.typed
        : undefined;
  if (typed !== undefined) {
    if (input === typed) store.answer("yes");
    else
      store.setInput(
        "",
        `that is not "${store.mask(typed)}": type it exactly, then Enter (Esc stops the run)`,
      );
  }
}

function describeKeys(keys: Readonly<Record<string, string>>): string {
  return Object.keys(keys)
    .map((k) => (k === "enter" ? "Enter" : k))
    .join(", ");
}

function printable(input: string): string {
  return input.replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
}
