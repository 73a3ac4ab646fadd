import { Rows } from './rows.js';
import { summaryLines } from './summary-view.js';
import type { Theme } from './theme.js';
import type { TuiSnapshot } from './tui-store.js';

/** What stays on screen after the run: outcome, steps, how to continue. */
export function RunSummary({ snap, theme, width, rows, cwd }: { readonly snap: TuiSnapshot; readonly theme: Theme; readonly width: number; readonly rows: number; readonly cwd?: string }) {
  return <Rows lines={summaryLines(snap, width, rows, cwd)} theme={theme} width={width} />;
}
