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
import { md, parse } from "../../helpers/parse.js";
import { captureIo, tempDir } from "../html/cli-io.js";
import { allRunbookFiles, conformance, ROOT } from "../html/helpers.js";

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

describe("runbook render --format md", () => {
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

  it("writes checks as GitHub alerts, with table expectations as tables", () => {
    const { markdown, tree } = render(conformance("02-sql-table-check.md"));
    expect(markdown).toContain(
      "> [!TIP]\n> **Check (SQL on app)** passes when the result set equals this table (rows in any order).",
    );
    const table = nodes(tree, "table").find((t) =>
      toString(t).includes("bolt"),
    );
    expect(table).toBeDefined();
  });

  it("keeps explicit step ids reachable as anchors", () => {
    const { markdown } = render(conformance("06-graph.md"));
    expect(markdown).toContain('<a id="fetch"></a>\n\n## Fetch the dump');
    expect(markdown).toContain(
      "after [Fetch the dump](#fetch), [Build the tools](#tools)",
    );
  });

  it("traces sentinels, marks gates, and shows unknown directives as written", () => {
    expect(
      render(conformance("03-sentinel-dump-restore.md")).markdown,
    ).toContain(
      "> [!NOTE]\n> **Sentinel `last_write`**: a fresh unique token for each run. Written in [Write the sentinel on the old server](#write-the-sentinel-on-the-old-server)",
    );
    expect(render(conformance("16-confirm-gates.md")).markdown).toContain(
      "> [!CAUTION]\n> **Typed gate**: the operator must type `app_production` to go on.",
    );
    expect(render(conformance("07-lint-errors.md")).markdown).toContain(
      "\n::frobnicate{hard=yes}\n",
    );
  });

  it("never writes a secret, and masks literal passwords", () => {
    const secrets = render(conformance("09-secrets.md")).markdown;
    for (const v of ["s3cr3t-Runbook-Value", "tok-Runbook-4242"])
      expect(secrets).not.toContain(v);
    expect(secrets).toContain("`db_password` (secret)");
    expect(render(conformance("07-lint-errors.md")).markdown).toContain(
      "postgres://app:***@127.0.0.1:5432/app",
    );
    const { runbook } = parse(
      md(
        "---",
        "params:",
        '  token: { default: "tok-default-value" }',
        "---",
        "# T",
        "",
        "the token is tok-default-value",
        "",
        "## S",
        "",
        "```sh",
        "echo tok-default-value",
        "```",
      ),
    );
    expect(renderRunbookMarkdown({ runbook })).not.toContain(
      "tok-default-value",
    );
  });

  it("restores text directives as written", () => {
    const { runbook } = parse(
      md(
        "# T",
        "",
        "At 10:30 on host:5432, :smile: and :abbr[x]{y=z}.",
        "",
        "## S",
        "",
        "```sh",
        "true",
        "```",
      ),
    );
    expect(renderRunbookMarkdown({ runbook })).toContain(
      "At 10:30 on host:5432, :smile: and :abbr[x]{y=z}.",
    );
  });

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
