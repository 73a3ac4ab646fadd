import type { TextProps } from "ink";
import type { Tone } from "./segments.js";

/** Ink `<Text>` props for a tone. */
export type ToneStyle = Pick<
  TextProps,
  "color" | "bold" | "dimColor" | "inverse" | "italic" | "underline"
>;

export interface Theme {
  readonly color: boolean;
  style(tone: Tone | undefined): ToneStyle;
}

const COLORS: Record<Tone, ToneStyle> = {
  plain: {},
  bold: { bold: true },
  dim: { dimColor: true },
  heading: { bold: true },
  accent: { color: "cyan" },
  ok: { color: "green" },
  fail: { color: "red", bold: true },
  warn: { color: "yellow" },
  running: { color: "cyan", bold: true },
  key: { color: "cyan", bold: true },
  selected: { inverse: true },
  added: { color: "green" },
  removed: { color: "red" },
  stderr: { color: "yellow" },
  info: { dimColor: true },
  "inline-code": { color: "cyan" },
  secret: { color: "magenta" },
  keyword: { color: "magenta" },
  string: { color: "green" },
  comment: { color: "gray", italic: true },
  number: { color: "yellow" },
  variable: { color: "blue" },
  builtin: { color: "cyan" },
  title: { color: "blue", bold: true },
  meta: { color: "gray" },
};

// Without colour the tones that carry meaning keep a weight or an inverse:
// the words and symbols beside them (✔ done, ✘ failed, - missing) say the rest.
const MONO: Record<Tone, ToneStyle> = {
  plain: {},
  bold: { bold: true },
  dim: {},
  heading: { bold: true },
  accent: {},
  ok: {},
  fail: { bold: true },
  warn: { bold: true },
  running: { bold: true },
  key: { bold: true },
  selected: { inverse: true },
  added: {},
  removed: {},
  stderr: {},
  info: {},
  "inline-code": {},
  secret: {},
  keyword: {},
  string: {},
  comment: {},
  number: {},
  variable: {},
  builtin: {},
  title: {},
  meta: {},
};

/** The palette: ANSI colours when the terminal has them, weights only under NO_COLOR or a dumb terminal. */
export function createTheme(color: boolean): Theme {
  const table = color ? COLORS : MONO;
  return { color, style: (tone) => (tone ? table[tone] : {}) };
}
