import path from "node:path";
import { paneLayout } from "./layout.js";
import { OpenedPager, type Scroll } from "./opened-pager.js";
import { openedFactCount } from "./opened-view.js";
import type {
  CurrentStep,
  OpenedStep,
  RunInfo,
  StepRow,
  TuiSnapshot,
} from "./tui-state.js";

/** What the browser reads from the store. */
export interface BrowserHost {
  readonly rows: () => readonly StepRow[];
  /** The step on screen (being asked about, running, or just finished). */
  readonly currentId: () => string | undefined;
  /** A step as it is now. */
  readonly view: (stepId: string) => CurrentStep | undefined;
  /** The last frame (values, masking, sizes of what the pane shows). */
  readonly snapshot: () => TuiSnapshot;
  readonly run: () => RunInfo | undefined;
  readonly clock: () => number;
  /** Something on screen changed: draw. */
  readonly changed: () => void;
}

/**
 * The step list as something to move through (SPEC 4): the arrows move a
 * selection, Enter or `o` opens the selected step (everything about it, its
 * whole output paged from its log on disk), Esc comes back; `e` shows the
 * step's whole prose. The store owns one and shows what it says.
 */
export class StepBrowser {
  private selectedId: string | undefined;
  private opened: OpenedPager | undefined;
  private prose = false;
  private viewport: { columns: number; rows: number; cwd?: string } = {
    columns: 80,
    rows: 24,
  };
  private indexing: NodeJS.Immediate | undefined;
  private readonly logPaths = new Map<string, string>();

  constructor(private readonly host: BrowserHost) {}

  /** The step the arrows selected, if it is not the one on screen. */
  get selected(): string | undefined {
    return this.selectedId;
  }

  /** The step the selection is on (the one on screen when the arrows were not used). */
  get selection(): string | undefined {
    return this.selectedId ?? this.host.currentId() ?? this.host.rows()[0]?.id;
  }

  /** The selection is on the step on screen: Enter answers its question rather than opening another. */
  get selectionOnCurrent(): boolean {
    return (
      this.selectedId === undefined || this.selectedId === this.host.currentId()
    );
  }

  get openedStep(): string | undefined {
    return this.opened?.stepId;
  }

  get proseExpanded(): boolean {
    return this.prose;
  }

  /** The terminal's size and where paths are shown from (the App says: paging an opened step needs them). */
  setViewport(columns: number, rows: number, cwd?: string): void {
    if (
      this.viewport.columns === columns &&
      this.viewport.rows === rows &&
      this.viewport.cwd === cwd
    )
      return;
    this.viewport = { columns, rows, ...(cwd !== undefined ? { cwd } : {}) };
    this.fetch();
    this.host.changed();
  }

  /** ↑/↓ in the list. */
  moveSelection(delta: number): void {
    const rows = this.host.rows();
    const i = rows.findIndex((r) => r.id === this.selection);
    const next =
      rows[Math.max(0, Math.min(rows.length - 1, (i < 0 ? 0 : i) + delta))];
    if (!next) return;
    this.selectedId = next.id === this.host.currentId() ? undefined : next.id;
    this.host.changed();
  }

  /** Esc in the list: the selection goes back to the step on screen. */
  resetSelection(): void {
    this.selectedId = undefined;
    this.host.changed();
  }

  /** Opens a step: everything about it, its whole output paged from its log. */
  open(stepId = this.selection): void {
    if (!stepId || !this.host.rows().some((r) => r.id === stepId)) return;
    this.selectedId = stepId === this.host.currentId() ? undefined : stepId;
    this.opened = new OpenedPager(stepId, this.logPathOf(stepId));
    this.opened.refresh(this.host.clock(), true);
    this.fetch();
    this.keepIndexing();
    this.host.changed();
  }

  /** Esc in an opened step. */
  closeOpened(): void {
    if (!this.opened) return;
    this.opened = undefined;
    this.stopIndexing();
    this.host.changed();
  }

  /** ←/→ in an opened step: the step before or after it. */
  openSibling(delta: number): void {
    const rows = this.host.rows();
    const i = rows.findIndex((r) => r.id === this.opened?.stepId);
    const next = rows[i + delta];
    if (i >= 0 && next) this.open(next.id);
  }

  scrollOpened(how: Scroll): void {
    const o = this.opened;
    if (!o) return;
    const { facts, page } = this.metrics();
    o.scroll(how, facts, page);
    this.fetch();
    this.host.changed();
  }

  /** `e`: the step's prose whole, or cut again. */
  toggleProse(): void {
    this.prose = !this.prose;
    this.host.changed();
  }

  /** Another step is on screen: its prose starts cut. */
  stepChanged(): void {
    this.prose = false;
  }

  /** What the frame shows of the opened step (a running step's log is looked at again, at most twice a second). */
  frame(current: CurrentStep | undefined): OpenedStep | undefined {
    const o = this.opened;
    if (!o) return undefined;
    if (o.refresh(this.host.clock())) this.keepIndexing();
    const running =
      this.host.rows().find((r) => r.id === o.stepId)?.state === "running";
    if (running) this.fetch();
    const view =
      o.stepId === current?.step.id ? current : this.host.view(o.stepId);
    return view ? o.view(view) : undefined;
  }

  /** The engine said where a step's output goes (`step-start`'s `log`, when it sends one). */
  setLogPath(stepId: string, file: string): void {
    this.logPaths.set(stepId, file);
  }

  /** Where the engine writes a step's full output: as it said, else its OutputLog's naming beside the journal. */
  logPathOf(stepId: string): string | undefined {
    const known = this.logPaths.get(stepId);
    if (known) return known;
    const run = this.host.run();
    if (!run) return undefined;
    return path.join(
      run.stateDir,
      "runs",
      run.runId,
      "output",
      `${stepId.replace(/[^\p{L}\p{N}._-]/gu, "_")}.log`,
    );
  }

  close(): void {
    this.stopIndexing();
  }

  /** Rows of facts before the log, and rows on a page, for the pane the App draws at this size. */
  private metrics(): { facts: number; page: number } {
    const o = this.opened;
    const view = o ? this.host.view(o.stepId) : undefined;
    const layout = paneLayout(this.viewport.columns, this.viewport.rows);
    // The header (2 rows), the prompt (2 to 4) and the pinned title take the rest: a page is never more than fits.
    const page = Math.max(3, layout.height - 7);
    return {
      facts: view
        ? openedFactCount(
            view,
            this.host.snapshot(),
            layout.detailWidth,
            this.viewport.cwd,
          )
        : 0,
      page,
    };
  }

  private fetch(): void {
    this.opened?.fetch(this.metrics().facts, this.viewport.rows);
  }

  /** A big log is counted a slice per turn of the event loop, the screen redrawn between slices. */
  private keepIndexing(): void {
    const o = this.opened;
    if (this.indexing || !o) return;
    if (!o.refresh(this.host.clock(), true)) return;
    this.indexing = setImmediate(() => {
      this.indexing = undefined;
      if (this.opened !== o) return;
      this.fetch();
      this.host.changed();
      this.keepIndexing();
    });
    this.indexing.unref();
  }

  private stopIndexing(): void {
    if (this.indexing) clearImmediate(this.indexing);
    this.indexing = undefined;
  }
}
