import { compileSecretPatterns } from './secret-patterns.js';

/** The text every masked secret is replaced by (SPEC 1.1). */
export const MASK = '***';

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
 * arrives in chunks, use {@link createRedactingStream}, which also catches a
 * secret split across chunks or interleaved with terminal escapes.
 *
 * Empty strings are skipped; each other secret is masked as is, URL-encoded,
 * JSON-escaped and base64-encoded, the longest match first.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const { matcher, ignored } = compileSecretPatterns(secrets);
  return {
    ignored,
    redact(text) {
      let match = matcher?.find(text, 0);
      if (match === undefined) return text;
      let out = '';
      let pos = 0;
      while (match !== undefined) {
        out += text.slice(pos, match.index) + MASK;
        pos = match.index + match.length;
        match = matcher?.find(text, pos);
      }
      return out + text.slice(pos);
    },
  };
}
