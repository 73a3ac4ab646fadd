import { LogPager, type LogLine } from "./log-pager.js";
import type { CurrentStep, OpenedStep } from "./tui-state.js";

/** How to move in an opened step. */
export type Scroll =
  "up" | "down" | "page-up" | "page-down" | "home" | "end" | "output";

/** Bytes of a log counted per frame: a huge log is indexed in slices, the screen stays live. */
const INDEX_BUDGET = 8 << 20;
/** A running step's log is looked at again this often while it is open. */
const REFRESH_MS = 500;

/**
 * The scroll position in an opened step and the page of its log on screen.
 * Rows are counted as the pane shows them: first the step's facts (prose,
 * code, checks, captures: `facts` rows), then one per log line; only the
 * lines on screen are read from disk.
 */
export class OpenedPager {
  offset = 0;
  atEnd = false;
  private readonly pager: LogPager | undefined;
  private window: LogLine[] = [];
  private lastRefresh = Number.NEGATIVE_INFINITY;

  constructor(
    readonly stepId: string,
    logPath: string | undefined,
  ) {
    this.pager = logPath ? new LogPager(logPath) : undefined;
  }

  /** Counts what the log gained since (at most a slice); true when there is more to count now. */
  refresh(now: number, force = false): boolean {
    if (
      !this.pager ||
      (!force && now - this.lastRefresh < REFRESH_MS && this.pager.caughtUp)
    )
      return false;
    this.lastRefresh = now;
    return !this.pager.index(INDEX_BUDGET);
  }

  /** Moves; `facts` rows come before the log, `page` rows fit on screen. */
  scroll(how: Scroll, facts: number, page: number): void {
    const lines = this.pager?.lines ?? 0;
    const last = Math.max(0, facts + lines - page);
    if (this.atEnd) this.offset = last;
    const step = Math.max(1, page - 2);
    switch (how) {
      case "up":
        this.offset -= 1;
        break;
      case "down":
        this.offset += 1;
        break;
      case "page-up":
        this.offset -= step;
        break;
      case "page-down":
        this.offset += step;
        break;
      case "home":
        this.offset = 0;
        break;
      case "end":
        this.offset = last;
        break;
      case "output":
        this.offset = Math.min(facts, last);
        break;
    }
    this.offset = Math.max(0, Math.min(this.offset, last));
    // Scrolling onto the end follows it (a running step's new lines), as `less +F` does.
    this.atEnd =
      how === "end" ||
      ((how === "down" || how === "page-down") &&
        this.offset === last &&
        last > 0);
  }

  /** Reads the log lines the screen needs: from the offset, or the last ones when following the end. */
  fetch(facts: number, rows: number): void {
    if (!this.pager) return;
    const lines = this.pager.lines;
    const start = this.atEnd
      ? Math.max(0, lines - rows)
      : Math.max(0, this.offset - facts);
    this.window = this.pager.read(start, rows);
  }

  view(step: CurrentStep): OpenedStep {
    const p = this.pager;
    return {
      step,
      offset: this.offset,
      atEnd: this.atEnd,
      log: {
        ...(p ? { path: p.file } : {}),
        lines: p?.lines ?? 0,
        bytes: p?.bytes ?? 0,
        indexing: p ? !p.caughtUp : false,
        missing: p ? p.missing : true,
        ...(p?.error ? { error: p.error } : {}),
        window: this.window,
      },
    };
  }
}
