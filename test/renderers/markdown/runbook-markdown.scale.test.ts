import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Code, Heading, Nodes, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import remarkDirective from "remark-directive";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { renderCommand } from "../../../cli/commands/render.js";
import { parseRunbookFile } from "../../../engine/parse/index.js";
import { createMasker } from "../../../renderers/html/index.js";
import { renderRunbookMarkdown } from "../../../renderers/markdown/index.js";
import { captureIo, tempDir } from "../html/cli-io.js";
import { allRunbookFiles, ROOT } from "../html/helpers.js";

/** The output read back the way GitHub reads it: GFM plus directives (so a leftover directive would show). */
function read(markdown: string): Root {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .parse(markdown);
}

function nodes(tree: Nodes, type: string): Nodes[] {
  const out: Nodes[] = [];
  const visit = (n: Nodes): void => {
    if (n.type === type) out.push(n);
    if ("children" in n) for (const c of n.children) visit(c);
  };
  visit(tree);
  return out;
}

function render(file: string): { markdown: string; tree: Root } {
  const { runbook, diagnostics } = parseRunbookFile(file);
  const markdown = renderRunbookMarkdown({
    runbook,
    diagnostics,
    sourcePath: path.basename(file),
  });
  return { markdown, tree: read(markdown) };
}

// A sweep (the `scale` project, in `npm test`, not `test:fast`): every conformance runbook and example, and the examples folder rendered whole.
describe("runbook render --format md: every conformance runbook and example", () => {
  it.each(allRunbookFiles().map((f) => [path.basename(f), f]))(
    "%s becomes Markdown GitHub renders, with the graph in Mermaid",
    (_name, file) => {
      const { runbook } = parseRunbookFile(file);
      const { tree } = render(file);
      const mermaid = nodes(tree, "code").filter(
        (c) => (c as Code).lang === "mermaid",
      ) as Code[];
      if (runbook.steps.length > 0) {
        expect(mermaid).toHaveLength(1);
        expect(mermaid[0]?.value).toMatch(/^flowchart TD/);
      }
      // Our directives are gone (turned into alerts and lines); only unknown ones stay, as text.
      const directives = [
        ...nodes(tree, "leafDirective"),
        ...nodes(tree, "containerDirective"),
      ].map((d) => (d as { name: string }).name);
      expect(
        directives.filter((n) =>
          [
            "step",
            "check",
            "manual",
            "confirm",
            "sentinel",
            "include",
          ].includes(n),
        ),
      ).toEqual([]);
      // Every step's heading is kept, with a "Step N of M" line.
      const headings = (nodes(tree, "heading") as Heading[]).map((h) =>
        toString(h),
      );
      for (const step of runbook.steps)
        if (step.section.heading)
          expect(headings).toContain(step.section.heading.text);
      expect(
        nodes(tree, "strong").filter((s) =>
          /^Step( \d+ of \d+)?$/.test(toString(s)),
        ),
      ).toHaveLength(runbook.steps.length);
      // Every executable block is still there, with its info string.
      const blocks = (nodes(tree, "code") as Code[]).filter(
        (c) => c.lang !== "mermaid",
      );
      const mask = createMasker(runbook).text;
      for (const step of runbook.steps)
        for (const a of step.actions)
          if (a.kind !== "manual" && a.kind !== "confirm")
            expect(blocks.some((b) => b.value === mask(a.code))).toBe(true);
    },
  );

  it("writes .md pages and an index.md, and never overwrites a source", async () => {
    const out = tempDir("render-md");
    const { io } = captureIo(ROOT);
    expect(
      await renderCommand(
        [path.join(ROOT, "examples")],
        { out, format: "md" },
        io,
      ),
    ).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain("index.md");
    expect(files).toContain("demo.md");
    const index = read(readFileSync(path.join(out, "index.md"), "utf8"));
    const links = nodes(index, "link").map((l) => (l as { url: string }).url);
    for (const link of links) expect(files).toContain(link);
    await expect(
      renderCommand(
        ["examples/demo.md"],
        { out: "examples", format: "md" },
        io,
      ),
    ).rejects.toThrow(/overwrite/);
  });
});
