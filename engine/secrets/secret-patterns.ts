import { Buffer } from "node:buffer";
import {
  createPatternMatcher,
  type PatternMatcher,
} from "./pattern-matcher.js";

/**
 * Secrets shorter than this are not masked: masking `a` or `42` would turn
 * every output into asterisks and hide what the operator needs to see, while
 * protecting next to nothing (a 2-character secret is guessable anyway).
 */
export const MIN_SECRET_LENGTH = 3;

/**
 * Base64 fragments of a secret that sits at an unknown offset inside a larger
 * encoded blob are only masked from this length on, so a short fragment does
 * not match ordinary base64 data by chance.
 */
const MIN_FRAGMENT_LENGTH = 6;

/** What the redactors match: every text to mask, longest first, and what was left out. */
export interface SecretPatterns {
  /** Distinct texts to replace by `***`, longest first (so a longer match wins). */
  readonly patterns: readonly string[];
  /** Finds the leftmost-longest pattern; undefined when there is nothing to mask. */
  readonly matcher: PatternMatcher | undefined;
  /** Secrets that were not masked because they are too short or blank. */
  readonly ignored: readonly string[];
}

/** Compiles the secrets and their printable encodings into one matcher. */
export function compileSecretPatterns(
  secrets: readonly string[],
): SecretPatterns {
  const patterns = new Set<string>();
  const ignored: string[] = [];
  for (const secret of secrets) {
    if (secret === "") continue;
    if (secret.length < MIN_SECRET_LENGTH || secret.trim() === "") {
      ignored.push(secret);
      continue;
    }
    for (const variant of secretVariants(secret)) patterns.add(variant);
  }
  const sorted = [...patterns].sort((a, b) => b.length - a.length);
  return { patterns: sorted, matcher: createPatternMatcher(sorted), ignored };
}

/**
 * The forms in which a tool may print a secret: as is, percent-encoded (a
 * connection string: `encodeURIComponent`'s form, the URL standard's userinfo
 * form that `new URL()` writes, each with upper- and lower-case hex), decoded
 * (a secret given percent-encoded, as copied from a URL), JSON-escaped, and
 * base64 (an `Authorization: Basic` header, a Kubernetes secret). A secret
 * inside a longer base64 blob is encoded differently at each of the three
 * byte offsets modulo 3, so for each offset the characters that depend on the
 * secret alone are masked too, as GitHub Actions does. A secret holding
 * control characters is also matched as the output filter leaves it (`\r` is
 * invisible to matching, other controls are dropped).
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>();
  addVariants(secret, variants);
  const decoded = /%[0-9A-Fa-f]{2}/.test(secret)
    ? tryDecodeURIComponent(secret)
    : undefined;
  if (decoded !== undefined && decoded !== secret)
    addVariants(decoded, variants);
  return [...variants].filter((variant) => variant.length >= MIN_SECRET_LENGTH);
}

function addVariants(secret: string, variants: Set<string>): void {
  variants.add(secret);
  for (const encoded of [
    tryEncodeURIComponent(secret),
    userinfoEncoded(secret),
  ]) {
    if (encoded === undefined) continue;
    variants.add(encoded);
    variants.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  variants.add(JSON.stringify(secret).slice(1, -1));
  const visible = secret.replace(FILTERED_CONTROLS, "");
  if (visible !== secret) variants.add(visible);

  const bytes = Buffer.from(secret, "utf8");
  const base64 = [bytes.toString("base64")];
  for (const shift of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString(
      "base64",
    );
    // Characters [first, end) carry 6 bits each of the secret's bytes only.
    const first = Math.ceil((shift * 4) / 3);
    const end = Math.floor(((shift + bytes.length) * 4) / 3);
    const fragment = shifted.slice(first, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) base64.push(fragment);
  }
  for (const encoded of base64) {
    variants.add(encoded);
    variants.add(
      encoded.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    );
  }
}

/** What never reaches matching: controls the output filter drops, and `\r`, which the masker looks through. */
const FILTERED_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function tryEncodeURIComponent(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be URL-encoded, so no tool can print it that way.
    return undefined;
  }
}

function tryDecodeURIComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The password as the URL standard encodes it (`new URL()`, libraries built on it): fewer characters than encodeURIComponent. */
function userinfoEncoded(value: string): string | undefined {
  try {
    const url = new URL("postgres://host");
    url.password = value;
    return url.password;
  } catch {
    return undefined;
  }
}
