import type { ElementContent } from "hast";
import { h } from "hastscript";
import type { Runbook } from "../../engine/model/index.js";
import { htmlDocument } from "./document.js";
import { createMasker } from "./masking.js";
import { DOCS_CSS } from "./styles-docs.js";
import { plural } from "../../engine/model/index.js";

export interface IndexEntry {
  readonly runbook: Runbook;
  /** Link to the runbook's page, relative to the index. */
  readonly href: string;
  /** The file as shown. */
  readonly sourcePath: string;
  /** Errors the parser found. @default 0 */
  readonly errors?: number;
}

export interface IndexPageOptions {
  readonly entries: readonly IndexEntry[];
  /** @default "Runbooks" */
  readonly title?: string;
}

/** `index.html`: every rendered runbook with its title, step count and databases. */
export function renderIndexPage(o: IndexPageOptions): string {
  const title = o.title ?? "Runbooks";
  const rows = o.entries.map((e) => {
    const mask = createMasker(e.runbook).text;
    const r = e.runbook;
    const cells: ElementContent[] = [
      h("td.title-cell", [
        h("a", { href: e.href }, mask(r.title)),
        ...(e.errors
          ? [" ", h("span.chip.chip--secret", plural(e.errors, "problem"))]
          : []),
      ]),
      h(
        "td.num",
        { dataCol: "steps", dataLabel: "steps" },
        String(r.steps.length),
      ),
      h(
        "td",
        { dataCol: "databases", dataLabel: "databases" },
        r.databases.length > 0
          ? r.databases.flatMap((d, i) => [
              ...(i > 0 ? [" "] : []),
              h("code", d.name),
            ])
          : [h("span.muted", "—")],
      ),
      h(
        "td",
        { dataCol: "hosts", dataLabel: "hosts" },
        r.hosts.length > 0
          ? r.hosts.flatMap((d, i) => [
              ...(i > 0 ? [" "] : []),
              h("code", d.name),
            ])
          : [h("span.muted", "—")],
      ),
      h("td", { dataCol: "file", dataLabel: "file" }, [
        h("code", e.sourcePath),
      ]),
    ];
    return h("tr", { dataRunbook: e.href }, cells);
  });
  const steps = o.entries.reduce((n, e) => n + e.runbook.steps.length, 0);
  return htmlDocument({
    title,
    css: DOCS_CSS,
    body: [
      h("div.layout.layout--single", [
        h("main", [
          h("header.page-head", [
            h("h1", title),
            h("ul.summary", [
              h("li", plural(o.entries.length, "runbook")),
              h("li", `${steps} steps in all`),
            ]),
          ]),
          o.entries.length === 0
            ? h("p.muted", "No runbooks were rendered.")
            : h("div.table-wrap", [
                h("table.index-table", [
                  h("thead", [
                    h(
                      "tr",
                      ["Runbook", "Steps", "Databases", "Hosts", "File"].map(
                        (t) => h("th", { scope: "col" }, t),
                      ),
                    ),
                  ]),
                  h("tbody", rows),
                ]),
              ]),
          h(
            "footer.page-foot",
            "Rendered by runbook. Each page is self-contained: it works offline and from file://.",
          ),
        ]),
      ]),
    ],
  });
}
