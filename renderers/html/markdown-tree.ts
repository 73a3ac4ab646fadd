import type {} from "mdast-util-directive";
import type { Root, RootContent } from "mdast";
import { visit } from "unist-util-visit";
import remarkDirective from "remark-directive";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { restoreTextDirectives } from "../../engine/parse/index.js";

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkDirective)
  .freeze();

/**
 * Parses one section's Markdown for display: GFM (tables, task lists,
 * strikethrough, autolinks) plus directives. The engine's `section.tree` has
 * no GFM, and docs must show a prose table as a table, so the renderers parse
 * again. Positions are relative to `markdown` (line 1 is the section's first line).
 *
 * Text directives are never ours (`10:30`, `host:5432` in prose): each one is
 * put back as the exact text the author wrote, as the engine's parser does.
 */
export function parseSectionMarkdown(
  markdown: string,
  options: SectionParseOptions = {},
): Root {
  const definitions = options.definitions ?? [];
  if (definitions.length === 0) {
    const tree = processor.parse(markdown);
    restoreTextDirectives(tree, markdown, options.textDirectives ?? "text");
    return tree;
  }
  // Definitions apply across the whole document: parse them before the section (so `[foo]` becomes a link), then put positions back.
  const prefix = `${definitions.join("\n")}\n\n`;
  const text = prefix + markdown;
  const tree = processor.parse(text);
  restoreTextDirectives(tree, text, options.textDirectives ?? "text");
  const own: RootContent[] = [];
  const borrowed: RootContent[] = [];
  for (const node of tree.children)
    ((node.position?.start.offset ?? 0) < prefix.length ? borrowed : own).push(
      node,
    );
  const lines = prefix.split("\n").length - 1;
  visit(tree, (node) => {
    const p = node.position;
    if (!p) return;
    p.start.line -= lines;
    p.end.line -= lines;
    if (p.start.offset !== undefined) p.start.offset -= prefix.length;
    if (p.end.offset !== undefined) p.end.offset -= prefix.length;
  });
  for (const node of borrowed) delete node.position;
  tree.children = [...own, ...borrowed];
  return tree;
}

export interface SectionParseOptions {
  /**
   * `text`: a text directive becomes a text node (for HTML, escaped on output);
   * `raw`: an `html` node holding the source, so a Markdown serializer writes
   * it back byte for byte instead of escaping it. @default 'text'
   */
  readonly textDirectives?: "text" | "raw";
  /** The document's link reference definitions (`Runbook.definitions`), so that references to them resolve. @default [] */
  readonly definitions?: readonly string[];
}

/** The source text of a node, as the author wrote it. */
export function sourceOf(
  node: {
    position?:
      | {
          start: { offset?: number | undefined };
          end: { offset?: number | undefined };
        }
      | undefined;
  },
  source: string,
): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined
    ? ""
    : source.slice(start, end);
}
