/** Below this width the step list gives its room to the step. */
export const SIDEBAR_MIN_COLUMNS = 64;

export interface PaneLayout {
  /** The whole UI. */
  readonly width: number;
  /** Rows the UI takes: one short of the terminal's, so Ink redraws in place instead of clearing the screen. */
  readonly height: number;
  /** The step list's width (0: no list). */
  readonly sidebar: number;
  /** The step pane's width. */
  readonly detailWidth: number;
}

/** How the screen is cut for a terminal of this size (the store pages the opened step with it too). */
export function paneLayout(columns: number, rows: number): PaneLayout {
  const width = Math.max(20, columns);
  const height = Math.max(8, rows - 1);
  const sidebar =
    width >= SIDEBAR_MIN_COLUMNS
      ? Math.max(22, Math.min(36, Math.floor(width * 0.3)))
      : 0;
  return {
    width,
    height,
    sidebar,
    detailWidth: width - (sidebar ? sidebar + 2 : 0),
  };
}
