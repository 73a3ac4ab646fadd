import { formatElapsed } from "./format.js";
import { lineWidth, seg, type Line } from "./segments.js";
import { textWidth, truncate } from "./terminal-text.js";
import type { TuiSnapshot } from "./tui-store.js";

/** Steps that count for the progress bar: selected ones, and how many of those are finished. */
export function progressOf(snap: TuiSnapshot): {
  readonly finished: number;
  readonly total: number;
  readonly failed: number;
} {
  const selected = snap.steps.filter((s) => s.selected);
  return {
    total: selected.length,
    finished: selected.filter(
      (s) => s.state === "done" || s.state === "skipped",
    ).length,
    failed: selected.filter((s) => s.state === "failed").length,
  };
}

/**
 * Two rows: the runbook's title with the mode and the run's clock, then a
 * progress bar for the run. The bar is drawn with █ and ░, so it reads the
 * same without colour.
 */
export function headerLines(snap: TuiSnapshot, width: number): Line[] {
  const mode = snap.run
    ? snap.run.mode === "rehearsal"
      ? "sandbox"
      : "live"
    : "";
  const clock = snap.run
    ? formatElapsed(
        (snap.end ? snap.run.startedAt + snap.end.durationMs : snap.now) -
          snap.run.startedAt,
      )
    : "";
  const right = [mode, snap.run ? `run ${snap.run.runId}` : "", clock]
    .filter(Boolean)
    .join(" · ");
  const rightWidth = textWidth(right);
  const titleRoom = Math.max(8, width - rightWidth - 12);
  const left: Line = [
    seg("runbook ", "dim"),
    seg(truncate(snap.title, titleRoom), "heading"),
  ];
  const gap = Math.max(1, width - lineWidth(left) - rightWidth);
  const title: Line = [
    ...left,
    seg(" ".repeat(gap)),
    seg(
      truncate(right, Math.max(0, width - lineWidth(left) - 1)),
      mode === "live" ? "warn" : "dim",
    ),
  ];

  const { finished, total, failed } = progressOf(snap);
  const counts = `${finished}/${total} steps${failed ? `, ${failed} failed` : ""}`;
  const where =
    snap.current?.position !== undefined && snap.current.state === "running"
      ? ` · step ${snap.current.position} of ${snap.current.total ?? total}`
      : "";
  const label = ` ${counts}${where}${snap.continuing ? " · ▶▶ continuing (p pauses)" : ""}`;
  const barWidth = Math.max(10, Math.min(40, width - textWidth(label) - 2));
  const filled =
    total === 0 ? barWidth : Math.round((finished / total) * barWidth);
  const bar: Line = [
    seg("█".repeat(filled), failed ? "warn" : "ok"),
    seg("░".repeat(barWidth - filled), "dim"),
    seg(label, "dim"),
  ];
  return [title, bar];
}
