import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** One line of a log as the pager gives it. */
export interface LogLine {
  /** Its number in the log, from 0. */
  readonly n: number;
  readonly text: string;
  /** Characters cut from the end of a very long line. */
  readonly cut: number;
}

export interface LogPagerOptions {
  /** A longer line keeps its first this many characters. @default 2000 */
  readonly maxLineLength?: number;
  /** A checkpoint (byte offset) every this many lines. @default 256 */
  readonly every?: number;
  /** Bytes read at a time. @default 65536 */
  readonly chunkBytes?: number;
}

const NEWLINE = 0x0a;

/**
 * A step's output log on disk, read a page at a time in bounded memory
 * however big it is: one pass counts its lines and keeps the byte offset of
 * every 256th (a 135 MB log of short lines costs some 40,000 numbers), and a
 * page is read from the checkpoint before it. The log may still grow (the
 * step is running): `index` goes on from where it stopped.
 */
export class LogPager {
  readonly file: string;
  private readonly maxLineLength: number;
  private readonly every: number;
  private readonly chunk: Buffer;
  /** Byte offset of line `k * every`. */
  private readonly checkpoints: number[] = [0];
  /** Complete lines counted. */
  private complete = 0;
  /** Bytes indexed so far. */
  private scanned = 0;
  /** Offset just after the last newline counted. */
  private afterLastNewline = 0;
  private size = 0;
  /** The file does not exist (yet): the step printed nothing. */
  missing = false;
  /** Why the log could not be read, if it could not. */
  error: string | undefined;

  constructor(file: string, options: LogPagerOptions = {}) {
    this.file = file;
    this.maxLineLength = Math.max(16, options.maxLineLength ?? 2000);
    this.every = Math.max(1, options.every ?? 256);
    this.chunk = Buffer.alloc(Math.max(1024, options.chunkBytes ?? 65_536));
  }

  /** Lines in the log (indexed so far), an unfinished last line included. */
  get lines(): number {
    return this.complete + (this.scanned > this.afterLastNewline ? 1 : 0);
  }

  get bytes(): number {
    return this.size;
  }

  /** Everything on disk has been counted. */
  get caughtUp(): boolean {
    return this.scanned >= this.size;
  }

  /**
   * Counts lines from where the last call stopped, reading at most `budget`
   * bytes (so a huge log is indexed a slice per frame). Returns `caughtUp`.
   */
  index(budget = 16 << 20): boolean {
    this.withFile((fd) => {
      this.size = fstatSync(fd).size;
      let left = budget;
      while (this.scanned < this.size && left > 0) {
        const n = readSync(
          fd,
          this.chunk,
          0,
          Math.min(this.chunk.length, this.size - this.scanned, left),
          this.scanned,
        );
        if (n <= 0) break;
        for (
          let i = this.chunk.indexOf(NEWLINE, 0);
          i >= 0 && i < n;
          i = this.chunk.indexOf(NEWLINE, i + 1)
        ) {
          this.complete++;
          this.afterLastNewline = this.scanned + i + 1;
          if (this.complete % this.every === 0)
            this.checkpoints.push(this.scanned + i + 1);
        }
        this.scanned += n;
        left -= n;
      }
    });
    return this.caughtUp;
  }

  /** Lines `start` … `start + count - 1` (those that exist and are indexed). */
  read(start: number, count: number): LogLine[] {
    const first = Math.max(0, start);
    const last = Math.min(this.lines, first + Math.max(0, count));
    if (first >= last) return [];
    const out: LogLine[] = [];
    this.withFile((fd) => {
      const k = Math.min(
        Math.floor(first / this.every),
        this.checkpoints.length - 1,
      );
      let line = k * this.every;
      let offset = this.checkpoints[k] ?? 0;
      let parts: Buffer[] = [];
      let kept = 0;
      let dropped = 0;
      const keepBytes = this.maxLineLength * 4;
      const end = (): void => {
        if (line >= first) out.push(this.decode(line, parts, dropped));
        line++;
        parts = [];
        kept = 0;
        dropped = 0;
      };
      while (line < last && offset < this.scanned) {
        const n = readSync(
          fd,
          this.chunk,
          0,
          Math.min(this.chunk.length, this.scanned - offset),
          offset,
        );
        if (n <= 0) break;
        let from = 0;
        while (from < n && line < last) {
          const nl = this.chunk.indexOf(NEWLINE, from);
          const to = nl >= 0 && nl < n ? nl : n;
          if (line >= first) {
            const take = Math.min(to - from, keepBytes - kept);
            if (take > 0)
              parts.push(Buffer.from(this.chunk.subarray(from, from + take)));
            kept += Math.max(0, take);
            dropped += to - from - Math.max(0, take);
          }
          if (nl >= 0 && nl < n) {
            end();
            from = nl + 1;
          } else {
            from = n;
          }
        }
        offset += n;
      }
      // An unfinished last line.
      if (
        line < last &&
        (parts.length > 0 || dropped > 0) &&
        offset >= this.scanned
      )
        end();
    });
    return out;
  }

  /** The last `count` lines. */
  tail(count: number): LogLine[] {
    return this.read(this.lines - count, count);
  }

  private decode(n: number, parts: Buffer[], droppedBytes: number): LogLine {
    let text = Buffer.concat(parts).toString("utf8");
    let cut = droppedBytes;
    if (text.length > this.maxLineLength) {
      cut += text.length - this.maxLineLength;
      text = text.slice(0, this.maxLineLength);
    }
    if (text.endsWith("\r")) text = text.slice(0, -1);
    return { n, text, cut };
  }

  private withFile(use: (fd: number) => void): void {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, "r");
      this.missing = false;
      this.error = undefined;
      use(fd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") this.missing = true;
      else this.error = (error as Error).message;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
