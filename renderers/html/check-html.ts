import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { Check, TableExpectation } from "../../engine/model/index.js";
import { checkClauses, checkPolling } from "./assertions.js";
import { badge, codeBlock, lineLabel, lineTitle } from "./code-html.js";
import { sentinelAnchor, type DocsModel, type Located } from "./docs-model.js";

/**
 * A check as an assertion card: what it runs, where, and in words what must
 * hold; a GFM table expectation is drawn as a table. `title` is the
 * directive's label, `extra` any other prose written inside `:::check`.
 */
export function checkCard(
  located: Located<Check>,
  model: DocsModel,
  title: ElementContent[] = [],
  extra: ElementContent[] = [],
): Element {
  const { item: check, anchor } = located;
  const mask = model.masker.text;
  const polling = checkPolling(check);
  const verifies = model.sentinels.filter((t) =>
    t.verifies.some((v) => v.anchor === anchor),
  );
  const head: ElementContent[] = [
    h("span.check-icon", { ariaHidden: "true" }, "✓"),
    h("span.kind", `check · ${check.kind === "sql" ? "SQL" : check.shell}`),
    ...(check.db !== undefined
      ? [
          badge(
            { attr: "db", label: "db", value: check.db, tone: "accent" },
            mask,
          ),
        ]
      : []),
    ...(check.attributes["timeout"] !== undefined
      ? [
          badge(
            {
              attr: "timeout",
              label: "timeout",
              value: check.attributes["timeout"],
              tone: "plain",
            },
            mask,
          ),
        ]
      : []),
    ...verifies.map((t) =>
      h(
        "a.badge.badge--sentinel",
        { href: `#${sentinelAnchor(t.sentinel.name)}`, dataAttr: "sentinel" },
        [
          h("span.badge-k", "verifies sentinel"),
          " ",
          h("code.badge-v", t.sentinel.name),
        ],
      ),
    ),
    h(
      "a.line",
      { href: `#${anchor}`, title: lineTitle(check.at, model.runbook.file) },
      lineLabel(check.at, model.runbook.file),
    ),
  ];
  const clauses = checkClauses(check).map((c) =>
    h("li", [
      c.words,
      ...(c.value !== undefined
        ? [
            " ",
            h("code.expect-value", mask(c.value)),
            ...sentinelNote(c.value, model),
          ]
        : []),
    ]),
  );
  return h("div.check", { id: anchor, dataKind: check.kind }, [
    h("div.check-head", head),
    ...(title.length > 0 ? [h("p.check-title", title)] : []),
    h("div.assertion", [
      h("p.assertion-lead", "Passes when"),
      h("ul.clauses", clauses),
      ...(polling ? [h("p.polling", polling)] : []),
    ]),
    ...(check.expectation.table
      ? [expectationTable(check.expectation.table, mask)]
      : []),
    codeBlock(mask(check.code), check.kind === "sql" ? "sql" : "bash"),
    ...extra,
  ]);
}

/** `${last_write}` in an expectation: say which sentinel it is and link to it. */
function sentinelNote(value: string, model: DocsModel): (Element | string)[] {
  const names = [...value.matchAll(/\$\{([A-Za-z_]\w*)\}/g)].map(
    (m) => m[1] ?? "",
  );
  const sentinels = names.filter((n) =>
    model.runbook.sentinels.some((s) => s.name === n),
  );
  return sentinels.flatMap((n) => [
    " ",
    h(
      "a.sentinel-ref",
      { href: `#${sentinelAnchor(n)}` },
      `(the token of sentinel ${n})`,
    ),
  ]);
}

function expectationTable(
  table: TableExpectation,
  mask: (text: string) => string,
): Element {
  return h("div.table-wrap", [
    h("table.expect-table", [
      h("thead", [
        h(
          "tr",
          table.columns.map((c) => h("th", { scope: "col" }, mask(c))),
        ),
      ]),
      h(
        "tbody",
        table.rows.map((row) =>
          h(
            "tr",
            row.map((cell) =>
              h("td", cell === "" ? h("span.null", "NULL") : mask(cell)),
            ),
          ),
        ),
      ),
    ]),
  ]);
}
