import { formatDuration } from "../../engine/model/index.js";
import { stripEscapes } from "../../engine/secrets/index.js";

/** `2026-11-23 13:55:30 UTC`: a run's times, unambiguous across time zones. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `13:55:30.619`: a time within the run (the date is in the header). */
export function formatClock(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 23);
}

/** Milliseconds between two ISO times, or undefined. */
export function between(
  from: string | undefined,
  to: string | undefined,
): number | undefined {
  if (!from || !to) return undefined;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

export function duration(ms: number | undefined): string {
  return ms === undefined ? "—" : formatDuration(ms);
}

/** Terminal colour codes and other control characters would show as garbage in a page. */
export function cleanOutput(text: string): string {
  return stripEscapes(text)
    .replace(/\r(?!\n)/g, "\n")
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, "");
}
