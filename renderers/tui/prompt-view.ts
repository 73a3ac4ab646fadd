import { checkPattern } from "../../engine/params/index.js";
import { elideMiddle, shortPath } from "./format.js";
import { seg, wrapWords, type Line, type Seg } from "./segments.js";
import { stdinHint } from "./stdin-hint.js";
import { takeEnd, textWidth, truncate } from "./terminal-text.js";
import type { LeadGate, TuiSnapshot } from "./tui-store.js";
import { plural } from "../../engine/model/index.js";

type KeyHint = readonly [key: string, meaning: string];

const HELP: KeyHint = ["?", "help"];

export interface PromptViewOptions {
  /** Paths are shown relative to this folder when inside it. */
  readonly cwd?: string;
  /** Rows of prose the step pane had to cut (`e` shows them). */
  readonly proseHidden?: number;
}

/** What `q` (and the other ways out) can promise: a rehearsal's clusters are gone when it ends, so it cannot be resumed. */
export function quitMeaning(snap: TuiSnapshot): string {
  return snap.run?.mode === "rehearsal"
    ? "quit (not resumable: the sandbox is removed)"
    : "quit (resumable)";
}

/**
 * The bottom of the screen: what is being asked (or what is happening), the
 * text typed so far for a typed gate or a param, why an answer was refused,
 * and the keys that work right now (never one the run cannot keep).
 */
export function promptLines(
  snap: TuiSnapshot,
  width: number,
  options: PromptViewOptions = {},
): Line[] {
  const rows: Line[] = [];
  const ask = (line: Line, max = 2): void => {
    rows.push(...wrapWords(line, width, [seg("  ")]).slice(0, max));
  };
  const quit: KeyHint = ["q", quitMeaning(snap)];
  const extras: KeyHint[] = [];
  // A typed gate or a param reads text: its arrows and letters are not keys then.
  const typing =
    snap.prompt !== undefined &&
    (snap.prompt.prompt.kind === "param" ||
      (snap.prompt.prompt.kind === "gate" &&
        snap.prompt.prompt.request.kind === "typed") ||
      (snap.prompt.prompt.kind === "step" &&
        snap.prompt.prompt.lead?.kind === "typed"));
  if (options.proseHidden && !typing) extras.push(["e", "more prose"]);
  if (snap.proseExpanded && !typing) extras.push(["e", "less prose"]);
  if (snap.run && snap.steps.length > 1 && !typing)
    extras.push(["↑↓", "steps"], ["o", "open"]);
  const other =
    snap.selected !== undefined && snap.selected !== snap.current?.step.id
      ? snap.steps.find((s) => s.id === snap.selected)
      : undefined;
  let keyStart = 0;
  const keys = (hints: readonly KeyHint[]): void => {
    keyStart = rows.length;
    if (snap.opened)
      rows.push(
        ...keyRows(
          [
            ["↑↓", "scroll"],
            ["PgUp/PgDn", "page"],
            ["Home/End", ""],
            ["o", "output"],
            ["←→", "other steps"],
            ["Esc", "back"],
          ],
          width,
        ),
      );
    else if (snap.help) rows.push(...keyRows([["?/Esc", "back"]], width));
    else if (other) {
      // Enter opens the selected step; the current step's question keeps its other keys.
      const own = hints.map(([k, m]): KeyHint =>
        k === "y/Enter" ? ["y", m] : [k, m],
      );
      rows.push(
        ...keyRows(
          [["Enter", `open "${other.title}"`], ["Esc", "back"], ...own],
          width,
        ),
      );
    } else rows.push(...keyRows([...hints, ...extras], width));
  };
  const p = snap.prompt;
  if (snap.readOnly) {
    followerLines(snap, width, ask, options);
    keys([["Ctrl-C/q", "stop following (the run goes on)"], HELP]);
    return rows;
  }
  if (snap.notice && snap.current && snap.notice.level !== "info") {
    rows.push([
      seg(
        truncate(
          `${snap.notice.level === "error" ? "✘" : "⚠"} ${snap.notice.message}`,
          width,
        ),
        snap.notice.level === "error" ? "fail" : "warn",
      ),
    ]);
  }
  if (!p) {
    if (snap.interrupting) {
      ask([
        seg("■ Stopping the step ", "warn"),
        seg("(its whole process group)…", "dim"),
      ]);
      keys([
        [
          "Ctrl-C",
          `again: ${quitMeaning(snap).replace(/^quit/, "quit the run")}`,
        ],
      ]);
    } else if (snap.current?.state === "running") {
      const log = snap.current.outputLog
        ? shortPath(snap.current.outputLog, options.cwd)
        : undefined;
      const head = `▶ Running "${snap.current.step.title}" `;
      ask([
        seg("▶ Running ", "running"),
        seg(`"${snap.current.step.title}"`, "bold"),
        seg(
          log
            ? ` · full output: ${elideMiddle(log, width - textWidth(head) - 16)}`
            : "",
          "dim",
        ),
      ]);
      keys([
        ["Ctrl-C", "stop this step"],
        ...(snap.continuing ? [["p", "pause after this step"] as KeyHint] : []),
        HELP,
      ]);
    } else if (!snap.run) {
      ask([seg("Preparing the run…", "dim")]);
      keys([["Ctrl-C", "quit"]]);
    } else {
      ask([seg("…", "dim")]);
      keys([["Ctrl-C", "stop"], HELP]);
    }
    return rows;
  }
  const prompt = p.prompt;
  switch (prompt.kind) {
    case "step": {
      if (prompt.lead) {
        leadRows(snap, prompt.lead, p.input, width, ask, rows);
        keys(leadKeys(prompt.lead, quit));
        break;
      }
      const position = snap.steps.findIndex((s) => s.id === prompt.step.id) + 1;
      ask([
        seg("? ", "accent"),
        seg(`Run step ${position} of ${snap.steps.length}, `),
        seg(`"${prompt.step.title}"`, "bold"),
        seg("?"),
      ]);
      keys([["y/Enter", "run"], ["c", "continue"], ["s", "skip"], quit, HELP]);
      break;
    }
    case "failed": {
      if (prompt.interrupted)
        ask([
          seg("■ Stopped with Ctrl-C. ", "warn"),
          seg(prompt.message, "dim"),
        ]);
      else ask([seg("✘ Step failed: ", "fail"), seg(prompt.message)]);
      const cur = snap.current;
      const failed = cur
        ? [...cur.actions].find(([, r]) => r.state === "failed")?.[0]
        : undefined;
      const hint =
        cur && failed !== undefined
          ? stdinHint(cur.step.actions[failed], cur.output)
          : undefined;
      if (hint) ask([seg("  hint: ", "warn"), seg(hint)], 2);
      keys([["r", "retry"], ["s", "skip"], quit, HELP]);
      break;
    }
    case "gate": {
      const request = prompt.request;
      if (request.kind === "typed") {
        typedRows(
          snap,
          request.prompt,
          request.typed,
          p.input,
          width,
          ask,
          rows,
        );
        keys([
          ["Enter", "confirm"],
          ["Esc", stopMeaning(snap)],
        ]);
      } else {
        ask([
          seg("⚠ ", "warn"),
          seg(
            request.kind === "block"
              ? "Run this block? It is marked confirm."
              : request.prompt,
            "bold",
          ),
        ]);
        keys([
          ["y", "yes, go on"],
          ...(snap.continuing ? [] : [["c", "yes, and continue"] as KeyHint]),
          ["n", "no, stop the run"],
          quit,
          HELP,
        ]);
      }
      break;
    }
    case "manual":
      ask([
        seg("✋ ", "accent"),
        seg("Manual step: ", "bold"),
        seg("do what it says above by hand, then press d."),
      ]);
      keys([["d", "done"], ["s", "skip"], quit, HELP]);
      break;
    case "param": {
      const { param } = prompt;
      ask([
        seg("? ", "accent"),
        seg(`Param ${prompt.position} of ${prompt.count}: `),
        seg(param.name, "bold"),
        seg(param.description ? ` — ${param.description}` : ""),
        seg(param.secret ? " (secret: not shown)" : "", "dim"),
      ]);
      const shown = param.secret ? "•".repeat([...p.input].length) : p.input;
      const problem = p.input === "" ? undefined : checkPattern(param, p.input);
      const status: Line =
        param.pattern === undefined || p.input === ""
          ? []
          : problem
            ? [seg(`  ✗ does not match ${param.pattern}`, "fail")]
            : [seg("  ✓ matches", "ok")];
      rows.push(inputLine(shown, status, width));
      keys([
        ["Enter", "use this value"],
        ["Esc", "stop"],
      ]);
      break;
    }
    case "unknown": {
      const log = prompt.log;
      ask(
        [
          seg("? ", "warn"),
          seg(`"${prompt.step.title}"`, "bold"),
          seg(
            " was started but never finished: its outcome is unknown. Check what it did",
          ),
          seg(
            log
              ? ` (its last output is above; log: ${shortPath(log, options.cwd)})`
              : "",
          ),
          seg(", then:"),
        ],
        3,
      );
      keys([["r", "re-run it"], ["d", "mark it done"], ["a", "abort"], HELP]);
      break;
    }
    case "changed":
      ask([
        seg("? ", "warn"),
        seg(
          `${plural(prompt.steps.length, "completed step")} changed since the run started (${prompt.steps.map((s) => s.id).join(", ")}); they will not run again. Go on?`,
        ),
      ]);
      keys([["y", "go on"], ["n", "stop"], HELP]);
      break;
  }
  if (p.error)
    rows.splice(keyStart, 0, [seg(truncate(`  ${p.error}`, width), "warn")]);
  return rows;
}

/** The question of a step's lead gate, asked instead of "Run step N?". */
function leadRows(
  snap: TuiSnapshot,
  lead: LeadGate,
  input: string,
  width: number,
  ask: (line: Line, max?: number) => void,
  rows: Line[],
): void {
  switch (lead.kind) {
    case "typed":
      typedRows(snap, lead.prompt, lead.typed ?? "", input, width, ask, rows);
      return;
    case "confirm":
      ask([seg("⚠ ", "warn"), seg(lead.prompt, "bold")]);
      return;
    case "block":
      ask([seg("⚠ ", "warn"), seg(lead.prompt, "bold")]);
      return;
    case "manual":
      ask([
        seg("✋ ", "accent"),
        seg("Manual step: ", "bold"),
        seg("do what it says above by hand, then press d."),
      ]);
      return;
  }
}

function leadKeys(lead: LeadGate, quit: KeyHint): KeyHint[] {
  switch (lead.kind) {
    case "typed":
      return [
        ["Enter", "confirm and run the step"],
        ["Esc", quit[1].replace(/^quit/, "stop the run")],
      ];
    case "confirm":
    case "block":
      return [
        ["y", "yes, run the step"],
        ["c", "yes, and continue"],
        ["n", "no, stop the run"],
        ["s", "skip the step"],
        quit,
        HELP,
      ];
    case "manual":
      return [["d", "done"], ["s", "skip"], quit, HELP];
  }
}

function stopMeaning(snap: TuiSnapshot): string {
  return quitMeaning(snap).replace(/^quit/, "stop the run");
}

function typedRows(
  snap: TuiSnapshot,
  question: string,
  typed: string,
  input: string,
  width: number,
  ask: (line: Line, max?: number) => void,
  rows: Line[],
): void {
  // The engine's default question already says what to type.
  const says = question.includes(`"${typed}"`);
  ask([
    seg("⚠ ", "warn"),
    seg(snap.mask(question), "bold"),
    ...(says
      ? [seg(":")]
      : [
          seg(" Type "),
          seg(`"${snap.mask(typed)}"`, "bold"),
          seg(" to go on:"),
        ]),
  ]);
  rows.push(
    inputLine(
      input,
      input.length > 0 && !typed.startsWith(input)
        ? [seg("  ✗ does not match", "fail")]
        : [],
      width,
    ),
  );
}

function inputLine(text: string, status: Line, width: number): Line {
  const room = Math.max(
    4,
    width - 4 - status.reduce((n, s) => n + textWidth(s.text), 0),
  );
  const visible = textWidth(text) > room ? `…${takeEnd(text, room - 1)}` : text;
  return [
    seg("  › ", "accent"),
    seg(visible, "bold"),
    seg("█", "dim"),
    ...status,
  ];
}

/**
 * The key bar: hints in order on one row, or two when they do not fit (a
 * narrow terminal, a rehearsal's longer `q`); past that a hint that does not
 * fit is left out.
 */
function keyRows(hints: readonly KeyHint[], width: number): Line[] {
  const rows: Seg[][] = [[]];
  let used = 0;
  for (const [key, meaning] of hints) {
    const piece = meaning ? `${key} ${meaning}` : key;
    let row = rows[rows.length - 1] as Seg[];
    let cost = textWidth(piece) + (used > 0 ? 5 : 0);
    if (used + cost > width && used > 0 && rows.length < 2) {
      row = [];
      rows.push(row);
      used = 0;
      cost = textWidth(piece);
    }
    if (used + cost > width) {
      if (used > 0) continue;
      row.push(seg(truncate(piece, width), "key"));
      used = width;
      continue;
    }
    if (used > 0) row.push(seg("  ·  ", "dim"));
    row.push(seg(key, "key"));
    if (meaning) row.push(seg(` ${meaning}`));
    used += cost;
  }
  return rows;
}

/** What a follower sees at the bottom: what the run is doing where it is driven. */
function followerLines(
  snap: TuiSnapshot,
  width: number,
  ask: (line: Line) => void,
  options: PromptViewOptions,
): void {
  if (snap.current?.state === "running") {
    const log = snap.current.outputLog
      ? shortPath(snap.current.outputLog, options.cwd)
      : undefined;
    const head = `▶ Running "${snap.current.step.title}" `;
    ask([
      seg("▶ Running ", "running"),
      seg(`"${snap.current.step.title}"`, "bold"),
      seg(
        log
          ? ` · full output: ${elideMiddle(log, width - textWidth(head) - 16)}`
          : "",
        "dim",
      ),
    ]);
  } else
    ask([
      seg(
        snap.run
          ? "Following: the operator driving this run decides the next step…"
          : "Following: waiting for the run…",
        "dim",
      ),
    ]);
}
