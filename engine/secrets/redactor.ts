import { MASK } from "./mask.js";
import { mayHoldInlineMark, SecretMasker } from "./secret-masker.js";
import { compileSecretPatterns } from "./secret-patterns.js";

export { MASK };

/** Masks secrets in complete texts: event fields, error messages, journal lines. */
export interface Redactor {
  /** `text` with every occurrence of every secret, and of its encodings, replaced by `***`. */
  redact(text: string): string;
  /**
   * Secrets that are NOT masked because they are shorter than 3 characters
   * or blank: masking them would mask everything. Warn the operator about
   * them by name; never print this list.
   */
  readonly ignored: readonly string[];
}

/**
 * Builds a redactor for complete texts. For a child process's output, which
 * arrives in chunks, use {@link createOutputRedactor}, which also catches a
 * secret split across chunks, across stdout and stderr, or interleaved with
 * terminal escapes.
 *
 * Empty strings are skipped; each other secret is masked as is, percent-encoded,
 * decoded, JSON-escaped and base64-encoded, the longest match first. As in
 * output, a carriage return or an SGR colour sequence inside a secret does
 * not hide it (`hunt\rer2` is masked whole).
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const { patterns, matcher, ignored } = compileSecretPatterns(secrets);
  let masker: SecretMasker | undefined;
  return {
    ignored,
    redact(text) {
      if (matcher === undefined) return text;
      if (mayHoldInlineMark(text)) {
        masker ??= new SecretMasker({ patterns, matcher, inlineSgr: true });
        masker.text(text);
        return masker.drain(true);
      }
      let match = matcher.find(text, 0);
      if (match === undefined) return text;
      let out = "";
      let pos = 0;
      while (match !== undefined) {
        out += text.slice(pos, match.index) + MASK;
        pos = match.index + match.length;
        match = matcher.find(text, pos);
      }
      return out + text.slice(pos);
    },
  };
}
