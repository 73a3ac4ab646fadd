import path from "node:path";
import type { Nodes, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import remarkDirective from "remark-directive";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parseRunbookFile } from "../../../engine/parse/index.js";
import { renderRunbookMarkdown } from "../../../renderers/markdown/index.js";
import { md, parse } from "../../helpers/parse.js";
import { conformance } from "../html/helpers.js";

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
});
