import type {} from "mdast-util-directive";
import type { Nodes, Root, RootContent } from "mdast";
import { gfmFootnoteFromMarkdown } from "mdast-util-gfm-footnote";
import { toString } from "mdast-util-to-string";
import { gfmFootnote } from "micromark-extension-gfm-footnote";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified, type Processor } from "unified";
import { parseRunbook } from "../../engine/parse/index.js";

/** What a reader sees of a document's structure: its sections, headings and code blocks. */
export interface Shape {
  /** Per section (cut at root-level headings): its heading's line, or the line of its first node. */
  readonly sections: string[];
  /** Every heading anywhere: line, depth, text. */
  readonly headings: string[];
  /** Every code block anywhere: section index, line:column, lang, meta, value. */
  readonly codes: string[];
}

/** GFM footnote definitions are block containers that can hold fenced code; GitHub reads them, and so does runbook. */
function footnotes(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown());
}

const plain = unified()
  .use(remarkParse)
  .use(footnotes)
  .use(remarkDirective)
  .use(remarkFrontmatter, ["yaml"])
  .freeze();
const gfm = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkDirective)
  .use(remarkFrontmatter, ["yaml"])
  .freeze();

/** The shape of one whole-document parse, as micromark (and so GitHub's CommonMark) reads it. */
export function referenceShape(
  doc: string,
  options: { gfm?: boolean } = {},
): Shape {
  const tree = (options.gfm ? gfm : plain).parse(doc);
  const groups: RootContent[][] = [];
  for (const node of tree.children) {
    if (node.type === "yaml") continue;
    if (node.type === "heading" || groups.length === 0) groups.push([]);
    groups.at(-1)?.push(node);
  }
  return shapeOf(groups.map((children) => ({ type: "root", children })));
}

/** The shape of the same document as runbook's parser reads it. */
export function ourShape(doc: string): Shape {
  const { runbook } = parseRunbook(doc, { file: "doc.md", readFile: () => "" });
  const shape = shapeOf(runbook.sections.map((s) => s.tree));
  // The scan reads headings from a parse of its own (blocks only, markdown.ts): its text must be the tree's.
  for (const s of runbook.sections) {
    const first = s.tree.children[0];
    if (s.heading && first?.type === "heading") {
      const text = toString(first).trim();
      if (s.heading.text !== text)
        shape.headings.push(
          `${s.heading.at.line}: the scan read ${JSON.stringify(s.heading.text)}, the tree holds ${JSON.stringify(text)}`,
        );
    }
  }
  return shape;
}

function shapeOf(sections: readonly Root[]): Shape {
  const shape: Shape = { sections: [], headings: [], codes: [] };
  sections.forEach((section, index) => {
    const first = section.children[0];
    if (!first) return;
    shape.sections.push(
      `${first.type === "heading" ? "heading" : "text"}@${first.position?.start.line}`,
    );
    const walk = (node: Nodes): void => {
      if (node.type === "heading")
        shape.headings.push(
          `${node.position?.start.line}:h${node.depth} ${JSON.stringify(toString(node).replace(/\r\n?/g, "\n"))}`,
        );
      if (node.type === "code")
        shape.codes.push(
          `§${index} ${node.position?.start.line}:${node.position?.start.column} ${JSON.stringify(node.lang)} ${JSON.stringify(node.meta)} ${JSON.stringify(node.value.replace(/\r\n?/g, "\n"))}`,
        );
      if ("children" in node)
        for (const child of node.children as Nodes[]) walk(child);
    };
    walk(section);
  });
  return shape;
}

/**
 * The first difference between the two shapes, or undefined when they agree.
 * `runnable`: only sections and code blocks with a language (what can run) count.
 */
export function shapeDifference(
  a: Shape,
  b: Shape,
  options: { runnable?: boolean } = {},
): string | undefined {
  if (options.runnable) {
    const runnable = (s: Shape): Shape => ({
      sections: s.sections,
      headings: [],
      codes: s.codes.filter((c) => !/^§\d+ \S+ null /.test(c)),
    });
    return shapeDifference(runnable(a), runnable(b));
  }
  for (const key of ["sections", "headings", "codes"] as const) {
    const x = a[key];
    const y = b[key];
    const n = Math.max(x.length, y.length);
    for (let i = 0; i < n; i++)
      if (x[i] !== y[i])
        return `${key}[${i}]: reference ${x[i] ?? "(none)"}, runbook ${y[i] ?? "(none)"}`;
  }
  return undefined;
}

/** Removes lines while the documents still differ: the smallest document that shows the difference. */
export function minimize(
  doc: string,
  differs: (doc: string) => boolean,
): string {
  let lines = doc.split("\n");
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < lines.length; i++) {
      const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
      if (differs(candidate.join("\n"))) {
        lines = candidate;
        changed = true;
        i--;
      }
    }
  }
  return lines.join("\n");
}
