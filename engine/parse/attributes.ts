import { directiveFromMarkdown } from 'mdast-util-directive';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { directive } from 'micromark-extension-directive';

export type AttributeResult =
  | { readonly ok: true; readonly attributes: Record<string, string> }
  | { readonly ok: false; readonly message: string };

/** `key=value`, `key="…"`, `key='…'`, `#id`, `.class` and flags, with no character references. */
const SIMPLE = /^\{(?:\s*(?:[#.][\w-]+|[A-Za-z_:][\w:.-]*(?:=(?:"[^"&\n]*"|'[^'&\n]*'|[^\s"'`<=>&}]+))?))*\s*\}$/;
const SIMPLE_PART = /([#.])([\w-]+)|([A-Za-z_:][\w:.-]*)(?:=(?:"([^"]*)"|'([^']*)'|([^\s"'`<=>&}]+)))?/g;

/**
 * Reads a fenced code block's attributes from its info string's meta: the
 * remark-directive attribute syntax (`{#id .class key=value key="a value" flag}`)
 * or Runme-style JSON (`{"name":"x","excludeFromRunAll":true}`). A flag's value
 * is the empty string; JSON values become strings.
 */
export function parseCodeAttributes(meta: string | null | undefined): AttributeResult {
  const text = (meta ?? '').trim();
  if (text === '') return { ok: true, attributes: {} };
  if (!text.startsWith('{')) return { ok: false, message: `attributes must be written in braces, like {db=app}; got "${text}"` };
  if (/^\{\s*"/.test(text)) return parseJsonAttributes(text);
  const parsed = SIMPLE.test(text) ? ({ ok: true, attributes: parseSimple(text) } as const) : parseWithMicromark(text);
  return parsed.ok ? { ok: true, attributes: fromRunme(parsed.attributes) } : parsed;
}

/** Runme's attribute names, written in brace form: `{ name=setup excludeFromRunAll=true }`. */
function fromRunme(attributes: Record<string, string>): Record<string, string> {
  if (!('name' in attributes || 'excludeFromRunAll' in attributes)) return attributes;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'name') out['id'] ??= value;
    else if (key === 'excludeFromRunAll') {
      if (value === 'true' || value === '') out['run'] = 'false';
    } else out[key] = value;
  }
  return out;
}

function parseSimple(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.slice(1, -1).matchAll(SIMPLE_PART)) {
    if (m[1] === '#' && m[2]) attributes['id'] = m[2];
    else if (m[1] === '.' && m[2]) attributes['class'] = attributes['class'] ? `${attributes['class']} ${m[2]}` : m[2];
    else if (m[3]) attributes[m[3]] = m[4] ?? m[5] ?? m[6] ?? '';
  }
  return attributes;
}

/** The full attribute grammar (entities, escapes) through micromark's own directive parser. */
function parseWithMicromark(text: string): AttributeResult {
  const source = `:x${text}`;
  const tree = fromMarkdown(source, { extensions: [directive()], mdastExtensions: [directiveFromMarkdown()] });
  const paragraph = tree.children[0];
  const node = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined;
  if (!node || node.type !== 'textDirective' || node.position?.end.offset !== source.length) {
    return { ok: false, message: `cannot read the attributes ${text}: expected {key=value …} with quoted values containing spaces or braces` };
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.attributes ?? {})) if (value !== null && value !== undefined) attributes[key] = value;
  return { ok: true, attributes };
}

/** Runme's JSON attributes, mapped onto ours where they mean the same thing. */
function parseJsonAttributes(text: string): AttributeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `invalid JSON attributes ${text}: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'JSON attributes must be an object' };
  const attributes: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (key === 'name') attributes['id'] = text;
    else if (key === 'excludeFromRunAll') {
      if (v === true) attributes['run'] = 'false';
    } else if (key === 'interactive') {
      if (v === true) attributes['interactive'] = '';
    } else attributes[key] = text;
  }
  return { ok: true, attributes };
}
