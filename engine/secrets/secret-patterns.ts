import { Buffer } from 'node:buffer';
import { createPatternMatcher, type PatternMatcher } from './pattern-matcher.js';

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
export function compileSecretPatterns(secrets: readonly string[]): SecretPatterns {
  const patterns = new Set<string>();
  const ignored: string[] = [];
  for (const secret of secrets) {
    if (secret === '') continue;
    if (secret.length < MIN_SECRET_LENGTH || secret.trim() === '') {
      ignored.push(secret);
      continue;
    }
    for (const variant of secretVariants(secret)) patterns.add(variant);
  }
  const sorted = [...patterns].sort((a, b) => b.length - a.length);
  return { patterns: sorted, matcher: createPatternMatcher(sorted), ignored };
}

/**
 * The forms in which a tool may print a secret: as is, URL-encoded (a
 * connection string), JSON-escaped, and base64 (an `Authorization: Basic`
 * header, a Kubernetes secret). A secret inside a longer base64 blob is
 * encoded differently at each of the three byte offsets modulo 3, so for each
 * offset the characters that depend on the secret alone are masked too, as
 * GitHub Actions does.
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([secret]);
  const uri = tryEncodeURIComponent(secret);
  if (uri !== undefined) variants.add(uri);
  variants.add(JSON.stringify(secret).slice(1, -1));

  const bytes = Buffer.from(secret, 'utf8');
  const base64 = [bytes.toString('base64')];
  for (const shift of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Characters [first, end) carry 6 bits each of the secret's bytes only.
    const first = Math.ceil((shift * 4) / 3);
    const end = Math.floor(((shift + bytes.length) * 4) / 3);
    const fragment = shifted.slice(first, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) base64.push(fragment);
  }
  for (const encoded of base64) {
    variants.add(encoded);
    variants.add(encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  }
  return [...variants].filter((variant) => variant.length >= MIN_SECRET_LENGTH);
}

function tryEncodeURIComponent(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate cannot be URL-encoded, so no tool can print it that way.
    return undefined;
  }
}
