import path from "node:path";
import { splitAtWidth, takeEnd, textWidth, truncate } from "./terminal-text.js";
import { pluralNoun, formatDuration } from "../../engine/model/index.js";

export { formatDuration };

/** A running clock in whole seconds (calm: it does not flicker tenths). */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatCount(n: number, noun: string): string {
  // Not toLocaleString: this runs every frame, and ICU is slow.
  return `${String(n).replace(/\B(?=(\d{3})+$)/g, ",")} ${pluralNoun(n, noun)}`;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** The spinner's frame at time `now` (ms): a new one every 200 ms, when the screen is redrawn. */
export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 200) % SPINNER.length] ?? "⠋";
}

/** `file` relative to `cwd` when it is inside it. */
export function shortPath(file: string, cwd: string | undefined): string {
  if (!cwd) return file;
  const rel = path.relative(cwd, file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel)
    ? file
    : rel;
}

/** `text` with its middle replaced by `…` to fit `width` (a path keeps its start and its file name). */
export function elideMiddle(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width < 8) return truncate(text, Math.max(0, width));
  const tail = Math.ceil((width - 1) * 0.6);
  return `${splitAtWidth(text, width - 1 - tail)[0]}…${takeEnd(text, tail)}`;
}
