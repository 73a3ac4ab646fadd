/**
 * Where the escape filter sends what it lets through: text, and escape
 * sequences that are kept but must stay invisible to secret matching (so
 * `sec<SGR>ret` is still recognised as `secret`). When neutralising, complete
 * SGR sequences may also arrive inside the text.
 */
export interface EscapeSink {
  text(text: string): void;
  sequence(sequence: string): void;
}

/** A partial escape sequence longer than this is given up on (see {@link EscapeFilter}). */
export const MAX_SEQUENCE_LENGTH = 4096;

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

type State = "ground" | "esc" | "nf" | "csi" | "osc" | "string" | "string-esc";

/** SGR: `CSI` + digits, `;`, `:` + `m`. `CSI > 4 ; 2 m` (XTMODKEYS) is not colour. */
const SGR_PARAMS = /^[0-9;:]*$/;

/**
 * Ordinary text, up to the next character that needs a closer look. When
 * neutralising, complete 7-bit SGR sequences are part of the run: SGR is the
 * only escape left in the output, so the masker finds it again unambiguously,
 * and colour-heavy output costs no work per sequence. The repetition is
 * bounded because each step uses the RegExp engine's backtracking stack.
 */
const NEUTRAL_RUN =
  /(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+|\x1b\[[0-9;:]*m){0,1000}/y;
const RAW_RUN = /[^\x1b\x90\x98\x9b\x9d-\x9f]*/y;

// Complete sequences, read in one step: the character-by-character state
// machine (which handles everything else, and sequences split across chunks)
// is much slower. They accept exactly what the state machine accepts.
const COMPLETE_SGR = /\x1b\[[0-9;:]*m/y;
const COMPLETE_CSI = /(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]/y;
const COMPLETE_OSC =
  /(?:\x1b\]|\x9d)[^\x07\x18\x1a\x1b\x9c]*(?:\x07|\x9c|\x1b\\)/y;

/**
 * A streaming parser of ECMA-48 escape sequences in decoded text.
 *
 * With `neutralize` (the default for terminal output), only what a terminal
 * shows is let through: text, `\t`, `\n`, `\r` and SGR colour sequences
 * (re-emitted in their 7-bit `ESC [ … m` form). Everything else that acts on
 * the operator's terminal is removed without a trace: OSC (clipboard writes,
 * window titles, hyperlinks, notifications), DCS/SOS/PM/APC strings, CSI
 * sequences other than SGR (cursor moves, screen clearing, title reports),
 * other escapes (`ESC c` resets the terminal), their 8-bit C1 forms, and the
 * remaining C0/C1 control characters. Nothing visible replaces them, because
 * a placeholder would itself split a secret printed around a sequence.
 *
 * Without `neutralize`, every character is let through, but sequences are
 * still recognised so that secret matching can look through them.
 *
 * A sequence split across chunks is held until it completes. One that grows
 * past {@link MAX_SEQUENCE_LENGTH} is given up on: neutralised, it is dropped
 * and what follows is treated as text again (so a stray `ESC ]` in binary
 * output cannot hide the rest of a step's output); otherwise it is let
 * through as text.
 */
export class EscapeFilter {
  private readonly neutralize: boolean;
  private state: State = "ground";
  /** The raw text of the sequence being read. */
  private sequence = "";
  /** Whether the current string sequence may also end with BEL (OSC does). */
  private belEnds = false;

  constructor(neutralize: boolean) {
    this.neutralize = neutralize;
  }

  /** Feeds decoded text; complete results go to `sink`, a partial sequence is kept. */
  write(input: string, sink: EscapeSink): void {
    const n = input.length;
    let i = 0;
    /** Start of the text not yet passed on. */
    let run = 0;
    while (i < n) {
      if (this.state !== "ground") {
        if (this.step(input.charCodeAt(i), sink)) i += 1;
        if (this.sequence.length > MAX_SEQUENCE_LENGTH) this.abandon(sink);
        run = i;
        continue;
      }
      // Skip ordinary text natively, without a match object per stop.
      const skip = this.neutralize ? NEUTRAL_RUN : RAW_RUN;
      skip.lastIndex = i;
      skip.test(input);
      i = skip.lastIndex;
      if (i >= n) break;
      const code = input.charCodeAt(i);
      // NEUTRAL_RUN stops after a bounded number of steps, not only at a special character.
      if (!this.isSpecial(code)) continue;
      if (i > run) sink.text(input.slice(run, i));
      i += this.ground(input, i, sink);
      run = i;
    }
    if (run < n) sink.text(run === 0 ? input : input.slice(run));
  }

  private isSpecial(code: number): boolean {
    if (!this.neutralize)
      return (
        code === ESC ||
        code === C1_DCS ||
        code === C1_SOS ||
        code === C1_CSI ||
        (code >= C1_OSC && code <= C1_APC)
      );
    return (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      (code >= 0x7f && code <= 0x9f)
    );
  }

  /** Forgets an unfinished sequence, whatever the mode (the end of a one-shot {@link stripEscapes}). */
  discard(): void {
    this.state = "ground";
    this.sequence = "";
  }

  /** Ends the stream: an unfinished sequence is dropped (or let through as text). */
  end(sink: EscapeSink): void {
    if (this.state !== "ground") this.abandon(sink);
  }

  /**
   * A special character in text: a sequence introducer or a lone control.
   * Returns how many characters were consumed.
   */
  private ground(input: string, at: number, sink: EscapeSink): number {
    const code = input.charCodeAt(at);
    const char = input.charAt(at);
    if (code === ESC) {
      // The most common sequence by far, passed on as the very same text.
      COMPLETE_SGR.lastIndex = at;
      if (COMPLETE_SGR.test(input)) {
        sink.sequence(input.slice(at, COMPLETE_SGR.lastIndex));
        return COMPLETE_SGR.lastIndex - at;
      }
    }
    if (code === ESC || code === C1_CSI || code === C1_OSC) {
      const complete = readComplete(input, at);
      if (complete !== undefined) {
        this.emit(complete, sink);
        return complete.length;
      }
    }
    switch (code) {
      case ESC:
        this.begin("esc", char);
        break;
      case C1_CSI:
        this.begin("csi", char);
        break;
      case C1_OSC:
        this.begin("osc", char);
        this.belEnds = true;
        break;
      case C1_DCS:
      case C1_SOS:
      case C1_PM:
      case C1_APC:
        this.begin("string", char);
        this.belEnds = false;
        break;
      default:
        // Other C0/C1 controls (BEL, BS, SO/SI, NEL, stray ST…): dropped when
        // neutralising; never special otherwise.
        if (!this.neutralize) sink.text(char);
    }
    return 1;
  }

  private begin(state: State, char: string): void {
    this.state = state;
    this.sequence = char;
  }

  /**
   * One character inside a sequence. Returns false when the character was
   * not consumed and must be looked at again in the new state.
   */
  private step(code: number, sink: EscapeSink): boolean {
    const char = String.fromCharCode(code);
    switch (this.state) {
      case "esc":
        if (code === 0x5b) return this.enter("csi", char);
        if (code === 0x5d) {
          this.belEnds = true;
          return this.enter("osc", char);
        }
        // ESC P (DCS), ESC X (SOS), ESC ^ (PM), ESC _ (APC): strings ended by ST.
        if (code === 0x50 || code === 0x58 || code === 0x5e || code === 0x5f) {
          this.belEnds = false;
          return this.enter("string", char);
        }
        if (code >= 0x20 && code <= 0x2f) return this.enter("nf", char);
        if (code >= 0x30 && code <= 0x7e) return this.finish(char, sink);
        return this.malformed(sink);
      case "nf":
        if (code >= 0x20 && code <= 0x2f) return this.enter("nf", char);
        if (code >= 0x30 && code <= 0x7e) return this.finish(char, sink);
        return this.malformed(sink);
      case "csi":
        if (code >= 0x20 && code <= 0x3f) return this.enter("csi", char);
        if (code >= 0x40 && code <= 0x7e) return this.finish(char, sink);
        return this.malformed(sink);
      case "osc":
      case "string":
        if (code === ESC) return this.enter("string-esc", char);
        if (code === C1_ST || (code === BEL && this.belEnds))
          return this.finish(char, sink);
        if (code === CAN || code === SUB) {
          // CAN and SUB cancel a sequence and are swallowed with it.
          this.sequence += char;
          this.abandon(sink);
          return true;
        }
        return this.enter(this.state, char);
      case "string-esc":
        if (code === 0x5c) return this.finish(char, sink);
        // An ESC that does not make ST ends the string and starts a new sequence.
        this.sequence = this.sequence.slice(0, -1);
        this.finish("", sink);
        this.begin("esc", "\x1b");
        return false;
      case "ground":
        return false;
    }
  }

  private enter(state: State, char: string): boolean {
    this.state = state;
    this.sequence += char;
    return true;
  }

  private finish(char: string, sink: EscapeSink): boolean {
    const sequence = this.sequence + char;
    this.state = "ground";
    this.sequence = "";
    this.emit(sequence, sink);
    return true;
  }

  /** A complete sequence: kept when it is SGR (or when not neutralising), else dropped. */
  private emit(sequence: string, sink: EscapeSink): void {
    if (!this.neutralize) {
      sink.sequence(sequence);
      return;
    }
    const first = sequence.charCodeAt(0);
    const isCsi =
      first === C1_CSI || (first === ESC && sequence.charCodeAt(1) === 0x5b);
    if (!isCsi || !sequence.endsWith("m")) return;
    const params = sequence.slice(first === ESC ? 2 : 1, -1);
    if (SGR_PARAMS.test(params)) sink.sequence(`\x1b[${params}m`);
  }

  /** An invalid character ended the sequence: drop what was read, look at the character again. */
  private malformed(sink: EscapeSink): boolean {
    this.abandon(sink);
    return false;
  }

  private abandon(sink: EscapeSink): void {
    if (!this.neutralize) sink.text(this.sequence);
    this.state = "ground";
    this.sequence = "";
  }
}

/** A complete CSI or OSC sequence starting at `at`, if the input holds one that is not too long. */
function readComplete(input: string, at: number): string | undefined {
  for (const pattern of [COMPLETE_CSI, COMPLETE_OSC]) {
    pattern.lastIndex = at;
    // The state machine gives up on a sequence once more than the limit is pending.
    if (
      pattern.test(input) &&
      pattern.lastIndex - at <= MAX_SEQUENCE_LENGTH + 1
    )
      return input.slice(at, pattern.lastIndex);
  }
  return undefined;
}

/** Any character that can start an escape sequence, 7- or 8-bit. */
const INTRODUCER = /[\x1b\x90\x98\x9b\x9d-\x9f]/;

/**
 * `text` without terminal escape sequences — CSI (colours, cursor moves),
 * OSC (titles, clipboard, hyperlinks), DCS/SOS/PM/APC strings and two-byte
 * escapes, in their 7- and 8-bit forms — read by the same parser as a step's
 * streamed output; an unfinished sequence at the end is dropped. Control
 * characters (`\r`, `\b`, `\t`, BEL…) are left to the caller, which knows
 * what they mean where it shows the text (a terminal row, a web page).
 */
export function stripEscapes(text: string): string {
  if (!INTRODUCER.test(text)) return text;
  const filter = new EscapeFilter(false);
  let out = "";
  filter.write(text, { text: (t) => (out += t), sequence: () => undefined });
  filter.discard();
  return out;
}
