import type { StepState } from "../../engine/run/index.js";
import { formatDuration, formatElapsed, spinnerFrame } from "./format.js";
import { seg, type Line, type Tone } from "./segments.js";
import { padEnd, textWidth, truncate } from "./terminal-text.js";
import type { StepRow, TuiSnapshot } from "./tui-store.js";

/** A state as a symbol and a word: readable without colour. */
export const STATE_MARKS: Record<
  StepState,
  { readonly symbol: string; readonly word: string; readonly tone: Tone }
> = {
  pending: { symbol: "○", word: "pending", tone: "dim" },
  running: { symbol: "▶", word: "running", tone: "running" },
  done: { symbol: "✔", word: "done", tone: "ok" },
  failed: { symbol: "✘", word: "failed", tone: "fail" },
  skipped: { symbol: "↷", word: "skipped", tone: "warn" },
  unknown: { symbol: "?", word: "unknown", tone: "warn" },
};

/**
 * The steps in execution order with their state, the step on screen marked
 * with `›` and the one the arrow keys selected (or that is opened) with `▸`;
 * when they do not fit, a window around the selection with counts of the
 * steps above and below.
 */
export function stepListLines(
  snap: TuiSnapshot,
  width: number,
  height: number,
): Line[] {
  if (height <= 0) return [];
  const rows = snap.steps;
  const selected = snap.opened?.step.step.id ?? snap.selected;
  const current = rows.findIndex((r) => r.id === snap.current?.step.id);
  const picked =
    selected === undefined ? -1 : rows.findIndex((r) => r.id === selected);
  const focus = Math.max(0, picked >= 0 ? picked : current);
  let first = 0;
  let count = rows.length;
  if (rows.length > height) {
    count = Math.max(1, height - 2);
    first = Math.min(
      Math.max(0, focus - Math.floor(count / 2)),
      rows.length - count,
    );
    // Reclaim a row when the window touches an end (no "more" line needed there).
    if (first === 0) count = height - 1;
    else if (first + count >= rows.length - 1) {
      count = height - 1;
      first = rows.length - count;
    }
  }
  const lines: Line[] = [];
  if (first > 0) lines.push([seg(`  ↑ ${first} more`, "dim")]);
  for (let i = first; i < first + count && i < rows.length; i++) {
    const row = rows[i];
    if (row)
      lines.push(
        stepRowLine(
          row,
          { current: i === current, picked: i === picked && i !== current },
          snap.now,
          width,
        ),
      );
  }
  const below = rows.length - (first + count);
  if (below > 0) lines.push([seg(`  ↓ ${below} more`, "dim")]);
  return lines.slice(0, height);
}

function stepRowLine(
  row: StepRow,
  mark: { readonly current: boolean; readonly picked: boolean },
  now: number,
  width: number,
): Line {
  const focused = mark.current;
  const state = STATE_MARKS[row.state];
  const symbol =
    row.state === "running"
      ? spinnerFrame(now)
      : row.selected
        ? state.symbol
        : "·";
  const time =
    row.state === "running" && row.startedAt !== undefined
      ? formatElapsed(now - row.startedAt)
      : row.note === "marked done"
        ? "marked"
        : row.durationMs !== undefined && row.state === "done"
          ? formatDuration(row.durationMs)
          : row.state === "skipped"
            ? row.unproven
              ? "unproven"
              : "skipped"
            : row.state === "failed"
              ? "failed"
              : row.state === "unknown"
                ? "unknown"
                : !row.selected
                  ? "not run"
                  : "";
  const timeWidth = textWidth(time);
  const titleWidth = Math.max(1, width - 4 - (timeWidth ? timeWidth + 1 : 0));
  const tone: Tone | undefined = mark.picked
    ? "selected"
    : focused
      ? "bold"
      : row.selected
        ? undefined
        : "dim";
  return [
    seg(
      focused ? "›" : mark.picked ? "▸" : " ",
      focused || mark.picked ? "accent" : undefined,
    ),
    seg(`${symbol} `, row.selected ? state.tone : "dim"),
    seg(padEnd(truncate(row.title, titleWidth), titleWidth), tone),
    seg(
      time ? ` ${time}` : "",
      row.state === "running"
        ? "running"
        : row.state === "failed"
          ? "fail"
          : "dim",
    ),
  ];
}
