import { allocate, type Block } from "./allocate.js";
import { checkResultRows, checkRows } from "./check-view.js";
import { actionRows, type CodeViewContext } from "./code-view.js";
import {
  elideMiddle,
  formatBytes,
  formatCount,
  formatDuration,
  formatElapsed,
  shortPath,
  spinnerFrame,
} from "./format.js";
import type { OutputLine } from "./output-buffer.js";
import { proseOf } from "./prose.js";
import { lineWidth, seg, wrapLine, wrapWords, type Line } from "./segments.js";
import { stdinHint } from "./stdin-hint.js";
import { STATE_MARKS } from "./step-list-view.js";
import { sanitizeLine, textWidth, truncate } from "./terminal-text.js";
import type { CurrentStep, TuiSnapshot } from "./tui-store.js";

export interface DetailViewOptions {
  readonly width: number;
  readonly height: number;
  /** Paths are shown relative to this folder when inside it. */
  readonly cwd?: string;
}

/** The step pane, fitted: its rows, and how many rows of prose `e` would show. */
export interface DetailView {
  readonly lines: Line[];
  /** Prose rows cut to make room (0: all shown, or expanded). */
  readonly proseHidden: number;
}

/** Rows the step that just finished may take above the next step's question (a share of the pane). */
const PREVIOUS_SHARE = 0.45;

/**
 * The step on screen, fitted to the pane: its title and state, its prose,
 * each action's code (highlighted, secrets masked) with its status, the
 * live output (last lines), and each check with expected and actual. Before
 * a step runs its code has the room; while and after it runs, the output,
 * the failing action and the check results have it. While the next step
 * waits for its answer, the step that just finished keeps its result above
 * it: last lines of output, captures, checks with their values.
 */
export function detailLines(
  snap: TuiSnapshot,
  options: DetailViewOptions,
): DetailView {
  const { width, height } = options;
  const cur = snap.current;
  if (!cur)
    return {
      lines: allocate(
        [{ rows: introRows(snap, width), min: 0, priority: 1 }],
        height,
      ),
      proseHidden: 0,
    };
  const ctx: CodeViewContext = {
    width,
    now: snap.now,
    values: snap.values,
    mask: snap.mask,
  };
  const waiting = cur.state === "pending" || cur.state === "unknown";
  // `e` (the whole prose) gives the finished step's room to the prose until it is pressed again.
  const prev =
    waiting &&
    !snap.proseExpanded &&
    snap.previous &&
    snap.previous.step.id !== cur.step.id
      ? snap.previous
      : undefined;
  let top: Line[] = [];
  if (prev) {
    const room = Math.max(3, Math.floor(height * PREVIOUS_SHARE));
    top = allocate(previousBlocks(prev, snap, ctx), room);
    top.push([
      seg(`${"─".repeat(Math.max(0, Math.min(width, 3)))} next `, "dim"),
      seg("─".repeat(Math.max(0, width - 9)), "dim"),
    ]);
  }
  const { blocks, prose } = stepBlocks(
    cur,
    snap,
    ctx,
    height - top.length,
    options.cwd,
  );
  const lines = [...top, ...allocate(blocks, Math.max(1, height - top.length))];
  const shownProse = countProse(lines, prose);
  return {
    lines,
    proseHidden: snap.proseExpanded
      ? 0
      : Math.max(0, prose.length - shownProse),
  };
}

/** The step that just finished, as a result: title and time, output tail, captures, checks with values. */
function previousBlocks(
  prev: CurrentStep,
  snap: TuiSnapshot,
  ctx: CodeViewContext,
): Block[] {
  const { width } = ctx;
  const blocks: Block[] = [
    {
      rows: [titleRow(prev, snap, width, "Just finished")],
      min: 1,
      priority: 0,
    },
  ];
  if (prev.changed)
    blocks.push({ rows: changedRows(prev, width), min: 1, priority: 1 });
  const checks = prev.step.checks.flatMap((check, i) =>
    checkResultRows(check, i, prev.checks.get(i), ctx),
  );
  if (checks.length > 0)
    blocks.push({ rows: checks, min: checks.length, priority: 1 });
  if (prev.captures.length > 0)
    blocks.push({
      rows: captureRows(prev, snap, width),
      min: prev.captures.length,
      priority: 1,
    });
  const failed = [...prev.actions].find(([, r]) => r.state === "failed");
  if (failed) {
    const action = prev.step.actions[failed[0]];
    blocks.push({
      rows: wrapWords(
        [
          seg("  ✗ ", "fail"),
          seg(
            `${action?.kind ?? "block"} at line ${action?.at.line ?? "?"}: ${failed[1].message ?? "failed"}`,
            "fail",
          ),
        ],
        width,
        [seg("    ")],
      ),
      min: 1,
      priority: 1,
    });
  }
  if (prev.outputBytes > 0) {
    const lines = prev.output.slice(-8);
    blocks.push({
      rows: outputRows(lines, width),
      min: Math.min(3, lines.length),
      priority: 2,
      anchor: "end",
      earlier: Math.max(0, prev.outputLines - lines.length),
    });
  } else if (prev.state === "done") {
    blocks.push({ rows: [[seg("  (no output)", "dim")]], min: 0, priority: 3 });
  }
  return blocks;
}

/** The step on screen: title, prose, actions, output, checks, captures. */
function stepBlocks(
  cur: CurrentStep,
  snap: TuiSnapshot,
  ctx: CodeViewContext,
  height: number,
  cwd: string | undefined,
): { blocks: Block[]; prose: Line[] } {
  const { width } = ctx;
  const ran =
    cur.state !== "pending" &&
    cur.state !== "unknown" &&
    (cur.actions.size > 0 || cur.checks.size > 0 || cur.outputBytes > 0);
  const blocks: Block[] = [
    { rows: [titleRow(cur, snap, width)], min: 1, priority: 0 },
  ];
  if (cur.changed)
    blocks.push({ rows: changedRows(cur, width), min: 1, priority: 0 });

  const prose = proseRows(cur, snap, width);
  if (prose.length > 0) {
    // Expanded, the prose takes the pane; what still does not fit is read in the opened step.
    if (snap.proseExpanded)
      blocks.push({
        rows: prose,
        min: Math.min(prose.length, Math.max(1, height - 2)),
        priority: 0,
        note: "o: open the step to read it all",
      });
    else
      blocks.push({
        rows: prose,
        min: ran ? 0 : Math.min(3, prose.length),
        priority: ran ? 6 : 2,
        note: "e: show more",
      });
  }

  const failedAction = [...cur.actions].find(
    ([, r]) => r.state === "failed" || r.state === "running",
  )?.[0];
  cur.step.actions.forEach((action, i) => {
    const run = cur.actions.get(i);
    const rows = actionRows(cur.step, i, run, ctx);
    const hint =
      run?.state === "failed" ? stdinHint(action, cur.output) : undefined;
    if (hint)
      rows.push(
        ...wrapWords([seg("  hint: ", "warn"), seg(hint)], width, [
          seg("        "),
        ]),
      );
    const focus = i === failedAction;
    blocks.push({
      rows,
      min: focus ? Math.min(rows.length, hint ? 8 : 4) : 1,
      priority: focus ? 2 : ran ? 4 : 1,
    });
  });

  if (cur.logTail) {
    // A resumed step whose outcome is unknown: what its log says it did last.
    const t = cur.logTail;
    const head = t.missing
      ? "── its log has no output "
      : `── last ${formatCount(t.lines.length, "line")} of ${formatCount(t.total, "line")} in its log `;
    blocks.push({
      rows: [
        [
          seg(
            truncate(head, width) +
              "─".repeat(Math.max(0, width - textWidth(head))),
            "dim",
          ),
        ],
      ],
      min: 1,
      priority: 1,
    });
    if (t.lines.length > 0)
      blocks.push({
        rows: outputRows(t.lines, width),
        min: Math.min(t.lines.length, 6),
        priority: 1,
        anchor: "end",
      });
    // One row: the question below says the whole path.
    if (cur.outputLog)
      blocks.push({
        rows: [
          [
            seg("   log: ", "dim"),
            seg(
              elideMiddle(shortPath(cur.outputLog, cwd), width - 8),
              "accent",
            ),
          ],
        ],
        min: 1,
        priority: 1,
      });
  }

  const runsCode = cur.step.actions.some(
    (a, i) => a.kind !== "manual" && a.kind !== "confirm" && cur.actions.has(i),
  );
  if (runsCode || cur.outputBytes > 0) {
    blocks.push({ rows: [outputHeader(cur, width)], min: 1, priority: 1 });
    // Each line takes at least one row: more than a pane's height of lines can never show.
    const lines = cur.output.slice(-height);
    const body = outputRows(lines, width);
    if (body.length > 0)
      blocks.push({
        rows: body,
        min: Math.min(body.length, 6),
        priority: 1,
        anchor: "end",
        earlier: Math.max(0, cur.outputLines - lines.length),
      });
  }

  cur.step.checks.forEach((check, i) => {
    const run = cur.checks.get(i);
    const rows = checkRows(check, i, run, ctx);
    // The result (the last rows) matters more than the check's code once it ran.
    const done = run?.outcome !== undefined;
    blocks.push({
      rows,
      min: done ? rows.length : 1,
      priority: done ? 1 : ran ? 3 : 2,
    });
  });

  if (cur.captures.length > 0)
    blocks.push({ rows: captureRows(cur, snap, width), min: 1, priority: 3 });
  return { blocks, prose };
}

/** The runbook was edited during the run: this attempt runs the step's new text (the engine says so, and journals it). */
export function changedRows(cur: CurrentStep, width: number): Line[] {
  if (!cur.changed) return [];
  return wrapWords(
    [
      seg("  ✎ ", "warn"),
      seg("changed since the run started: ", "warn"),
      seg(
        `running the step as the runbook says now (text ${cur.changed.from.slice(0, 8)} → ${cur.changed.to.slice(0, 8)})`,
        "dim",
      ),
    ],
    width,
    [seg("    ")],
  );
}

/** The step's prose, word-wrapped (secrets masked). */
export function proseRows(
  cur: CurrentStep,
  snap: TuiSnapshot,
  width: number,
): Line[] {
  return proseOf(cur.step.context, cur.step.section).flatMap((p) =>
    wrapWords(
      p.line.map((s) => ({ ...s, text: snap.mask(s.text) })),
      width,
      p.indent,
    ),
  );
}

/** `= name = "value"` for each capture (masked as the engine gave it; a secret one says so). */
export function captureRows(
  cur: CurrentStep,
  snap: TuiSnapshot,
  width: number,
): Line[] {
  return cur.captures.flatMap((c) =>
    wrapLine(
      [
        seg("= ", "dim"),
        seg(`${c.name} = `, "dim"),
        seg(
          JSON.stringify(truncate(c.value, 120)),
          c.secret ? "secret" : "variable",
        ),
        seg(c.secret ? "  (secret: masked)" : "", "dim"),
      ],
      width,
      [seg("    ")],
    ),
  );
}

function countProse(lines: readonly Line[], prose: readonly Line[]): number {
  const set = new Set(prose);
  return lines.filter((l) => set.has(l)).length;
}

/** "Step 2 of 7 · title  id   ✔ done 1.2s" (`label` instead of "Step 2 of 7" for a finished step shown above the next). */
export function titleRow(
  cur: CurrentStep,
  snap: TuiSnapshot,
  width: number,
  label?: string,
): Line {
  const mark = STATE_MARKS[cur.state];
  const position = snap.steps.findIndex((s) => s.id === cur.step.id);
  const count = label
    ? `${label}: step ${position + 1}`
    : `Step ${position + 1} of ${snap.steps.length}`;
  let state: string;
  if (cur.state === "running")
    state = `${spinnerFrame(snap.now)} running ${cur.startedAt !== undefined ? formatElapsed(snap.now - cur.startedAt) : ""}`;
  else if (cur.state === "done")
    state = `${mark.symbol} done ${cur.durationMs !== undefined ? formatDuration(cur.durationMs) : ""}`;
  else state = `${mark.symbol} ${mark.word}`;
  if (cur.attempt > 1) state = `attempt ${cur.attempt} · ${state}`;
  state = state.trimEnd();
  const left: Line = [
    seg(`${count} · `, "dim"),
    seg(cur.step.title, "heading"),
    seg(`  ${cur.step.id}`, "dim"),
  ];
  const room = Math.max(8, width - textWidth(state) - 2);
  const cut: Line =
    lineWidth(left) > room
      ? [seg(truncate(`${count} · ${cur.step.title}`, room), "heading")]
      : left;
  const gap = Math.max(1, width - lineWidth(cut) - textWidth(state));
  return [...cut, seg(" ".repeat(gap)), seg(state, mark.tone)];
}

function outputHeader(cur: CurrentStep, width: number): Line {
  const counts =
    cur.outputBytes === 0
      ? "no output yet"
      : `${formatCount(cur.outputLines, "line")} · ${formatBytes(cur.outputBytes)}`;
  const text = `── output · ${counts} `;
  return [
    seg(
      truncate(text, width) + "─".repeat(Math.max(0, width - textWidth(text))),
      "dim",
    ),
  ];
}

/** Output lines with their stream's gutter, hard-wrapped. */
export function outputRows(
  lines: readonly OutputLine[],
  width: number,
): Line[] {
  const rows: Line[] = [];
  for (const l of lines) {
    const gutter =
      l.stream === "stderr"
        ? seg("┆ ", "stderr")
        : l.stream === "info"
          ? seg("· ", "info")
          : seg("│ ", "dim");
    const text =
      sanitizeLine(l.text) +
      (l.cut > 0 ? ` … (${formatCount(l.cut, "more character")})` : "");
    rows.push(
      ...wrapLine(
        [gutter, seg(text, l.stream === "info" ? "info" : undefined)],
        width,
        [seg("  ")],
      ),
    );
  }
  return rows;
}

/** Before the first step: what is being prepared, the runbook's introduction, its params. */
function introRows(snap: TuiSnapshot, width: number): Line[] {
  const rows: Line[] = [];
  if (snap.notice)
    rows.push(
      ...wrapWords(
        [
          seg(`${spinnerFrame(snap.now)} `, "running"),
          seg(snap.notice.message),
        ],
        width,
      ),
      [],
    );
  else if (!snap.prompt)
    rows.push(
      [
        seg(`${spinnerFrame(snap.now)} `, "running"),
        seg("preparing the run…", "dim"),
      ],
      [],
    );
  const first = snap.runbook.steps.find((s) => s.id === snap.steps[0]?.id);
  if (!first) rows.push([seg("This runbook has no steps.", "dim")]);
  else
    rows.push(
      ...proseOf(first.context).flatMap((p) =>
        wrapWords(
          p.line.map((s) => ({ ...s, text: snap.mask(s.text) })),
          width,
          p.indent,
        ),
      ),
    );
  if (snap.runbook.params.length > 0) {
    rows.push([], [seg("Params", "heading")]);
    for (const param of snap.runbook.params) {
      const v = snap.values.get(param.name);
      const value =
        v?.value === undefined
          ? snap.prompt?.prompt.kind === "param" &&
            snap.prompt.prompt.param === param
            ? "← asked now"
            : "to be asked"
          : v.secret
            ? "***"
            : v.value;
      rows.push(
        ...wrapWords(
          [
            seg(`  ${param.name} = `),
            seg(value, v?.value === undefined ? "warn" : "variable"),
            seg(param.description ? `  ${param.description}` : "", "dim"),
          ],
          width,
          [seg("    ")],
        ),
      );
    }
  }
  return rows;
}
