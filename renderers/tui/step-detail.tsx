import { detailLines } from './detail-view.js';
import { helpLines } from './help-view.js';
import { Rows } from './rows.js';
import type { Theme } from './theme.js';
import type { TuiSnapshot } from './tui-store.js';

export interface StepDetailProps {
  readonly snap: TuiSnapshot;
  readonly theme: Theme;
  readonly width: number;
  readonly height: number;
  readonly cwd?: string;
}

/** The current step (prose, code, output, checks), or the help when `?` was pressed. */
export function StepDetail({ snap, theme, width, height, cwd }: StepDetailProps) {
  const lines = snap.help ? helpLines(width) : detailLines(snap, { width, height, ...(cwd !== undefined ? { cwd } : {}) });
  return <Rows lines={lines} theme={theme} width={width} height={height} />;
}
