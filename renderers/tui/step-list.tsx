import { Rows } from "./rows.js";
import { stepListLines } from "./step-list-view.js";
import type { Theme } from "./theme.js";
import type { TuiSnapshot } from "./tui-store.js";

/** Every step with its state; the one on screen is marked. */
export function StepList({
  snap,
  theme,
  width,
  height,
}: {
  readonly snap: TuiSnapshot;
  readonly theme: Theme;
  readonly width: number;
  readonly height: number;
}) {
  return (
    <Rows
      lines={stepListLines(snap, width, height)}
      theme={theme}
      width={width}
      height={height}
    />
  );
}
