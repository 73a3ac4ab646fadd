import { Rows } from "./rows.js";
import type { Line } from "./segments.js";
import type { Theme } from "./theme.js";

/** The question being asked and the keys that answer it. */
export function PromptBar({
  lines,
  theme,
  width,
}: {
  readonly lines: readonly Line[];
  readonly theme: Theme;
  readonly width: number;
}) {
  return <Rows lines={lines} theme={theme} width={width} />;
}
