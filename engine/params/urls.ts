import { interpolate } from '../parse/refs.js';

/**
 * Hides the password of a connection URL (`postgres://u:***@h/db`) and any
 * `password=` query parameter, so a URL can be shown or journaled.
 */
export function maskUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]*)@/i, (_m, head: string, pw: string) => (pw ? `${head}***@` : `${head}@`))
    .replace(/([?&]password=)[^&#\s]*/gi, '$1***');
}

/** Interpolates `${name}` with `lookup`; names it cannot resolve are listed in `missing`. */
export function resolveTemplate(text: string, lookup: (name: string) => string | undefined): { text: string; missing: string[] } {
  return interpolate(text, lookup);
}
