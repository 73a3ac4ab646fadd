import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import dockerfile from "highlight.js/lib/languages/dockerfile";
import ini from "highlight.js/lib/languages/ini";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import nginx from "highlight.js/lib/languages/nginx";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { seg, type Line, type Seg, type Tone } from "./segments.js";

/**
 * highlight.js core with the grammars a runbook's blocks are written in: the
 * full set (lowlight's `all`) costs 24 MB and a tenth of a second to load,
 * for every run in the terminal.
 */
const GRAMMARS = {
  bash,
  dockerfile,
  ini,
  javascript,
  json,
  nginx,
  plaintext,
  python,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};
let registered = false;

/** Frames redraw the same code many times a second: highlight each block once. */
const cache = new Map<string, Line[]>();
const CACHE_SIZE = 64;

/** Code-block languages of SPEC 1.3 → highlight.js grammars. */
const ALIASES: Record<string, string> = {
  sh: "bash",
  bash: "bash",
  shell: "bash",
  zsh: "bash",
  console: "shell",
  "shell-session": "shell",
  sql: "sql",
  pgsql: "sql",
  postgresql: "sql",
  psql: "sql",
  conf: "ini",
  toml: "ini",
  yml: "yaml",
  js: "javascript",
  ts: "typescript",
  py: "python",
};

const CLASS_TONES: Record<string, Tone> = {
  keyword: "keyword",
  "selector-tag": "keyword",
  literal: "number",
  number: "number",
  string: "string",
  regexp: "string",
  "template-string": "string",
  comment: "comment",
  quote: "comment",
  variable: "variable",
  "template-variable": "variable",
  subst: "variable",
  params: "variable",
  attr: "variable",
  built_in: "builtin",
  type: "builtin",
  title: "title",
  section: "title",
  name: "title",
  meta: "meta",
  "meta-prompt": "meta",
  symbol: "number",
  bullet: "keyword",
};

/**
 * Splits code into lines of toned segments with highlight.js (through
 * lowlight): the hast classes become tones, which the theme maps to ANSI
 * colours through Ink's `<Text color>`. Unknown languages come back plain.
 */
export function highlight(code: string, lang: string): Line[] {
  const key = `${lang}\u0000${code}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const lines = highlightUncached(code, lang);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? "");
  cache.set(key, lines);
  return lines;
}

function highlightUncached(code: string, lang: string): Line[] {
  const grammar = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
  if (!registered) {
    for (const [name, language] of Object.entries(GRAMMARS))
      hljs.registerLanguage(name, language);
    registered = true;
  }
  if (grammar === "" || !hljs.getLanguage(grammar))
    return code.split("\n").map((l) => [seg(l)]);
  let html: string;
  try {
    html = hljs.highlight(code, {
      language: grammar,
      ignoreIllegals: true,
    }).value;
  } catch {
    return code.split("\n").map((l) => [seg(l)]);
  }
  // highlight.js writes only <span class="hljs-…"> and </span> around escaped text.
  const lines: Seg[][] = [[]];
  const tones: (Tone | undefined)[] = [];
  for (const m of html.matchAll(/<span class="([^"]*)">|<\/span>|[^<]+/g)) {
    if (m[1] !== undefined) tones.push(toneOf(m[1].split(" ")) ?? tones.at(-1));
    else if (m[0] === "</span>") tones.pop();
    else {
      const tone = tones.at(-1);
      unescapeHtml(m[0])
        .split("\n")
        .forEach((part, i) => {
          if (i > 0) lines.push([]);
          if (part !== "") lines[lines.length - 1]?.push(seg(part, tone));
        });
    }
  }
  return lines;
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|#x27|#39);/g,
    (_m, e: string) =>
      ({ lt: "<", gt: ">", amp: "&", quot: '"', "#x27": "'", "#39": "'" })[e] ??
      _m,
  );
}

function toneOf(className: unknown): Tone | undefined {
  if (!Array.isArray(className)) return undefined;
  for (const c of className) {
    if (typeof c !== "string" || !c.startsWith("hljs-")) continue;
    const tone = CLASS_TONES[c.slice(5)];
    if (tone) return tone;
  }
  return undefined;
}
