import { Buffer } from "node:buffer";

export type OutputStream = "stdout" | "stderr" | "info";

/** One line of a step's output, as it arrived (escapes are removed when drawn). */
export interface OutputLine {
  readonly stream: OutputStream;
  readonly text: string;
  /** Characters cut from the end of a very long line. */
  readonly cut: number;
}

export interface OutputBufferOptions {
  /** Lines kept. @default 500 */
  readonly capacity?: number;
  /** A longer line keeps its first this many characters. @default 2000 */
  readonly maxLineLength?: number;
}

/** The last lines of a chunk that had more lines than the ring holds, not split yet. */
interface LazyTail {
  readonly stream: OutputStream;
  readonly text: string;
  /** Offset of the newline that ends the last kept line (the first kept line is found when read). */
  readonly end: number;
}

/**
 * The last lines of a step's output, in bounded memory however much the step
 * prints: a ring of at most `capacity` lines of at most `maxLineLength`
 * characters (the full output is in the journal's output log).
 *
 * A step printing hundreds of megabytes sends chunks with more lines than the
 * ring holds; such a chunk evicts everything before it, so it is only
 * counted (a native newline scan) and remembered: its last `capacity` lines
 * are split when someone reads them, at most once per frame. Kept lines
 * never share memory with the chunk they came from.
 */
export class OutputBuffer {
  readonly capacity: number;
  readonly maxLineLength: number;
  private readonly ring: (OutputLine | undefined)[];
  private head = 0;
  private size = 0;
  private lazy: LazyTail | undefined;
  private partial = "";
  private partialCut = 0;
  private partialStream: OutputStream = "stdout";
  /** Lines seen (an unfinished last line is not counted until it ends). */
  totalLines = 0;
  /** Bytes seen (UTF-8). */
  totalBytes = 0;

  constructor(options: OutputBufferOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 500);
    this.maxLineLength = Math.max(16, options.maxLineLength ?? 2000);
    this.ring = new Array<OutputLine | undefined>(this.capacity);
  }

  push(stream: OutputStream, text: string): void {
    if (text === "") return;
    this.totalBytes += Buffer.byteLength(text, "utf8");
    if (stream !== this.partialStream && this.hasPartial) this.endPartial();
    this.partialStream = stream;

    const last = text.lastIndexOf("\n");
    if (last < 0) {
      this.appendPartial(text, 0, text.length);
      return;
    }
    let newlines = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1))
      newlines++;
    if (newlines > this.capacity) {
      // Everything before the chunk's last `capacity` lines is evicted: count it, keep the rest for later.
      this.size = 0;
      this.head = 0;
      this.ring.fill(undefined);
      this.partial = "";
      this.partialCut = 0;
      this.totalLines += newlines;
      this.lazy = { stream, text, end: last };
    } else {
      let from = 0;
      for (let n = 0; n < newlines; n++) {
        const end = text.indexOf("\n", from);
        this.appendPartial(text, from, end);
        this.endPartial();
        from = end + 1;
      }
    }
    if (last + 1 < text.length) this.appendPartial(text, last + 1, text.length);
  }

  private get hasPartial(): boolean {
    return this.partial !== "" || this.partialCut > 0;
  }

  private appendPartial(text: string, from: number, to: number): void {
    const room = this.maxLineLength - this.partial.length;
    const take = Math.max(0, Math.min(room, to - from));
    if (take > 0)
      this.partial = detach(this.partial + text.slice(from, from + take));
    this.partialCut += to - from - take;
  }

  private endPartial(): void {
    this.materialize();
    this.store({
      stream: this.partialStream,
      text: this.partial,
      cut: this.partialCut,
    });
    this.totalLines++;
    this.partial = "";
    this.partialCut = 0;
  }

  private store(line: OutputLine): void {
    this.ring[(this.head + this.size) % this.capacity] = line;
    if (this.size < this.capacity) this.size++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /** Splits the remembered chunk into ring lines (they were counted when it arrived). */
  private materialize(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    this.lazy = undefined;
    let start = lazy.end;
    for (let n = 0; n < this.capacity; n++)
      start = lazy.text.lastIndexOf("\n", start - 1);
    let from = start + 1;
    while (from <= lazy.end) {
      const end = lazy.text.indexOf("\n", from);
      const take = Math.min(end - from, this.maxLineLength);
      this.store({
        stream: lazy.stream,
        text: detach(lazy.text.slice(from, from + take)),
        cut: end - from - take,
      });
      from = end + 1;
    }
  }

  /** Lines kept (complete ones). */
  get length(): number {
    this.materialize();
    return this.size;
  }

  /** The last `n` lines, oldest first, with an unfinished last line included. */
  tail(n = this.capacity): OutputLine[] {
    this.materialize();
    const out: OutputLine[] = [];
    const wanted = Math.min(n - (this.hasPartial ? 1 : 0), this.size);
    for (let i = this.size - wanted; i < this.size; i++) {
      const line = this.ring[(this.head + i) % this.capacity];
      if (line) out.push(line);
    }
    if (this.hasPartial && n > 0)
      out.push({
        stream: this.partialStream,
        text: this.partial,
        cut: this.partialCut,
      });
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.lazy = undefined;
    this.partial = "";
    this.partialCut = 0;
    this.totalLines = 0;
    this.totalBytes = 0;
  }
}

/**
 * A copy that does not keep its source alive: V8 represents a slice of a
 * long string as a view of it, so a kept 80-character line could otherwise
 * pin a 64 KiB chunk in memory. Flattening a concatenation makes a new string.
 */
function detach(text: string): string {
  if (text.length < 13) return text;
  return (text + " ").slice(0, -1);
}
