import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { all, conformance, renderFile } from "./helpers.js";

describe("runbook pages: what each feature looks like", () => {
  it("shows a GFM table expectation as a table, and readable assertions", () => {
    const r = renderFile(conformance("02-sql-table-check.md"));
    const checks = all(r.document, ".check");
    expect(checks).toHaveLength(3);
    const table = checks[0]?.querySelector("table.expect-table");
    expect(all(table, "th").map((t) => t.textContent)).toEqual(["sku", "qty"]);
    expect(
      all(table, "tbody tr").map((tr) =>
        all(tr, "td").map((td) => td.textContent),
      ),
    ).toEqual([
      ["bolt", "10"],
      ["nut", "25"],
    ]);
    expect(checks[0]?.querySelector(".clauses")?.textContent).toContain(
      "the result set equals this table",
    );
    expect(checks[1]?.querySelector(".clauses code")?.textContent).toBe("2");
    expect(checks[2]?.querySelector(".clauses")?.textContent).toContain(
      "returns no rows",
    );
    expect(checks[0]?.querySelector('[data-attr="db"] code')?.textContent).toBe(
      "app",
    );
  });

  it("traces a sentinel from its definition to its write and its verification", () => {
    const r = renderFile(conformance("03-sentinel-dump-restore.md"));
    const marker = r.document.getElementById("sentinel-last_write");
    expect(marker?.tagName).toBe("ASIDE");
    const written = marker?.querySelector('[data-role="written"] a');
    const verified = marker?.querySelector('[data-role="verified"] a');
    expect(written?.getAttribute("href")).toBe(
      "#write-the-sentinel-on-the-old-server.a1",
    );
    expect(verified?.getAttribute("href")).toBe(
      "#verify-the-last-write-arrived.c1",
    );
    expect(
      r.document
        .getElementById("write-the-sentinel-on-the-old-server.a1")
        ?.querySelector('[data-attr="sentinel"]')?.textContent,
    ).toContain("last_write");
    expect(
      r.document
        .getElementById("verify-the-last-write-arrived.c1")
        ?.querySelector('[data-attr="sentinel"]')?.textContent,
    ).toContain("verifies sentinel");
    expect(
      r.document.querySelector('#rb-sentinels [data-sentinel="last_write"]')
        ?.textContent,
    ).toContain("written in");
  });

  it("reports a sentinel that is never verified", () => {
    const r = renderFile(conformance("07-lint-errors.md"));
    const marker = r.document.getElementById("sentinel-never_verified");
    expect(
      marker?.querySelector('[data-role="verified"] .trace-missing'),
    ).not.toBeNull();
  });

  it("draws the step graph from needs", () => {
    const r = renderFile(conformance("06-graph.md"));
    const edges = all(r.document, "svg.step-graph path.edge").map(
      (e) => `${e.getAttribute("data-from")}→${e.getAttribute("data-to")}`,
    );
    expect(edges.sort()).toEqual([
      "fetch→restore",
      "restore→report",
      "tools→restore",
    ]);
    expect(
      r.document.getElementById("restore")?.querySelector(".step-meta")
        ?.textContent,
    ).toContain("after");
    expect(
      r.document.getElementById("tools")?.querySelector(".step-meta")
        ?.textContent,
    ).toContain("needs nothing");
    expect(
      r.document.querySelector("svg.step-graph")?.getAttribute("viewBox"),
    ).toMatch(/^0 0 \d+ \d+$/);
  });

  it("sets gates and confirm blocks apart", () => {
    const r = renderFile(conformance("16-confirm-gates.md"));
    const step = r.document.getElementById("destructive-step");
    expect(step?.classList.contains("step--gate")).toBe(true);
    expect(step?.querySelector(".callout--gate code.typed")?.textContent).toBe(
      "app_production",
    );
    expect(
      step?.querySelector('figure.action [data-attr="confirm"]'),
    ).not.toBeNull();
    expect(
      r.document
        .querySelector('#rb-step-graph a[data-step="destructive-step"]')
        ?.getAttribute("class"),
    ).toContain("node--gate");
  });

  it("shows attribute badges: exit, retry, timeout, file, capture", () => {
    const badge = (file: string, attr: string): string | undefined =>
      renderFile(conformance(file)).document.querySelector(
        `[data-attr="${attr}"]`,
      )?.textContent ?? undefined;
    expect(badge("14-exit-retry-timeout.md", "exit")).toContain("3");
    expect(badge("14-exit-retry-timeout.md", "retry")).toContain("3 × 100ms");
    expect(badge("15-timeout-kills.md", "timeout")).toContain("1s");
    expect(badge("11-file-block.md", "file")).toContain("${conf}");
    expect(badge("05-wait-and-capture.md", "capture")).toContain("scratch");
    const r = renderFile(conformance("05-wait-and-capture.md"));
    expect(r.document.querySelector(".check .polling")?.textContent).toContain(
      "up to 30s",
    );
  });

  it("highlights code with classes, never inline scripts", () => {
    const r = renderFile(conformance("02-sql-table-check.md"));
    const code = r.document.querySelector("figure.action pre.code code");
    expect(code?.getAttribute("class")).toContain("language-sql");
    expect(code?.querySelector(".hljs-keyword")?.textContent).toContain(
      "CREATE",
    );
    expect(code?.textContent).toContain(
      "INSERT INTO inventory VALUES ('bolt', 10), ('nut', 25);",
    );
  });

  it("shows an unknown directive as written and lists the parse problems", () => {
    const r = renderFile(conformance("07-lint-errors.md"));
    const sources = all(r.document, ".directive-source").map(
      (e) => e.textContent,
    );
    expect(sources).toContain("::frobnicate{hard=yes}");
    expect(r.document.querySelector(".problems")?.textContent).toContain(
      "cycle",
    );
  });

  it("shows the params table with secrets marked", () => {
    const r = renderFile(conformance("09-secrets.md"));
    const rows = all(r.document, "table.params-table tbody tr");
    expect(
      rows.map((tr) => tr.querySelector("code.param-name")?.textContent),
    ).toEqual(["db_password", "api_token"]);
    for (const tr of rows) {
      expect(tr.querySelector('[data-secret="true"]')?.textContent).toBe(
        "secret",
      );
      expect(tr.querySelectorAll('[data-secret="hidden"]').length).toBe(2);
    }
  });

  it("keeps the intro heading as the page title when it is the title", () => {
    const r = renderFile(conformance("01-hello.md"));
    expect(
      all(r.document, "h1").map((h) => h.textContent?.replace(/#$/, "")),
    ).toEqual(["Hello runbook"]);
  });
});

describe("link reference definitions apply across the whole document", () => {
  it("a reference in one section links to a definition written in another", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "runbook-refs-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "refs.md");
    writeFileSync(
      file,
      [
        "# Refs",
        "",
        "## Upgrade",
        "",
        "Read [the notes] first.",
        "",
        "```sh",
        "true",
        "```",
        "",
        "## Links",
        "",
        '[the notes]: https://example.com/notes "Release notes"',
        "",
      ].join("\n"),
    );
    const r = renderFile(file);
    const link = all(r.document, "a").find(
      (a) => a.getAttribute("href") === "https://example.com/notes",
    );
    expect(link?.textContent).toBe("the notes");
    expect(link?.getAttribute("title")).toBe("Release notes");
    expect(r.document.body.textContent).not.toContain("[the notes]");
  });
});
