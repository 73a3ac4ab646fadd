import { directiveFromMarkdown } from "mdast-util-directive";
import { fromMarkdown } from "mdast-util-from-markdown";
import { directive } from "micromark-extension-directive";
import { CODE_ATTRIBUTES } from "./directives.js";

/** Words after the language that are not an attribute block: shown, never read. */
export interface InfoComment {
  readonly text: string;
  /** UTF-16 offset of `text` in the meta that was read. */
  readonly offset: number;
}

export type AttributeResult =
  | {
      readonly ok: true;
      readonly attributes: Record<string, string>;
      readonly comment?: InfoComment;
    }
  | {
      readonly ok: false;
      readonly message: string;
      /** Where in the meta the problem is, when known. */ readonly offset?: number;
    };

/**
 * Runme's cell attributes (https://runme.dev), in its JSON or brace form.
 * `name` (an id), `excludeFromRunAll` (`run=false`), `interactive` and `cwd`
 * mean here what they mean there; the others are Runme's own and ignored.
 */
const RUNME_ATTRIBUTES = new Set([
  "name",
  "tag",
  "category",
  "excludeFromRunAll",
  "background",
  "interactive",
  "closeTerminalOnSuccess",
  "openTerminalOnError",
  "promptEnv",
  "terminalRows",
  "mimeType",
  "interpreter",
  "cwd",
  "skipPrompts",
  "id",
]);

/** Whether `key` is one of Runme's cell attributes (also its `runme.dev/…` keys). */
export function isRunmeAttribute(key: string): boolean {
  return RUNME_ATTRIBUTES.has(key) || key.startsWith("runme.dev/");
}

/** `key=value`, `key="…"`, `key='…'`, `#id`, `.class` and flags, with no character references. */
const SIMPLE_BODY = String.raw`\{(?:\s*(?:[#.][\w-]+|[A-Za-z_:][\w:.-]*(?:=(?:"[^"&\n]*"|'[^'&\n]*'|[^\s"'${"`"}<=>&}]+))?))*\s*\}`;
const SIMPLE = new RegExp(`^${SIMPLE_BODY}$`);
const SIMPLE_PREFIX = new RegExp(`^${SIMPLE_BODY}(?=\\s)`);
const SIMPLE_PART =
  /([#.])([\w-]+)|([A-Za-z_:][\w:.-]*)(?:=(?:"([^"]*)"|'([^']*)'|([^\s"'`<=>&}]+)))?/g;
/** Line highlights of documentation sites (`{1,3-5}`): not attributes. */
const LINE_RANGES = /^\{\s*\d[\d\s,-]*\}(?=\s|$)/;
/** Attributes that change what runs: written outside braces they would be dropped. */
const BEHAVIOUR = new Set(
  [...CODE_ATTRIBUTES].filter((key) => !["id", "class", "title"].includes(key)),
);

/**
 * Reads a fenced code block's attributes from its info string's meta (what
 * follows the language): the remark-directive attribute syntax
 * (`{#id .class key=value key="a value" flag}`) or Runme-style JSON
 * (`{"name":"x","excludeFromRunAll":true}`). A flag's value is the empty
 * string; JSON values become strings. Words that are not an attribute block
 * (`# drain first`, or words after the block) are a comment. An attribute
 * written where it would be dropped (`timeout=5m` outside braces, a block
 * after other words) is an error, so that nothing silently changes what runs.
 */
export function parseCodeAttributes(
  meta: string | null | undefined,
): AttributeResult {
  const raw = meta ?? "";
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  if (text === "") return { ok: true, attributes: {} };
  if (!text.startsWith("{") || LINE_RANGES.test(text)) {
    const misplaced = misplacedAttributes(text);
    return misplaced
      ? { ...misplaced, offset: lead + misplaced.offset }
      : { ok: true, attributes: {}, comment: { text, offset: lead } };
  }
  if (/^\{\s*"/.test(text)) return parseJsonAttributes(text);
  const block = readBlock(text);
  if (!block.ok) return block;
  const attributes = fromRunme(block.attributes);
  const rest = text.slice(block.end);
  const words = rest.trimStart();
  if (words === "") return { ok: true, attributes };
  const at = lead + block.end + rest.length - words.length;
  const misplaced = misplacedAttributes(words);
  if (misplaced) return { ...misplaced, offset: at + misplaced.offset };
  return { ok: true, attributes, comment: { text: words, offset: at } };
}

/** An attribute written in words, where it would be dropped: `timeout=5m`, or `{…}` after other words. */
function misplacedAttributes(
  words: string,
): { ok: false; message: string; offset: number } | undefined {
  for (const m of words.matchAll(/(^|\s)([A-Za-z][\w-]*)=(\S*)/g)) {
    const key = m[2] ?? "";
    if (!BEHAVIOUR.has(key)) continue;
    const written = `${key}=${m[3] ?? ""}`;
    return {
      ok: false,
      message: `${written} after the language is not read as an attribute: write it in braces, {${written}}`,
      offset: (m.index ?? 0) + (m[1]?.length ?? 0),
    };
  }
  const brace = /(^|\s)(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})\s*$/.exec(words);
  if (brace?.[2] && brace.index > 0 && !LINE_RANGES.test(brace[2])) {
    const block = brace[2].startsWith('{"')
      ? parseJsonAttributes(brace[2])
      : readBlock(brace[2]);
    if (block.ok && Object.keys(block.attributes).length > 0) {
      return {
        ok: false,
        message: `the attributes ${brace[2]} must come right after the language, before any other words: as written they would be ignored`,
        offset: brace.index + (brace[1]?.length ?? 0),
      };
    }
  }
  return undefined;
}

/** The attribute block at the start of `text` and where it ends (the rest is a comment). */
function readBlock(
  text: string,
):
  | { ok: true; attributes: Record<string, string>; end: number }
  | { ok: false; message: string } {
  if (SIMPLE.test(text))
    return { ok: true, attributes: parseSimple(text), end: text.length };
  const prefix = SIMPLE_PREFIX.exec(text)?.[0];
  if (prefix)
    return { ok: true, attributes: parseSimple(prefix), end: prefix.length };
  return parseWithMicromark(text);
}

/** Runme's attribute names, written in brace form: `{ name=setup excludeFromRunAll=true }`. */
function fromRunme(attributes: Record<string, string>): Record<string, string> {
  if (!("name" in attributes || "excludeFromRunAll" in attributes))
    return attributes;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "name") out["id"] ??= value;
    else if (key === "excludeFromRunAll") {
      if (value === "true" || value === "") out["run"] = "false";
    } else out[key] = value;
  }
  return out;
}

function parseSimple(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.slice(1, -1).matchAll(SIMPLE_PART)) {
    if (m[1] === "#" && m[2]) attributes["id"] = m[2];
    else if (m[1] === "." && m[2])
      attributes["class"] = attributes["class"]
        ? `${attributes["class"]} ${m[2]}`
        : m[2];
    else if (m[3]) attributes[m[3]] = m[4] ?? m[5] ?? m[6] ?? "";
  }
  return attributes;
}

/** The full attribute grammar (entities, escapes) through micromark's own directive parser. */
function parseWithMicromark(
  text: string,
):
  | { ok: true; attributes: Record<string, string>; end: number }
  | { ok: false; message: string } {
  const source = `:x${text}`;
  const tree = fromMarkdown(source, {
    extensions: [directive()],
    mdastExtensions: [directiveFromMarkdown()],
  });
  const paragraph = tree.children[0];
  const node =
    paragraph?.type === "paragraph" ? paragraph.children[0] : undefined;
  const end = node?.position?.end.offset;
  if (
    !node ||
    node.type !== "textDirective" ||
    end === undefined ||
    (end !== source.length && !/\s/.test(source[end] ?? ""))
  ) {
    return {
      ok: false,
      message: `cannot read the attributes ${text}: expected {key=value …} with quoted values containing spaces or braces`,
    };
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.attributes ?? {}))
    if (value !== null && value !== undefined) attributes[key] = value;
  return { ok: true, attributes, end: end - 2 };
}

/** Runme's JSON attributes, mapped onto ours where they mean the same thing. */
function parseJsonAttributes(
  text: string,
):
  | { ok: true; attributes: Record<string, string> }
  | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `invalid JSON attributes ${text}: ${(error as Error).message}`,
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, message: "JSON attributes must be an object" };
  const attributes: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    const yes = v === true || v === "true";
    if (key === "name") attributes["id"] = text;
    else if (key === "excludeFromRunAll") {
      if (yes) attributes["run"] = "false";
    } else if (key === "interactive") {
      attributes["interactive"] = yes ? "" : "false";
    } else attributes[key] = text;
  }
  return { ok: true, attributes };
}
