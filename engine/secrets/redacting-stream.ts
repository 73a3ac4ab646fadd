import type { Buffer } from "node:buffer";
import { ChunkDecoder } from "./chunk-decoder.js";
import { createRedactor } from "./redactor.js";
import { EscapeFilter, type EscapeSink } from "./escape-filter.js";
import { SecretMasker } from "./secret-masker.js";
import { compileSecretPatterns } from "./secret-patterns.js";

/** Options of {@link createRedactingStream}. */
export interface RedactingStreamOptions {
  /** Secret values to mask (empty strings are skipped; see `createRedactor` for short ones). */
  readonly secrets: readonly string[];
  /**
   * Remove terminal escape sequences that act on the operator's terminal
   * beyond colour (OSC, DCS/APC/PM/SOS, non-SGR CSI, C1 controls). Turn it
   * off only for output that never reaches a terminal as is.
   * @default true
   */
  readonly neutralizeEscapes?: boolean;
}

/** Masks secrets in a child process's output as it arrives. */
export interface RedactingStream {
  /** Takes the next chunk; returns the text that is safe to show or write now. */
  push(chunk: Buffer | Uint8Array | string): string;
  /** Ends the stream; returns everything still held back, masked. */
  flush(): string;
  /** Secrets too short to be masked (see `Redactor.ignored`). */
  readonly ignored: readonly string[];
}

/**
 * A streaming redactor for one stream of text. A child process's stdout and
 * stderr go through {@link createOutputRedactor} instead, which also masks a
 * secret split between the two.
 *
 * Bytes are decoded as UTF-8 across chunk boundaries (invalid bytes become
 * U+FFFD), then escape sequences are neutralised, then secrets are masked on
 * the cleaned text. That order matters: masking first would let
 * `sec<OSC>ret` through, since the OSC is only removed afterwards. Kept
 * sequences (SGR colour; every sequence without `neutralizeEscapes`) are
 * transparent to matching, so a secret that `grep --color` highlights in part
 * is still masked whole; sequences inside a masked secret follow the `***`.
 *
 * Output is held back only while it could still be the start of a secret
 * (or an escape sequence), so ordinary output streams without delay. Work is
 * linear in the output size.
 */
export function createRedactingStream(
  options: RedactingStreamOptions,
): RedactingStream {
  const { patterns, matcher, ignored } = compileSecretPatterns(options.secrets);
  const neutralize = options.neutralizeEscapes ?? true;
  const decoder = new ChunkDecoder();
  const filter = new EscapeFilter(neutralize);
  const masker = new SecretMasker({ patterns, matcher, inlineSgr: neutralize });
  const sink: EscapeSink = {
    text: (text) => masker.text(text),
    sequence: (sequence) => masker.text(sequence),
  };
  if (!neutralize) {
    // Every sequence is kept, and one (a window title) may itself carry a secret.
    const { redact } = createRedactor(options.secrets);
    sink.sequence = (sequence) => masker.mark(redact(sequence));
  }
  // (When neutralising, only SGR survives, and the masker finds it again inline.)

  return {
    ignored,
    push(chunk) {
      filter.write(decoder.decode(chunk), sink);
      return masker.drain(false);
    },
    flush() {
      filter.write(decoder.end(), sink);
      filter.end(sink);
      return masker.drain(true);
    },
  };
}
