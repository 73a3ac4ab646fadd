import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Nodes, Root } from "mdast";
import type {} from "mdast-util-directive";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { describe, expect, it } from "vitest";

/**
 * SPEC 1: a runbook stays readable on GitHub with no tool at all; directives
 * degrade to readable text. GitHub reads GFM without the directive
 * extension: every directive of our runbooks must come out there as visible
 * paragraph text (not swallowed by an HTML block, a code block or a table),
 * and every code block runbook reads — executable ones too, also inside a
 * `:::check` — as the same fenced code block.
 */

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CORPUS = [
  ...["../shared/conformance", "examples", "runbooks"].flatMap((folder) =>
    readdirSync(path.join(ROOT, folder))
      .filter((f) => f.endsWith(".md"))
      .map((f) => path.join(folder, f)),
  ),
];

const ours = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkDirective)
  .use(remarkFrontmatter, ["yaml"]);
const github = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ["yaml"]);

/** The innermost node of `tree` whose span starts on `line` or covers it. */
function containerOf(tree: Root, line: number): Nodes | undefined {
  let found: Nodes | undefined;
  visit(tree, (node: Nodes) => {
    const p = node.position;
    if (!p || node.type === "root" || p.start.line > line || p.end.line < line)
      return;
    found = node;
  });
  return found;
}

describe("readable on GitHub (SPEC 1)", () => {
  it("has a corpus", () => {
    expect(CORPUS.length).toBeGreaterThan(20);
  });

  for (const file of CORPUS) {
    it(`${file}: every directive is visible text and every code block a fenced block, as GitHub reads it`, () => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const withDirectives = ours.parse(text);
      const plain = github.parse(text);
      const plainCodes = new Map<number, string>();
      visit(
        plain,
        "code",
        (node) =>
          void plainCodes.set(node.position?.start.line ?? 0, node.value),
      );
      let directives = 0;
      visit(withDirectives, (node: Nodes) => {
        if (node.type === "code") {
          const line = node.position?.start.line ?? 0;
          expect(
            plainCodes.get(line),
            `${file}:${line}: a ${node.lang ?? ""} block`,
          ).toBe(node.value);
        }
        if (
          node.type === "leafDirective" ||
          node.type === "containerDirective"
        ) {
          directives++;
          const line = node.position?.start.line ?? 0;
          const shown = containerOf(plain, line);
          expect(
            ["text", "paragraph", "strong", "emphasis", "link", "inlineCode"],
            `${file}:${line}: ::${node.name} shows as ${shown?.type}`,
          ).toContain(shown?.type);
        }
      });
      expect(directives + plainCodes.size).toBeGreaterThan(0);
    });
  }
});
