/**
 * Hides the password of a connection URL (`postgres://u:***@h/db`) and any
 * `password=` query parameter, so a URL can be shown or journaled.
 */
export function maskUrl(url: string): string {
  return url
    .replace(
      /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]*)@/i,
      (_m, head: string, pw: string) => (pw ? `${head}***@` : `${head}@`),
    )
    .replace(/([?&]password=)[^&#\s]*/gi, "$1***");
}

/** Interpolates `${name}` with `lookup`; names it cannot resolve are listed in `missing`. */
export function resolveTemplate(
  text: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  return interpolate(text, lookup);
}

/** `scheme://` and the userinfo (up to the authority's last `@`) of a URL as written, before `${}` is filled in. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/**
 * Interpolates `${name}` in a URL template (a database's `url:`). A value
 * that goes into the URL's user or password is percent-encoded (SPEC 1.1: a
 * password may hold `/`, `%`, `@` or `:`), so the URL means what the runbook
 * says and a driver decodes the password the operator gave. Elsewhere (host,
 * port, path, query) values are put in as they are, and a `${name}` that is
 * the whole URL (`${OLD_DATABASE_URL}`) is taken as an already valid URL.
 */
export function resolveUrl(
  template: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  const m = USERINFO.exec(template);
  if (!m || !m[2]?.includes("${")) return interpolate(template, lookup);
  const [whole, scheme = "", userinfo = ""] = m;
  const encoded = interpolate(userinfo, (name) => {
    const value = lookup(name);
    return value === undefined ? undefined : encodeUserinfo(value);
  });
  const rest = interpolate(template.slice(whole.length), lookup);
  return {
    text: `${scheme}${encoded.text}@${rest.text}`,
    missing: [...encoded.missing, ...rest.missing],
  };
}

/** Percent-encodes a user name or password for a URL's userinfo: everything but unreserved characters and a few harmless sub-delims. */
function encodeUserinfo(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: no driver could decode it either; keep it visible in the error the driver gives.
    return value;
  }
}
import { interpolate } from "../model/index.js";
