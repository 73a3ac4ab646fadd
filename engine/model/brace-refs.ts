/**
 * The `${name}` syntax of SPEC 1.1, shared by everything that reads or fills
 * in a reference: the parser (which locates them), params (which resolve one
 * another), the run (which fills attributes in when a step starts) and the
 * reporters (which show a step's code as it runs). Model vocabulary, so that
 * none of them imports another's folder for it.
 */

/** One `${name}` reference; `g`: use with `matchAll` or `replace`. */
export const BRACE_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names used as `${name}` in `text`, in order. */
export function braceRefNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(BRACE_REF)) if (m[1]) names.push(m[1]);
  return names;
}

/**
 * Replaces `${name}` by its value where `lookup` knows it. Returns the text and
 * the names it could not resolve (left as written).
 */
export function interpolate(
  text: string,
  lookup: (name: string) => string | undefined,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(BRACE_REF, (whole, name: string) => {
    const value = lookup(name);
    if (value === undefined) {
      missing.push(name);
      return whole;
    }
    return value;
  });
  return { text: out, missing };
}
