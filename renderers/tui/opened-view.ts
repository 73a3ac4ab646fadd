import { checkRows } from "./check-view.js";
import { actionRows, type CodeViewContext } from "./code-view.js";
import {
  captureRows,
  changedRows,
  outputRows,
  proseRows,
  titleRow,
} from "./detail-view.js";
import {
  formatBytes,
  formatCount,
  formatDuration,
  shortPath,
} from "./format.js";
import type { LogLine } from "./log-pager.js";
import { seg, wrapLine, wrapWords, type Line } from "./segments.js";
import { stdinHint } from "./stdin-hint.js";
import { textWidth, truncate } from "./terminal-text.js";
import type { CurrentStep, OpenedStep, TuiSnapshot } from "./tui-store.js";

export interface OpenedViewOptions {
  readonly width: number;
  readonly height: number;
  readonly cwd?: string;
}

/**
 * A step opened from the list: its title pinned at the top, then, scrolled
 * together, everything known about it (what happened, prose, code with each
 * action's status, checks with expected and actual, captures) and its whole
 * output, read a page at a time from the log on disk.
 */
export function openedLines(
  snap: TuiSnapshot,
  options: OpenedViewOptions,
): Line[] {
  const opened = snap.opened;
  if (!opened) return [];
  const { width, height } = options;
  const facts = openedFactRows(opened.step, snap, width, options.cwd);
  const body = Math.max(1, height - 1);
  const out: Line[] = [titleRow(opened.step, snap, width)];
  if (opened.atEnd) {
    const first = opened.log.window[0]?.n ?? 0;
    const rows = logRows(opened.log.window, snap, width);
    // The end of everything: when the whole log is in the window the facts come before it, else the log's header stays on top.
    if (first === 0)
      out.push(
        ...[...facts, outputHeader(opened, width, 0), ...rows].slice(-body),
      );
    else
      out.push(outputHeader(opened, width, first), ...rows.slice(-(body - 1)));
    return out.slice(0, height);
  }
  const shownFacts = facts.slice(opened.offset);
  const rows: Line[] = [...shownFacts];
  if (rows.length < body) {
    rows.push(outputHeader(opened, width, opened.log.window[0]?.n ?? 0));
    rows.push(...logRows(opened.log.window, snap, width));
    if (opened.log.window.length === 0)
      rows.push([
        seg(
          opened.log.missing && inDatabase(opened.log.path)
            ? `  the whole output is kept in ${opened.log.path}, which this screen cannot page yet: runbook report writes it out`
            : opened.log.missing
              ? "  (no output: nothing was printed, or the step has not run)"
              : opened.log.error
                ? `  the log cannot be read: ${opened.log.error}`
                : "  (end of output)",
          "dim",
        ),
      ]);
  }
  out.push(...rows.slice(0, body));
  return out;
}

/** Rows of the facts above the output (what the store scrolls through before the log). */
export function openedFactCount(
  step: CurrentStep,
  snap: TuiSnapshot,
  width: number,
  cwd: string | undefined,
): number {
  return openedFactRows(step, snap, width, cwd).length;
}

function openedFactRows(
  cur: CurrentStep,
  snap: TuiSnapshot,
  width: number,
  cwd: string | undefined,
): Line[] {
  const ctx: CodeViewContext = {
    width,
    now: snap.now,
    values: snap.values,
    mask: snap.mask,
  };
  const rows: Line[] = [];
  const row = snap.steps.find((r) => r.id === cur.step.id);
  const what: string[] = [];
  if (cur.attempt > 1) what.push(`${cur.attempt} attempts`);
  if (cur.durationMs !== undefined)
    what.push(`took ${formatDuration(cur.durationMs)}`);
  if (row?.note) what.push(row.note);
  if (row?.unproven) what.push("skipped unproven");
  if (cur.state === "pending")
    what.push(
      row?.selected === false
        ? "not selected (--from/--to/--only)"
        : "not run yet",
    );
  if (what.length > 0)
    rows.push(
      ...wrapWords([seg(`  ${what.join(" · ")}`, "dim")], width, [seg("  ")]),
    );
  rows.push(...changedRows(cur, width));
  if (cur.outputLog)
    rows.push(
      ...wrapLine(
        [seg("  log: ", "dim"), seg(shortPath(cur.outputLog, cwd), "accent")],
        width,
        [seg("       ")],
      ),
    );
  const prose = proseRows(cur, snap, width);
  if (prose.length > 0) rows.push([], ...prose);
  rows.push([]);
  cur.step.actions.forEach((action, i) => {
    const run = cur.actions.get(i);
    rows.push(...actionRows(cur.step, i, run, ctx));
    const hint =
      run?.state === "failed" ? stdinHint(action, cur.output) : undefined;
    if (hint)
      rows.push(
        ...wrapWords([seg("  hint: ", "warn"), seg(hint)], width, [
          seg("        "),
        ]),
      );
  });
  cur.step.checks.forEach((check, i) =>
    rows.push(...checkRows(check, i, cur.checks.get(i), ctx)),
  );
  if (cur.captures.length > 0)
    rows.push([seg("Captured", "heading")], ...captureRows(cur, snap, width));
  return rows;
}

function outputHeader(opened: OpenedStep, width: number, first: number): Line {
  const log = opened.log;
  const counts =
    log.lines === 0
      ? "no output"
      : `${formatCount(log.lines, "line")} · ${formatBytes(log.bytes)}${log.indexing ? " so far (counting…)" : ""}`;
  const shown =
    log.window.length > 0
      ? ` · lines ${first + 1}–${Math.min(log.lines, first + log.window.length)}`
      : "";
  const text = `── output · ${counts}${shown} `;
  return [
    seg(
      truncate(text, width) + "─".repeat(Math.max(0, width - textWidth(text))),
      "dim",
    ),
  ];
}

function logRows(
  lines: readonly LogLine[],
  snap: TuiSnapshot,
  width: number,
): Line[] {
  const rows: Line[] = [];
  for (const l of lines) {
    // The engine's header before each attempt's output.
    if (l.text.startsWith("── ")) {
      rows.push([seg(truncate(l.text, width), "info")]);
      continue;
    }
    // The engine wrote the log masked: shown as it is.
    rows.push(
      ...outputRows([{ stream: "stdout", text: l.text, cut: l.cut }], width),
    );
  }
  return rows;
}

/** A log the state keeps in PostgreSQL (`--state postgres://…`): its location names the database, not a file. */
function inDatabase(location: string | undefined): boolean {
  return location !== undefined && /\bpostgres(?:ql)?:\/\//.test(location);
}
