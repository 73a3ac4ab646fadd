import type { Element, ElementContent } from "hast";
import { h, type Child } from "hastscript";
import type { Database, Host, Param } from "../../engine/model/index.js";
import type { DocsModel } from "./docs-model.js";
import { sentinelUses } from "./directive-html.js";
import { sentinelAnchor } from "./docs-model.js";

/** Params, databases, hosts and sentinels: what an operator must know before step one. */
export function renderFacts(model: DocsModel): ElementContent[] {
  const { runbook } = model;
  const out: ElementContent[] = [];
  if (runbook.params.length > 0)
    out.push(
      panel(
        "rb-params",
        "Params",
        paramsTable(runbook.params, model.masker.text),
      ),
    );
  if (runbook.databases.length > 0)
    out.push(
      panel(
        "rb-databases",
        "Databases",
        databasesTable(runbook.databases, model.masker.text),
      ),
    );
  if (runbook.hosts.length > 0)
    out.push(
      panel("rb-hosts", "Hosts", hostsTable(runbook.hosts, model.masker.text)),
    );
  if (model.sentinels.length > 0)
    out.push(panel("rb-sentinels", "Sentinels", sentinelTable(model)));
  return out;
}

function panel(id: string, title: string, content: Element): Element {
  return h("section.facts", { id, ariaLabelledby: `${id}-title` }, [
    h("h2.facts-title", { id: `${id}-title` }, title),
    content,
  ]);
}

function table(
  headers: readonly string[],
  rows: Child[][],
  className: string,
): Element {
  return h("div.table-wrap", [
    h(`table.${className}`, [
      h("thead", [
        h(
          "tr",
          headers.map((t) => h("th", { scope: "col" }, t)),
        ),
      ]),
      h(
        "tbody",
        rows.map((cells) =>
          h(
            "tr",
            cells.map((c) => h("td", c)),
          ),
        ),
      ),
    ]),
  ]);
}

const none = (): Element => h("span.muted", "—");

/**
 * Secrets are marked and never given values: their default and rehearsal
 * values are replaced by a note (SPEC 1.1).
 */
function paramsTable(
  params: readonly Param[],
  mask: (text: string) => string,
): Element {
  const rows = params.map((p): Child[] => {
    const hidden = (present: boolean, absent: string): Element =>
      h(
        "span.secret-value",
        { dataSecret: "hidden" },
        present ? "set, hidden" : absent,
      );
    return [
      h("span", [
        h("code.param-name", p.name),
        ...(p.secret
          ? [" ", h("span.chip.chip--secret", { dataSecret: "true" }, "secret")]
          : []),
        ...(p.raw ? [" ", h("span.chip", "raw")] : []),
      ]),
      p.description !== undefined ? mask(p.description) : none(),
      p.secret
        ? hidden(p.default !== undefined, "none: asked for")
        : p.default !== undefined
          ? h("code", mask(p.default))
          : h("span.muted", "none: asked for"),
      p.pattern !== undefined ? h("code", p.pattern) : none(),
      p.secret
        ? hidden(p.rehearsal !== undefined, "random")
        : p.rehearsal !== undefined
          ? h("code", mask(p.rehearsal))
          : none(),
    ];
  });
  return table(
    ["name", "description", "default", "pattern", "rehearsal"],
    rows,
    "params-table",
  );
}

function databasesTable(
  databases: readonly Database[],
  mask: (text: string) => string,
): Element {
  const rows = databases.map((d): Child[] => [
    h("code.db-name", d.name),
    h("code.url", mask(d.url)),
    d.sandbox
      ? h("span", [
          "cluster ",
          h("code", d.sandbox.cluster),
          ...(d.sandbox.seed ? [", seed ", h("code", d.sandbox.seed)] : []),
        ])
      : none(),
  ]);
  return table(["name", "url", "in a rehearsal"], rows, "databases-table");
}

function hostsTable(
  hosts: readonly Host[],
  mask: (text: string) => string,
): Element {
  return table(
    ["name", "ssh"],
    hosts.map((host): Child[] => [
      h("code.host-name", host.name),
      h("code", mask(host.ssh)),
    ]),
    "hosts-table",
  );
}

/** Each sentinel traced from where it is defined to where it is written and where it is verified. */
function sentinelTable(model: DocsModel): Element {
  return h(
    "ul.sentinel-summary",
    model.sentinels.map((t) =>
      h("li", { dataSentinel: t.sentinel.name }, [
        h("a", { href: `#${sentinelAnchor(t.sentinel.name)}` }, [
          h("code", t.sentinel.name),
        ]),
        ` defined at line ${t.sentinel.at.line}; `,
        h("strong", "written"),
        " in ",
        sentinelUses(t.writes, "no step (never written)"),
        "; ",
        h("strong", "verified"),
        " in ",
        sentinelUses(t.verifies, "no check (never verified)"),
        ".",
      ]),
    ),
  );
}
