import { describe, expect, it } from "vitest";
import { toString } from "mdast-util-to-string";
import { errors, md, parse } from "../../helpers/parse.js";

const FM = md(
  "---",
  "databases:",
  '  app: { url: "postgres://postgres@127.0.0.1/app" }',
  "---",
);

describe("directives (SPEC 1.4)", () => {
  it("reads ::manual[text] and :::manual bodies", () => {
    const { runbook } = parse(
      md(
        "## Hand",
        "::manual[Scale the app to zero]",
        "",
        ":::manual",
        "Open the **console**.",
        "",
        "- then this",
        ":::",
      ),
    );
    expect(runbook.steps[0]?.actions).toMatchObject([
      { kind: "manual", text: "Scale the app to zero" },
      { kind: "manual", text: "Open the **console**.\n\n- then this" },
    ]);
  });

  it("reads headings and directive labels with their inline Markdown, as the page shows them", () => {
    const { runbook } = parse(
      md(
        "## Run `VACUUM` on *the* [primary] at 10:30",
        "",
        "- ::manual[Scale **the** app to `0`]",
        "",
        ":::manual[Ask *the* DBA]",
        "Open it.",
        ":::",
        "",
        "## Later",
        "",
        "[primary]: https://example.com",
        "",
        "::manual[Plain words]",
      ),
    );
    expect(runbook.steps.map((s) => s.title)).toEqual([
      "Run VACUUM on the primary at 10:30",
      "Later",
    ]);
    expect(runbook.steps.flatMap((s) => s.actions)).toMatchObject([
      { kind: "manual", text: "Scale the app to 0" },
      { kind: "manual", text: "Ask the DBA\n\nOpen it." },
      { kind: "manual", text: "Plain words" },
    ]);
  });

  it("does not run code blocks inside :::manual", () => {
    const { runbook } = parse(
      md(
        "## Hand",
        ":::manual",
        "Run this on the bastion:",
        "```sh",
        "kubectl scale deploy app --replicas 0",
        "```",
        ":::",
      ),
    );
    expect(runbook.steps[0]?.actions.map((a) => a.kind)).toEqual(["manual"]);
  });

  it("reads yes/no and typed confirm gates", () => {
    const { runbook } = parse(
      md(
        "## Gate",
        '::confirm{prompt="Is all traffic stopped?"}',
        '::confirm{type="app_production"}',
        "::confirm",
      ),
    );
    expect(runbook.steps[0]?.actions).toMatchObject([
      { kind: "confirm", prompt: "Is all traffic stopped?" },
      { kind: "confirm", typed: "app_production" },
      { kind: "confirm", prompt: "Continue?" },
    ]);
  });

  it("reads leaf SQL and shell checks with expectations", () => {
    const { runbook, diagnostics } = parse(
      FM +
        md(
          "## C",
          '::check{db=app sql="SELECT count(*) FROM t" expect="2"}',
          '::check{sh="cat /tmp/f" match="^[0-9]+$" wait=30s every=500ms}',
          '::check{db=app sql="SELECT 1" rows=">0"}',
          '::check{sh="ls" empty exit=2}',
        ),
    );
    expect(errors(diagnostics)).toEqual([]);
    expect(runbook.steps[0]?.checks).toMatchObject([
      {
        kind: "sql",
        db: "app",
        code: "SELECT count(*) FROM t",
        expectation: { expect: "2", empty: false },
      },
      {
        kind: "sh",
        shell: "sh",
        code: "cat /tmp/f",
        expectation: { match: "^[0-9]+$" },
        waitMs: 30_000,
        everyMs: 500,
      },
      { kind: "sql", expectation: { rows: { op: ">", count: 0 } } },
      { kind: "sh", exit: 2, expectation: { empty: true } },
    ]);
  });

  it("reads a :::check container with a code block and a GFM table expectation", () => {
    const { runbook, diagnostics } = parse(
      FM +
        md(
          "## C",
          ":::check{db=app ordered}",
          "```sql",
          "SELECT sku, qty FROM inventory ORDER BY sku",
          "```",
          "",
          "| sku  | qty |",
          "| ---- | --- |",
          "| bolt | 10  |",
          "| `nut` | 25 |",
          "|  x \\| y | |",
          ":::",
        ),
    );
    expect(errors(diagnostics)).toEqual([]);
    const check = runbook.steps[0]?.checks[0];
    expect(check).toMatchObject({
      kind: "sql",
      form: "container",
      db: "app",
      code: "SELECT sku, qty FROM inventory ORDER BY sku",
      codeAt: { line: 8 },
    });
    expect(check?.expectation.ordered).toBe(true);
    expect(check?.expectation.table).toEqual({
      columns: ["sku", "qty"],
      rows: [
        ["bolt", "10"],
        ["nut", "25"],
        ["x | y", ""],
      ],
      at: { file: "/virtual/runbook.md", line: 11, column: 1 },
    });
  });

  it("takes db= from the code block inside a :::check", () => {
    const { runbook } = parse(
      FM +
        md(
          "## C",
          ":::check{expect=1}",
          "```sql {db=app}",
          "SELECT 1",
          "```",
          ":::",
        ),
    );
    expect(runbook.steps[0]?.checks[0]).toMatchObject({
      db: "app",
      expectation: { expect: "1" },
    });
  });

  it("reports checks with no code, two code blocks, psql, or a broken table", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## C",
          "::check{expect=1}",
          ":::check",
          "```sql",
          "SELECT 1",
          "```",
          "```sql",
          "SELECT 2",
          "```",
          ":::",
          ":::check",
          "```psql",
          "\\dt",
          "```",
          ":::",
          ":::check{db=app}",
          "```sql",
          "SELECT 1",
          "```",
          "",
          "| a |",
          "| b |",
          ":::",
          '::check{sh="x" rows=lots}',
        ),
    );
    expect(errors(diagnostics).map((d) => [d.line, d.rule])).toEqual([
      [6, "check"],
      [7, "check"],
      [15, "check"],
      [20, "check"],
      [28, "attribute"],
    ]);
  });

  it("locates the inline sql= code for lint", () => {
    const { runbook } = parse(
      FM +
        md("## C", "", "text", "::check{db=app sql=\"SELECT :'x'\" expect=1}"),
    );
    expect(runbook.steps[0]?.checks[0]?.codeAt).toEqual({
      file: "/virtual/runbook.md",
      line: 8,
      column: 21,
    });
  });

  it("defines sentinels anywhere and reports duplicates", () => {
    const { runbook, diagnostics } = parse(
      md(
        "# T",
        "::sentinel{#last_write}",
        "## S",
        "::sentinel{#last_write}",
        "```sh",
        "x",
        "```",
      ),
    );
    expect(runbook.sentinels.map((s) => [s.name, s.at.line])).toEqual([
      ["last_write", 2],
      ["last_write", 4],
    ]);
    expect(errors(diagnostics).map((d) => [d.rule, d.line])).toEqual([
      ["duplicate-sentinel", 4],
    ]);
  });

  it("puts text directives that are not ours back as the exact original text", () => {
    const text =
      "Cut over at 10:30, then check host:5432 and :fake[label]{a=b} and x:y.";
    const { runbook } = parse(md("## Prose", text, "```sh", "x", "```"));
    const paragraph = runbook.sections[0]?.tree.children[1];
    expect(paragraph && toString(paragraph)).toBe(text);
    expect(JSON.stringify(runbook.sections[0]?.tree)).not.toContain(
      "textDirective",
    );
  });

  it("reads through admonitions and records unknown directives as unknown", () => {
    const { runbook } = parse(
      md(
        "## S",
        ":::warning",
        "Careful.",
        "```sh",
        "echo inside",
        "```",
        ":::",
        "::frobnicate{hard=yes}",
      ),
    );
    expect(
      runbook.steps[0]?.actions.map((a) => ("code" in a ? a.code : "")),
    ).toEqual(["echo inside"]);
    expect(runbook.directives.map((d) => [d.name, d.known, d.at.line])).toEqual(
      [
        ["warning", true, 2],
        ["frobnicate", false, 8],
      ],
    );
  });
});

describe("front matter (SPEC 1.1)", () => {
  it("reads params, databases and hosts with positions", () => {
    const { runbook, diagnostics } = parse(
      md(
        "---",
        "title: Move it",
        "params:",
        "  primary_ip:     { description: Private IP, default: 127.0.0.1, pattern: '^[0-9.]+$' }",
        "  rails_password: { description: App password, secret: true }",
        "  api_token: {}",
        '  version: { default: 1.10, rehearsal: "2" }',
        "databases:",
        '  old:     { url: "${OLD_DATABASE_URL}", sandbox: { cluster: source, seed: ./fixtures/app.sql } }',
        '  primary: { url: "postgres://rails:${rails_password}@${primary_ip}:5432/app", sandbox: { cluster: target } }',
        "hosts:",
        '  primary: { ssh: "root@${primary_ip}" }',
        "---",
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(runbook.title).toBe("Move it");
    expect(
      runbook.params.map((p) => [p.name, p.secret, p.default, p.at.line]),
    ).toEqual([
      ["primary_ip", false, "127.0.0.1", 4],
      ["rails_password", true, undefined, 5],
      ["api_token", true, undefined, 6],
      ["version", false, "1.10", 7],
    ]);
    expect(
      runbook.databases.map((d) => [
        d.name,
        d.sandbox?.cluster,
        d.sandbox?.seed,
      ]),
    ).toEqual([
      ["old", "source", "./fixtures/app.sql"],
      ["primary", "target", undefined],
    ]);
    expect(runbook.hosts[0]).toMatchObject({
      name: "primary",
      ssh: "root@${primary_ip}",
    });
    expect(runbook.refs.map((r) => [r.name, r.at.line, r.at.column])).toEqual([
      ["OLD_DATABASE_URL", 9, 20],
      ["rails_password", 10, 37],
      ["primary_ip", 10, 55],
      ["primary_ip", 12, 25],
    ]);
  });

  it("reports invalid YAML and schema errors at their line", () => {
    const bad = parse(
      md(
        "---",
        "params:",
        "  a: { default: [1, 2] }",
        "  b c: {}",
        "  d: { secret: yes please }",
        '  e: { pattern: "(" }',
        "  f: { colour: red }",
        "databases:",
        "  x: { sandbox: { cluster: c } }",
        "hosts: nope",
        "---",
      ),
    );
    expect(errors(bad.diagnostics).map((d) => d.line)).toEqual([
      3, 4, 5, 6, 7, 9, 10,
    ]);
    const yaml = parse(md("---", "title: [unclosed", "---"));
    expect(errors(yaml.diagnostics)).toHaveLength(1);
    expect(errors(yaml.diagnostics)[0]?.message).toMatch(
      /invalid YAML front matter/,
    );
  });
});

describe("include", () => {
  it("inlines the steps of another runbook after the including section, merging its front matter", () => {
    const files = {
      "/rb/common/check.md": md(
        "---",
        "params: { extra: { default: x } }",
        "---",
        "## Shared check",
        "```sh",
        "echo shared",
        "```",
      ),
    };
    const { runbook, diagnostics } = parse(
      md(
        "## First",
        "```sh",
        "a",
        "```",
        "## Common",
        "::include{file=./common/check.md}",
        "## Last",
        "```sh",
        "b",
        "```",
      ),
      "/rb/main.md",
      files,
    );
    expect(errors(diagnostics)).toEqual([]);
    expect(runbook.steps.map((s) => [s.id, s.at.file])).toEqual([
      ["first", "/rb/main.md"],
      ["shared-check", "/rb/common/check.md"],
      ["last", "/rb/main.md"],
    ]);
    expect(runbook.params.map((p) => p.name)).toEqual(["extra"]);
  });

  it("refuses paths outside the runbook folder and missing files", () => {
    const { diagnostics } = parse(
      md(
        "## S",
        "::include{file=../../etc/passwd}",
        "::include{file=./nope.md}",
      ),
      "/tmp/rb/main.md",
    );
    expect(
      errors(diagnostics).map((d) => [d.line, d.message.replace(/\(.*\)/, "")]),
    ).toEqual([
      [2, expect.stringMatching(/outside the runbook's folder|no such file/)],
      [3, "cannot include ./nope.md: no such file"],
    ]);
  });
});

describe("directives that cannot be read", () => {
  it("are errors, not prose: a check must never silently disappear", () => {
    const { runbook, diagnostics } = parse(
      md(
        "## S",
        "```sh",
        "true",
        "```",
        "",
        '::check{sql="SELECT :\\"t\\"" expect=1}',
        "",
        "Prose mentioning ::check in a sentence is fine.",
      ),
    );
    expect(runbook.steps[0]?.checks).toEqual([]);
    expect(errors(diagnostics).map((d) => [d.line, d.column, d.rule])).toEqual([
      [6, 1, "directive"],
    ]);
    expect(errors(diagnostics)[0]?.message).toMatch(
      /cannot read this ::check directive/,
    );
  });
});

describe("psql blocks define their own variables", () => {
  it("counts \\set and \\gset as definitions within the block", async () => {
    const { validateRunbook } = await import("../../../engine/parse/index.js");
    const { runbook } = parse(
      md(
        "---",
        'databases: { app: "postgres://x" }',
        "---",
        "## P",
        "```psql {db=app}",
        "\\set greeting hello",
        "SELECT :'greeting', :'DBNAME';",
        "\\getenv home HOME",
        "SELECT :'home';",
        "SELECT 1 AS one \\gset",
        "SELECT :'one', :'nowhere_before';",
        "```",
        "```psql {db=app}",
        "SELECT :'one';",
        "```",
      ),
    );
    const found = validateRunbook(runbook).map((d) => [d.line, d.rule]);
    expect(found).toEqual([[14, "undefined-variable"]]);
  });
});

describe("check tables, by GFM rules", () => {
  it("reads escaped pipes (also in code), inline Markdown, missing and extra cells", () => {
    const { runbook } = parse(
      FM +
        md(
          "## C",
          ":::check{db=app}",
          "```sql",
          "SELECT 1",
          "```",
          "",
          "a | `b` | c",
          ":-- | :-: | --:",
          "`x\\|y` | **bold** | &amp;",
          "only one",
          "1 | 2 | 3 | 4",
          ":::",
        ),
    );
    const table = runbook.steps[0]?.checks[0]?.expectation.table;
    expect(table?.columns).toEqual(["a", "b", "c"]);
    expect(table?.rows).toEqual([
      ["x|y", "bold", "&"],
      ["only one", "", ""],
      ["1", "2", "3"],
    ]);
  });
});
