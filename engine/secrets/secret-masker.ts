import type { PatternMatcher } from "./pattern-matcher.js";
import { MASK } from "./mask.js";

/**
 * What inline text may hold that is kept but invisible to matching: a
 * complete SGR sequence (the only escape that neutralised text still holds),
 * a carriage return that does not end a line (a secret printed as
 * `hunt\rer2` is still one secret on a log's line), and the stream-switch
 * markers of the output redactor (NUL + `o`/`e`; neutralised text holds no NUL).
 */
const INLINE_MARK_SPLIT = /(\x1b\[[0-9;:]*m|\r(?!\n)|\x00[oe])/;
const INLINE_SGR = /\x1b\[[0-9;:]*m/g;
const INLINE_SWITCH = /\x00[oe]/g;
const INLINE_CR = /\r(?!\n)/g;

/**
 * `text` without its inline marks: what matching sees. One RegExp per kind of
 * mark, each starting with one literal character, which V8 scans for much
 * faster than an alternation (colour-heavy output goes through here).
 */
function visibleText(text: string): string {
  let visible = text.includes("\x1b") ? text.replace(INLINE_SGR, "") : text;
  if (visible.includes("\x00")) visible = visible.replace(INLINE_SWITCH, "");
  if (holdsLoneCr(visible)) visible = visible.replace(INLINE_CR, "");
  return visible;
}

/** Whether `text` may hold an inline mark: native searches, cheaper than a RegExp on large output. */
export function mayHoldInlineMark(text: string): boolean {
  return text.includes("\x1b") || text.includes("\x00") || holdsLoneCr(text);
}

/** A carriage return that does not end a line (CRLF output is ordinary text: a secret does not span lines). */
function holdsLoneCr(text: string): boolean {
  for (let at = text.indexOf("\r"); at >= 0; at = text.indexOf("\r", at + 2))
    if (text.charCodeAt(at + 1) !== 0x0a) return true;
  return false;
}

/**
 * The masking half of the redacting stream: it receives visible text and
 * "marks" (escape sequences that are kept but are invisible to matching), and
 * returns what is safe to show now.
 *
 * It holds back only the longest suffix of the pending text that is a proper
 * prefix of some pattern, which is exactly the text that could still turn out
 * to be a secret; anything else is released at once. A match is taken only
 * when no longer pattern could still match at the same place, so a secret
 * that extends another (`hunter2`, `hunter2-admin`) is masked whole even when
 * it arrives in pieces.
 *
 * With `inlineSgr`, the text may also carry SGR sequences, carriage returns and
 * stream-switch markers inline (see INLINE_MARK_SPLIT; neutralised text holds no
 * other escape, so they are found again unambiguously). They are only split
 * out into marks when the text holds a possible secret; otherwise the text is
 * released as it is, which keeps colour-heavy output fast.
 */
export class SecretMasker {
  private readonly matcher: PatternMatcher | undefined;
  private readonly inlineSgr: boolean;
  private readonly longest: number;
  /** Patterns by their first UTF-16 code unit, for the hold-back test. */
  private readonly byFirstUnit = new Map<number, string[]>();
  private pending = "";
  // Marks as two parallel arrays (no object per escape sequence): the index in
  // `pending` before which each sequence was written, and the sequence.
  private markAt: number[] = [];
  private markSequence: string[] = [];

  constructor(options: {
    patterns: readonly string[];
    matcher: PatternMatcher | undefined;
    inlineSgr: boolean;
  }) {
    this.matcher = options.matcher;
    this.inlineSgr = options.inlineSgr;
    this.longest = options.patterns.reduce(
      (max, pattern) => Math.max(max, pattern.length),
      0,
    );
    for (const pattern of options.patterns) {
      const unit = pattern.charCodeAt(0);
      const list = this.byFirstUnit.get(unit);
      if (list === undefined) this.byFirstUnit.set(unit, [pattern]);
      else list.push(pattern);
    }
  }

  text(text: string): void {
    this.pending += text;
  }

  /** Whether text (or a mark) is held back, waiting for what follows. */
  get holds(): boolean {
    return this.pending !== "" || this.markAt.length > 0;
  }

  mark(sequence: string): void {
    this.markAt.push(this.pending.length);
    this.markSequence.push(sequence);
  }

  /** Everything that is safe to release now; with `final`, everything. */
  drain(final: boolean): string {
    if (!this.inlineSgr || !mayHoldInlineMark(this.pending))
      return this.drainMarks(final);
    const shown = this.pending;
    const visible = visibleText(shown);
    if (
      this.matcher?.find(visible, 0) === undefined &&
      (final || this.holdFrom(visible, 0) === visible.length)
    ) {
      this.pending = "";
      return shown;
    }
    this.splitInline();
    const out = this.drainMarks(final);
    this.joinInline();
    return out;
  }

  private drainMarks(final: boolean): string {
    const text = this.pending;
    const markAt = this.markAt;
    const markSequence = this.markSequence;
    const markCount = markAt.length;
    const matcher = this.matcher;
    // Parts joined once: a flat string, where `+=` would build a deep rope
    // that every consumer then has to flatten.
    const out: string[] = [];
    let pos = 0;
    let markIndex = 0;

    // Text [pos, to) with the marks that fall inside it, and those right at `to`.
    const plain = (to: number): void => {
      while (markIndex < markCount && (markAt[markIndex] as number) <= to) {
        const at = markAt[markIndex] as number;
        out.push(text.slice(pos, at), markSequence[markIndex] as string);
        pos = at;
        markIndex += 1;
      }
      out.push(text.slice(pos, to));
      pos = to;
    };

    for (;;) {
      const hold = final ? text.length : this.holdFrom(text, pos);
      const match = matcher?.find(text, pos);
      if (match === undefined || match.index >= hold) {
        plain(hold);
        break;
      }
      plain(match.index);
      out.push(MASK);
      // Sequences written inside the secret follow the mask, so the
      // terminal ends up in the same colour state.
      const end = match.index + match.length;
      while (markIndex < markCount && (markAt[markIndex] as number) <= end) {
        out.push(markSequence[markIndex] as string);
        markIndex += 1;
      }
      pos = end;
    }

    this.pending = text.slice(pos);
    if (markIndex === markCount) {
      this.markAt = [];
      this.markSequence = [];
    } else {
      this.markAt = markAt.slice(markIndex).map((at) => at - pos);
      this.markSequence = markSequence.slice(markIndex);
    }
    return out.length === 1 ? (out[0] as string) : out.join("");
  }

  /** Inline marks of `pending` → marks (inline mode keeps no other marks). */
  private splitInline(): void {
    // One native split: [text, mark, text, mark, …, text].
    const parts = this.pending.split(INLINE_MARK_SPLIT);
    const visible: string[] = [];
    let at = 0;
    for (let k = 0; k < parts.length; k += 2) {
      const text = parts[k] as string;
      visible.push(text);
      at += text.length;
      if (k + 1 < parts.length) {
        this.markAt.push(at);
        this.markSequence.push(parts[k + 1] as string);
      }
    }
    this.pending = visible.join("");
  }

  /** The held-back rest back to inline form. */
  private joinInline(): void {
    if (this.markAt.length === 0) return;
    const parts: string[] = [];
    let pos = 0;
    this.markAt.forEach((at, index) => {
      parts.push(
        this.pending.slice(pos, at),
        this.markSequence[index] as string,
      );
      pos = at;
    });
    parts.push(this.pending.slice(pos));
    this.pending = parts.join("");
    this.markAt = [];
    this.markSequence = [];
  }

  /** The start of the longest suffix of `text` (from `from` on) that is a proper prefix of a pattern. */
  private holdFrom(text: string, from: number): number {
    const length = text.length;
    for (
      let i = Math.max(from, length - this.longest + 1);
      i < length;
      i += 1
    ) {
      const candidates = this.byFirstUnit.get(text.charCodeAt(i));
      if (candidates === undefined) continue;
      const tail = text.slice(i);
      for (const pattern of candidates) {
        if (pattern.length > tail.length && pattern.startsWith(tail)) return i;
      }
    }
    return length;
  }
}
