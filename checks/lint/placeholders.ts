/**
 * Placeholders left in code (SPEC 5): `<your-host>`, `CHANGEME`, `xxx`,
 * `YOUR_API_KEY`. The author meant "fill this in"; as written the shell reads
 * `<your-host>` as two redirections (a syntax error) and the other forms run
 * with a dummy value. Found outside comments, and outside markup (a
 * here-document of HTML is not a placeholder).
 */

/** One placeholder in a snippet's text. */
export interface Placeholder {
  /** As written: `<cluster-name>`, `CHANGEME`. */
  readonly text: string;
  /** 1-based, in the snippet's text. */
  readonly line: number;
  readonly column: number;
  /** The param name it would become: `cluster_name`. */
  readonly param: string;
}

/** Markup tags and the literals tools print in angle brackets (`kubectl`'s `<none>`): never placeholders. */
const NOT_PLACEHOLDERS = new Set(
  (
    "a abbr b body br code div em h1 h2 h3 h4 h5 h6 head hr html i img input li link meta ol p pre script section small " +
    "span strong style sub sup svg table tbody td th thead title tr u ul xml none nil null unknown"
  ).split(" "),
);

const ANGLE = /<([A-Za-z][\w .:/-]{0,48}[\w.]|[A-Za-z])>/g;
/** `{version}` in shell: no brace expansion (that needs a comma) and no `${…}`. */
const BRACES = /(?<![$@\w{])\{([A-Za-z_][\w-]*)\}(?!\})/g;
/** `[cluster]`, `[ARGS...]` standing alone in shell: usage text, not a glob. */
const BRACKETS = /(?<=^|\s)\[([A-Za-z][\w-]+(?:\.\.\.)?)\](?=\s|$)/g;
const WORDS =
  /\b(CHANGE_?ME|changeme|ChangeMe|REPLACE_?ME|x{3,}|X{3,}|YOUR_[A-Z0-9_]*[A-Z0-9])\b/g;

/**
 * The placeholders of a snippet. `language` decides what a comment is
 * (`#` in shell, `--` in SQL) and whether `<a b>` with blanks can be one
 * (not in SQL, where `a<b AND c>d` is a comparison).
 */
export function findPlaceholders(
  code: string,
  language: "shell" | "sql",
): Placeholder[] {
  const out: Placeholder[] = [];
  code.split("\n").forEach((line, i) => {
    const text = withoutComment(line, language);
    for (const m of text.matchAll(ANGLE)) {
      const inner = m[1] ?? "";
      const at = m.index;
      if (text[at - 1] === "<" || text[at - 1] === "\\") continue;
      if (language === "sql" && /\s/.test(inner)) continue;
      if (
        NOT_PLACEHOLDERS.has(inner.toLowerCase()) ||
        inner.includes("://") ||
        text.includes(`</${inner}>`)
      )
        continue;
      out.push({
        text: m[0],
        line: i + 1,
        column: at + 1,
        param: paramName(inner),
      });
    }
    if (language === "shell") {
      for (const m of text.matchAll(BRACES))
        out.push({
          text: m[0],
          line: i + 1,
          column: m.index + 1,
          param: paramName(m[1] ?? ""),
        });
      // A line that is only `[section]` is an INI header, not a placeholder.
      if (!/^\s*\[[^\]]*\]\s*$/.test(text)) {
        for (const m of text.matchAll(BRACKETS))
          out.push({
            text: m[0],
            line: i + 1,
            column: m.index + 1,
            param: paramName((m[1] ?? "").replace(/\.\.\.$/, "")),
          });
      }
    }
    for (const m of text.matchAll(WORDS)) {
      const word = m[1] ?? "";
      // Part of a longer word (`0xxx`, `fooXXX`) is no placeholder.
      if (
        /[\w.-]/.test(text[m.index - 1] ?? "") ||
        /[\w]/.test(text[m.index + word.length] ?? "")
      )
        continue;
      out.push({
        text: word,
        line: i + 1,
        column: m.index + 1,
        param: paramName(word.replace(/^YOUR_/, "")),
      });
    }
  });
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The text with each placeholder replaced by a plain word of the same length, for the syntax tools. */
export function maskPlaceholders(
  code: string,
  found: readonly Placeholder[],
): string {
  if (found.length === 0) return code;
  const lines = code.split("\n");
  for (const p of found) {
    if (!/^[<{[]/.test(p.text)) continue;
    const line = lines[p.line - 1] ?? "";
    const word = `_${p.text.slice(1, -1).replace(/[^\w]/g, "_")}_`;
    lines[p.line - 1] =
      line.slice(0, p.column - 1) +
      word +
      line.slice(p.column - 1 + p.text.length);
  }
  return lines.join("\n");
}

/** `<cluster-name>` → `cluster_name`; `<NEW PASSWORD>` → `new_password`. */
export function paramName(inner: string): string {
  const name = inner
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return /^[a-z_]/.test(name) ? name : `p_${name}`;
}

/** The line up to a comment: `#` at a word start in shell (outside quotes), `--` in SQL (outside quotes). */
function withoutComment(line: string, language: "shell" | "sql"): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === "'" || (c === '"' && language === "shell")) quote = c;
    else if (language === "shell" && c === "\\") i++;
    else if (
      language === "shell" &&
      c === "#" &&
      (i === 0 || /\s/.test(line[i - 1] ?? ""))
    )
      return line.slice(0, i);
    else if (language === "sql" && c === "-" && line[i + 1] === "-")
      return line.slice(0, i);
  }
  return line;
}
