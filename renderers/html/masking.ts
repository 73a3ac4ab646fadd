import type { Runbook } from "../../engine/model/index.js";

/** What replaces a secret everywhere in rendered docs and reports. */
export const MASK = "***";

/**
 * Hides secrets in text shown in docs. Values shorter than this are not
 * searched for (masking every "abc" in the prose would garble it); they are
 * still never rendered where the runbook declares them.
 */
const MIN_SECRET_LENGTH = 4;

export interface Masker {
  /** Masks known secret values, literal URL passwords and `PASSWORD '…'` literals in `text`. */
  text(text: string): string;
  /** The secret values this masker hides (for tests and the self-check). */
  readonly values: readonly string[];
}

const CREDENTIAL_HINT = /:\/\/|password/i;
const URL_PASSWORD =
  /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s'"`]*:)([^@/?#\s'"`]+)@/gi;
const QUERY_PASSWORD = /([?&]password=)([^&#\s'"`]+)/gi;
const SQL_PASSWORD = /\b(PASSWORD\s+)'((?:[^']|'')+)'/gi;
const ENV_PASSWORD = /\b(PGPASSWORD=)(["']?)([^\s"'$][^\s"']*)\2/g;

/** A `${name}`, `$name` or `:'name'` reference: shows where a secret comes from, not the secret. */
function isReference(value: string): boolean {
  return /^(?:\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*|:['"]?[A-Za-z_]\w*['"]?)$/.test(
    value,
  );
}

/**
 * Builds the masker for one runbook (SPEC 1.1: secrets never reach rendered
 * docs). Secret params' defaults and rehearsal values, and passwords written
 * literally in database URLs, are masked wherever they occur on the page.
 */
export function createMasker(
  runbook: Runbook,
  extra: readonly string[] = [],
): Masker {
  const values = new Set<string>();
  for (const p of runbook.params) {
    if (!p.secret) continue;
    for (const v of [p.default, p.rehearsal])
      if (v !== undefined && v.length >= MIN_SECRET_LENGTH) values.add(v);
  }
  for (const db of runbook.databases) {
    for (const m of db.url.matchAll(URL_PASSWORD))
      if (m[2] && !isReference(m[2]) && m[2].length >= MIN_SECRET_LENGTH)
        values.add(m[2]);
  }
  for (const v of extra) if (v.length >= MIN_SECRET_LENGTH) values.add(v);
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return { text: (text) => maskText(text, sorted), values: sorted };
}

/** Masks literal credentials and the given values in `text`. */
export function maskText(text: string, values: readonly string[] = []): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(MASK);
  // Most text has no credential shape at all: skip the four patterns.
  if (!CREDENTIAL_HINT.test(out)) return out;
  return out
    .replace(URL_PASSWORD, (whole, head: string, pw: string) =>
      isReference(pw) || pw === MASK ? whole : `${head}${MASK}@`,
    )
    .replace(QUERY_PASSWORD, (whole, head: string, pw: string) =>
      isReference(pw) || pw === MASK ? whole : `${head}${MASK}`,
    )
    .replace(SQL_PASSWORD, (whole, head: string, pw: string) =>
      pw === MASK ? whole : `${head}'${MASK}'`,
    )
    .replace(ENV_PASSWORD, (whole, head: string, quote: string, pw: string) =>
      pw === MASK ? whole : `${head}${quote}${MASK}${quote}`,
    );
}
