import { common, createLowlight } from 'lowlight';
import { seg, type Line, type Seg, type Tone } from './segments.js';

/** The hast that lowlight returns, as far as colouring needs it. */
interface HastNode {
  readonly type: string;
  readonly value?: string;
  readonly properties?: { readonly className?: unknown };
  readonly children?: readonly HastNode[];
}

let lowlight: ReturnType<typeof createLowlight> | undefined;
/** Frames redraw the same code many times a second: highlight each block once. */
const cache = new Map<string, Line[]>();
const CACHE_SIZE = 64;

/** Code-block languages of SPEC 1.3 → highlight.js grammars. */
const ALIASES: Record<string, string> = {
  sh: 'bash',
  bash: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'shell',
  'shell-session': 'shell',
  sql: 'sql',
  pgsql: 'sql',
  postgresql: 'sql',
  psql: 'sql',
  conf: 'ini',
  toml: 'ini',
  yml: 'yaml',
  js: 'javascript',
  ts: 'typescript',
  py: 'python',
};

const CLASS_TONES: Record<string, Tone> = {
  keyword: 'keyword',
  'selector-tag': 'keyword',
  literal: 'number',
  number: 'number',
  string: 'string',
  regexp: 'string',
  'template-string': 'string',
  comment: 'comment',
  quote: 'comment',
  variable: 'variable',
  'template-variable': 'variable',
  subst: 'variable',
  params: 'variable',
  attr: 'variable',
  'built_in': 'builtin',
  type: 'builtin',
  title: 'title',
  section: 'title',
  name: 'title',
  meta: 'meta',
  'meta-prompt': 'meta',
  symbol: 'number',
  bullet: 'keyword',
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
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, lines);
  return lines;
}

function highlightUncached(code: string, lang: string): Line[] {
  const grammar = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
  lowlight ??= createLowlight(common);
  if (grammar === '' || !lowlight.registered(grammar)) return code.split('\n').map((l) => [seg(l)]);
  let tree: HastNode;
  try {
    tree = lowlight.highlight(grammar, code) as unknown as HastNode;
  } catch {
    return code.split('\n').map((l) => [seg(l)]);
  }
  const lines: Seg[][] = [[]];
  const walk = (node: HastNode, tone: Tone | undefined): void => {
    if (node.type === 'text') {
      const parts = (node.value ?? '').split('\n');
      parts.forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part !== '') lines[lines.length - 1]?.push(seg(part, tone));
      });
      return;
    }
    const own = toneOf(node.properties?.className);
    for (const child of node.children ?? []) walk(child, own ?? tone);
  };
  walk(tree, undefined);
  return lines;
}

function toneOf(className: unknown): Tone | undefined {
  if (!Array.isArray(className)) return undefined;
  for (const c of className) {
    if (typeof c !== 'string' || !c.startsWith('hljs-')) continue;
    const tone = CLASS_TONES[c.slice(5)];
    if (tone) return tone;
  }
  return undefined;
}
