import { describe, expect, it } from "vitest";
import { parseRunbookFile } from "../../../engine/parse/index.js";
import { renderRunbookPage } from "../../../renderers/html/index.js";
import { md, parse } from "../../helpers/parse.js";
import { all, conformance, dom, everything, renderFile } from "./helpers.js";

function render(markdown: string): { html: string; document: Document } {
  const { runbook, diagnostics } = parse(markdown);
  const html = renderRunbookPage({ runbook, diagnostics });
  return { html, document: dom(html) };
}

describe("secrets never reach a page", () => {
  it("09-secrets: no secret or rehearsal value of a secret appears", () => {
    const r = renderFile(conformance("09-secrets.md"));
    for (const value of ["s3cr3t-Runbook-Value", "tok-Runbook-4242"])
      expect(everything(r)).not.toContain(value);
  });

  it("08-injection: hostile (non-secret) values are shown as inert text", () => {
    const r = renderFile(conformance("08-injection.md"));
    const cells = all(r.document, "table.params-table tbody tr").map(
      (tr) => tr.querySelectorAll("td")[4]?.textContent,
    );
    expect(cells).toEqual([
      "x'); DROP TABLE people; --",
      "$(touch /tmp/runbook-pwned); `id`; echo",
    ]);
    expect(all(r.document, "script")).toHaveLength(0);
  });

  it("masks secret defaults, literal URL passwords and PASSWORD literals everywhere", () => {
    const r = render(
      md(
        "---",
        "params:",
        '  app_password: { default: "Tr0ub4dor-default", rehearsal: "rehearse-Pa55" }',
        '  deploy_key: { rehearsal: "key-material-123" }',
        "  region: { default: eu-west-1 }",
        "databases:",
        '  app: { url: "postgres://app:hunter2secret@db.internal:5432/app?password=qp-secret-9" }',
        '  templ: { url: "postgres://app:${app_password}@db.internal/app" }',
        "---",
        "# Secrets",
        "",
        "Somebody pasted Tr0ub4dor-default and postgres://root:pw-in-prose@h/x here.",
        "",
        "## Roll",
        "",
        "```sql {db=app}",
        "ALTER ROLE app PASSWORD 'literal-in-sql';",
        "```",
        "",
        "```sh",
        'PGPASSWORD=env-literal psql -c "select 1" # rehearse-Pa55',
        "```",
      ),
    );
    const text = everything(r);
    for (const secret of [
      "Tr0ub4dor-default",
      "rehearse-Pa55",
      "key-material-123",
      "hunter2secret",
      "qp-secret-9",
      "pw-in-prose",
      "literal-in-sql",
      "env-literal",
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(
      r.document.querySelector("table.databases-table code.url")?.textContent,
    ).toBe("postgres://app:***@db.internal:5432/app?password=***");
    // A reference is not a secret: it shows where the value comes from.
    expect(text).toContain("postgres://app:${app_password}@db.internal/app");
    expect(text).toContain("eu-west-1");
    const params = all(r.document, "table.params-table tbody tr");
    expect(
      params.map((tr) => tr.querySelector('[data-secret="true"]') !== null),
    ).toEqual([true, true, false]);
  });
});

describe("prose is rendered as written, and nothing in it runs", () => {
  it("puts text directives back exactly as the author wrote them", () => {
    const r = render(
      md(
        "# Times",
        "",
        "Meet at 10:30, then connect to db.internal:5432; say :wave[hi]{x=1} or :smile.",
        "",
        "## Go",
        "",
        "```sh",
        "true",
        "```",
      ),
    );
    expect(r.document.querySelector("section.context p")?.textContent).toBe(
      "Meet at 10:30, then connect to db.internal:5432; say :wave[hi]{x=1} or :smile.",
    );
  });

  it("keeps harmless raw HTML, shows script as text (GFM tag filter), and drops javascript: links", () => {
    const r = render(
      md(
        "# Raw",
        "",
        'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>. <script>alert(1)</script> <img src=x onerror="alert(2)">',
        "",
        "<details><summary>More</summary>",
        "",
        "Hidden **detail**.",
        "",
        "</details>",
        "",
        '<div onclick="alert(3)" style="position:fixed">styled</div>',
        "",
        "[click](javascript:alert(4)) and [ok](https://example.com) and ![pic](https://example.com/x.png)",
        "",
        "<!-- a comment -->",
      ),
    );
    const d = r.document;
    expect(
      all(d, "script, img, iframe, [onerror], [onclick], [style]"),
    ).toHaveLength(0);
    expect(all(d, "kbd").map((k) => k.textContent)).toEqual(["Ctrl", "C"]);
    expect(d.querySelector("main details summary")?.textContent).toBe("More");
    expect(d.querySelector("main details strong")?.textContent).toBe("detail");
    expect(d.querySelector("main")?.textContent).toContain(
      "<script>alert(1)</script>",
    );
    // As a Markdown image: a link to it, never fetched, with no handler left.
    expect(d.querySelector("main")?.textContent).toContain("image: x");
    const hrefs = all(d, "main a").map((a) => a.getAttribute("href") ?? "");
    expect(hrefs.some((h) => h.startsWith("javascript:"))).toBe(false);
    expect(hrefs).toContain("https://example.com");
    expect(hrefs).toContain("https://example.com/x.png");
    expect(d.querySelector("main")?.textContent).toContain("image: pic");
    expect(d.querySelector("main")?.textContent).not.toContain("a comment");
  });

  it("renders prose tables, task lists and manual steps", () => {
    const r = render(
      md(
        "# Plan",
        "",
        "| host | role |",
        "| --- | --- |",
        "| db1 | primary |",
        "",
        "- [x] backups checked",
        "",
        "## By hand",
        "",
        ":::manual",
        "Call the **on-call DBA**.",
        "",
        "```sh",
        "not-an-action",
        "```",
        ":::",
      ),
    );
    expect(
      all(r.document, "section.context table td").map((t) => t.textContent),
    ).toEqual(["db1", "primary"]);
    expect(r.document.querySelector('input[type="checkbox"]')).not.toBeNull();
    const manual = r.document.querySelector(
      "section.step.step--manual .callout--manual",
    );
    expect(manual?.querySelector("strong")?.textContent).toBe("on-call DBA");
    expect(
      manual?.querySelector("figure.code-shown code")?.textContent,
    ).toContain("not-an-action");
    expect(all(r.document, "figure.action")).toHaveLength(0);
  });

  it("uses ::step ids as anchors and heading slugs for context headings", () => {
    const r = render(
      md(
        "# Intro",
        "",
        "## Fetch the dump",
        "::step{#fetch}",
        "",
        "```sh",
        "true",
        "```",
        "",
        "## Notes",
        "",
        "See [fetch](#fetch).",
      ),
    );
    expect(r.document.getElementById("fetch")?.tagName).toBe("SECTION");
    expect(r.document.getElementById("notes")?.tagName).toBe("H2");
    expect(
      r.document.querySelector("#fetch .step-meta .meta-id")?.textContent,
    ).toBe("#fetch");
  });

  it("renders every file of the shipped library without a problem box", () => {
    const r = parseRunbookFile(conformance("03-sentinel-dump-restore.md"));
    const page = dom(
      renderRunbookPage({ runbook: r.runbook, diagnostics: r.diagnostics }),
    );
    expect(page.querySelector(".problems")).toBeNull();
  });
});
