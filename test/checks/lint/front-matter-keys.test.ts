import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

const STEP = md("## Check", "```sh", "true", "```");

// SPEC 5: front-matter keys that belong to other tools are not findings.
describe("front matter of other tools", () => {
  it("accepts the keys of site generators (Jekyll, Hugo, Docusaurus, MkDocs)", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "title: Upgrading PostgreSQL",
        "date: 2024-03-01",
        "authors: [ops-team]",
        "permalink: /runbooks/upgrade/",
        "layout: page",
        "nav_order: 3",
        "tags: [postgres, upgrade]",
        "description: How we move to a new major version",
        "draft: false",
        "menu: { docs: { parent: admin } }",
        'aliases: ["/old/upgrade"]',
        "sidebar_position: 2",
        "id: pg-upgrade",
        "---",
      ) + STEP,
    );
    expect(found(d)).toEqual([]);
  });

  it("accepts Runme's document keys", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "runme:",
        "  id: 01HF7BT3HEQBTBM9SSSTBTNR3A",
        "  version: v3",
        "shell: bash",
        "cwd: ..",
        "skipPrompts: true",
        "terminalRows: 20",
        "category: setup",
        "---",
      ) + STEP,
    );
    expect(found(d)).toEqual([]);
  });

  it("still points out a near miss of one of runbook's own keys", async () => {
    const d = await lintMarkdown(
      md("---", "parmas: { host: { default: db1 } }", "---") + STEP,
    );
    expect(found(d)).toEqual(["2:1 warning front-matter"]);
    expect(d[0]?.message).toMatch(/did you mean params/);
  });
});
