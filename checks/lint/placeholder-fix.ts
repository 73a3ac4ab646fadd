import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { Placeholder } from "./placeholders.js";
import type { LintContext, LintEdit, LintFix, Snippet } from "./types.js";

/** SQL words after which a placeholder names something (`DROP TABLE <table>`): it becomes `:"name"`, else `:'name'`. */
const NAMES_FOLLOW =
  /\b(table|index|schema|database|role|user|from|join|into|update|view|sequence|extension|owner\s+to|grant\s+\w+\s+to|to|on|publication|subscription|tablespace|type|function)\s*$/i;

interface Use {
  readonly snippet: Snippet;
  readonly placeholder: Placeholder;
}

/**
 * `runbook lint --fix` for placeholders (SPEC 5): `<cluster-name>`,
 * `{version}`, `[host]` and `YOUR_API_KEY` in the code of a file become a
 * param, declared in the front matter with no default (so the run asks for it,
 * or takes `--set name=…`), and used the way SPEC 1.3 says: `"${name}"` in
 * shell (the shell expands it: a value never becomes code), `:'name'` or
 * `:"name"` in SQL. One fix per file, all placeholders at once, so the front
 * matter is edited once. A use that cannot be rewritten safely (inside a
 * longer SQL string, a line that is not what lint read) leaves the file's fix
 * out for that placeholder; the lint finding stays.
 */
export function placeholderFix(
  ctx: LintContext,
  file: string,
  uses: readonly Use[],
): LintFix | undefined {
  const byLine = new Map<
    number,
    { column: number; length: number; by: string }[]
  >();
  const params = new Map<string, string>();
  for (const { snippet, placeholder: p } of uses) {
    if (snippet.origin.kind !== "action" || !/^[<{[]|^YOUR_/.test(p.text))
      continue;
    const at = snippet.locate(p.line, p.column);
    if (
      at.file !== file ||
      !ctx.source.line(file, at.line).startsWith(p.text, at.column - 1)
    )
      continue;
    const codeLine = snippet.text.split("\n")[p.line - 1] ?? "";
    const replacement =
      snippet.language === "shell"
        ? shellUse(codeLine, p)
        : sqlUse(codeLine, p);
    if (replacement === undefined) continue;
    const list = byLine.get(at.line) ?? [];
    list.push({
      column: at.column - replacement.before,
      length: p.text.length + replacement.before + replacement.after,
      by: replacement.text,
    });
    byLine.set(at.line, list);
    if (!params.has(p.param)) params.set(p.param, p.text);
  }
  if (params.size === 0) return undefined;
  const declared = new Set(ctx.runbook.params.map((p) => p.name));
  const toDeclare = [...params].filter(([name]) => !declared.has(name));
  const edits: LintEdit[] = [];
  if (toDeclare.length > 0) {
    const frontMatter = declareParams(ctx, file, toDeclare);
    if (!frontMatter) return undefined;
    edits.push(frontMatter);
  }
  for (const [line, replacements] of byLine) {
    const now = ctx.source.line(file, line);
    let text = now;
    for (const r of [...replacements].sort((a, b) => b.column - a.column))
      text =
        text.slice(0, r.column - 1) +
        r.by +
        text.slice(r.column - 1 + r.length);
    edits.push({ line, endLine: line, expect: [now], text: [text] });
  }
  const names = [...params]
    .map(([name, text]) => `${text} → ${name}`)
    .join(", ");
  const declaredNote =
    toDeclare.length === 0
      ? ""
      : `; declared in the front matter with no default, so a run asks for ${toDeclare.length === 1 ? "it" : "them"} (or takes --set name=…)`;
  const first = Math.min(...byLine.keys());
  return {
    file,
    line: first,
    edits,
    description: `placeholders become params (${names})${declaredNote}: the code now reads the param where it held the placeholder`,
  };
}

interface Replacement {
  readonly text: string;
  /** Characters before and after the placeholder that the replacement takes in too (the quotes of `'<x>'`). */
  readonly before: number;
  readonly after: number;
}

/** `"${name}"` outside quotes, `${name}` inside double quotes, `'"${name}"'` inside single quotes. */
function shellUse(line: string, p: Placeholder): Replacement {
  const quote = quoteAt(line, p.column - 1, true);
  const use = `\${${p.param}}`;
  if (quote === '"') return { text: use, before: 0, after: 0 };
  if (quote === "'") return { text: `'"${use}"'`, before: 0, after: 0 };
  return { text: `"${use}"`, before: 0, after: 0 };
}

/** `:'name'` for a value, `:"name"` for a name; `'<x>'` as a whole becomes `:'x'`; inside a longer string: none. */
function sqlUse(line: string, p: Placeholder): Replacement | undefined {
  const start = p.column - 1;
  const quote = quoteAt(line, start, false);
  if (quote === "'") {
    const whole =
      line[start - 1] === "'" && line[start + p.text.length] === "'";
    return whole ? { text: `:'${p.param}'`, before: 1, after: 1 } : undefined;
  }
  if (quote === '"') return undefined;
  const name = NAMES_FOLLOW.test(line.slice(0, start));
  return {
    text: name ? `:"${p.param}"` : `:'${p.param}'`,
    before: 0,
    after: 0,
  };
}

/** The quote open at `index` of `line` (`'`, `"` or none); in shell a backslash escapes outside single quotes. */
function quoteAt(
  line: string,
  index: number,
  shell: boolean,
): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < index; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (shell && quote === '"' && c === "\\") i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (shell && c === "\\") i++;
  }
  return quote;
}

/** The edit that declares `params` in the file's front matter (made when there is none); none when its shape is not one to edit safely. */
function declareParams(
  ctx: LintContext,
  file: string,
  params: readonly (readonly [string, string])[],
): LintEdit | undefined {
  const lines = ctx.source.lines(file);
  const entry = (
    indent: string,
    [name, text]: readonly [string, string],
  ): string =>
    `${indent}${name}: { description: ${JSON.stringify(`was ${text} in the code`)} }`;
  if (lines[0] !== "---") {
    const first = lines[0] ?? "";
    return {
      line: 1,
      endLine: 1,
      expect: [first],
      text: [
        "---",
        "params:",
        ...params.map((p) => entry("  ", p)),
        "---",
        ...(first === "" ? [""] : ["", first]),
      ],
    };
  }
  const close = lines.findIndex(
    (l, i) => i > 0 && (l === "---" || l === "..."),
  );
  if (close < 0) return undefined;
  const yamlText = lines.slice(1, close).join("\n");
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter });
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents)))
    return undefined;
  const root = doc.contents;
  const pair = root?.items.find(
    (item) => isScalar(item.key) && item.key.value === "params",
  );
  if (!pair) {
    const closing = lines[close] ?? "---";
    return {
      line: close + 1,
      endLine: close + 1,
      expect: [closing],
      text: ["params:", ...params.map((p) => entry("  ", p)), closing],
    };
  }
  const value = pair.value;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyLine =
      isScalar(pair.key) && pair.key.range
        ? counter.linePos(pair.key.range[0]).line + 1
        : undefined;
    if (keyLine === undefined) return undefined;
    const now = lines[keyLine - 1] ?? "";
    if (!/^params:\s*$/.test(now)) return undefined;
    return {
      line: keyLine,
      endLine: keyLine,
      expect: [now],
      text: [now, ...params.map((p) => entry("  ", p))],
    };
  }
  if (!isMap(value) || value.flow || !value.range) return undefined;
  const firstKey = value.items[0]?.key;
  const indent =
    isScalar(firstKey) && firstKey.range
      ? " ".repeat(counter.linePos(firstKey.range[0]).col - 1)
      : "  ";
  // The map's last line: where its value ends, before any blank lines or comments after it.
  let last =
    counter.linePos(Math.max(value.range[1] - 1, value.range[0])).line + 1;
  while (last > 1 && (lines[last - 1] ?? "").trim() === "") last--;
  const now = lines[last - 1] ?? "";
  return {
    line: last,
    endLine: last,
    expect: [now],
    text: [now, ...params.map((p) => entry(indent, p))],
  };
}
