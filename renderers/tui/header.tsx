import { headerLines } from "./header-view.js";
import { Rows } from "./rows.js";
import type { Theme } from "./theme.js";
import type { TuiSnapshot } from "./tui-store.js";

/** The runbook's title, mode and clock, and the run's progress bar. */
export function Header({
  snap,
  theme,
  width,
}: {
  readonly snap: TuiSnapshot;
  readonly theme: Theme;
  readonly width: number;
}) {
  return <Rows lines={headerLines(snap, width)} theme={theme} width={width} />;
}
