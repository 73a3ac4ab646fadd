/** Whether `text` has glob syntax (`*`, `?`, `[…]`, `{a,b}`) that is not escaped. */
export function isGlob(text: string): boolean {
  return /(?<!\\)[*?[{]/.test(text);
}

/**
 * Compiles a glob over `/`-separated paths to a regular expression: `*` and
 * `?` match within one path segment, `**` as a whole segment matches any
 * number of segments (also none), `[abc]`, `[a-z]` and `[!x]` match one
 * character, `{a,b}` either alternative (nested braces too), and `\`
 * escapes. Like shells, `*` and `?` do not match a leading `.` of a segment.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    const segmentStart = i === 0 || glob[i - 1] === '/';
    if (c === '\\') {
      out += escape(glob[++i] ?? '\\');
    } else if (c === '*') {
      if (glob[i + 1] === '*' && segmentStart && (glob[i + 2] === '/' || i + 2 === glob.length)) {
        // `**/` is any run of directories that do not start with a dot.
        out += glob[i + 2] === '/' ? '(?:(?!\\.)[^/]*/)*' : '(?:(?!\\.)[^/]*(?:/|$))*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else {
        out += `${segmentStart ? '(?!\\.)' : ''}[^/]*`;
        while (glob[i + 1] === '*') i++;
      }
    } else if (c === '?') {
      out += `${segmentStart ? '(?!\\.)' : ''}[^/]`;
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let set = glob.slice(i + 1, close);
        const negate = set.startsWith('!') || set.startsWith('^');
        if (negate) set = set.slice(1);
        out += `[${negate ? '^/' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      }
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else {
      out += escape(c);
    }
  }
  return new RegExp(`^${out}${')'.repeat(depth)}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The folder a glob's matches are all under: its segments before the first one with glob syntax. */
export function globBase(glob: string): string {
  const segments = glob.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (isGlob(segment)) break;
    fixed.push(segment);
  }
  if (fixed.length === 0) return glob.startsWith('/') ? '/' : '.';
  const base = fixed.join('/');
  return base === '' ? '/' : base;
}
