import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import GithubSlugger from "github-slugger";
import type { Diagnostic, Runbook } from "../../engine/model/index.js";
import {
  buildDocsModel,
  sentinelAnchor,
  stepTraits,
  type DocsModel,
} from "./docs-model.js";
import { htmlDocument } from "./document.js";
import { renderFacts } from "./facts-html.js";
import { layoutStepGraph } from "./graph-layout.js";
import { graphSvg } from "./graph-svg.js";
import { renderSection } from "./section-html.js";
import { DOCS_CSS, HIGHLIGHT_CSS } from "./styles-docs.js";
import { plural } from "../../engine/model/index.js";
import { lineLabel } from "./code-html.js";

/** Ids of the page's own parts (overview panels, the graph). */
const RESERVED_IDS = [
  "rb-params",
  "rb-databases",
  "rb-hosts",
  "rb-sentinels",
  "rb-params-title",
  "rb-databases-title",
  "rb-hosts-title",
  "rb-sentinels-title",
  "rb-step-graph",
];

export interface RunbookPageOptions {
  readonly runbook: Runbook;
  /** The parser's findings, shown in a box at the top when there are any. */
  readonly diagnostics?: readonly Diagnostic[];
  /** The file as shown on the page (e.g. relative to the working directory). @default runbook.file */
  readonly sourcePath?: string;
  /** Link back to the index page, when there is one. */
  readonly indexHref?: string;
}

/**
 * One runbook as a self-contained HTML page: its prose exactly as written,
 * the params (secrets marked, never valued), databases, hosts, the step
 * graph, and every step with an anchor named by its id.
 */
export function renderRunbookPage(o: RunbookPageOptions): string {
  const { runbook } = o;
  const model = buildDocsModel(runbook, o.diagnostics ?? []);
  const slugger = new GithubSlugger();
  // Ids the page uses itself: a heading whose slug is one of them gets no id of its own.
  const taken = new Set([
    ...runbook.steps.map((s) => s.id),
    ...RESERVED_IDS,
    ...runbook.sentinels.map((s) => sentinelAnchor(s.name)),
  ]);
  const sections = runbook.sections.map((section, index) =>
    renderSection(section, { model, slugger, taken, index }),
  );
  const first = runbook.sections[0];
  const intro =
    first &&
    first.stepId === undefined &&
    first.heading?.depth === 1 &&
    first.heading.text === runbook.title
      ? sections.shift()
      : undefined;

  const head: ElementContent[] = [
    ...(intro ? [] : [h("h1", runbook.title)]),
    h("p.source", ["Runbook ", h("code", o.sourcePath ?? runbook.file)]),
    summary(model),
  ];
  // The author's own title section comes first when there is one; the facts follow it.
  const main: ElementContent[] = [
    ...(intro ? [intro] : []),
    h("header.page-head", head),
    ...problems(model.diagnostics, runbook.file),
    h("div.overview", [graphFigure(model), ...renderFacts(model)]),
    h("div.document", sections),
    h("footer.page-foot", [
      "Rendered by runbook from ",
      h("code", o.sourcePath ?? runbook.file),
      ". Secrets are never shown: values written as *** are masked. Run it with ",
      h("code", `runbook run ${o.sourcePath ?? runbook.file}`),
      ".",
    ]),
  ];
  return htmlDocument({
    title: runbook.title,
    css: DOCS_CSS + HIGHLIGHT_CSS,
    body: [h("div.layout", [toc(model, o.indexHref), h("main", main)])],
    mask: model.masker.text,
  });
}

function summary(model: DocsModel): Element {
  const { runbook } = model;
  const items: string[] = [plural(runbook.steps.length, "step")];
  if (runbook.databases.length > 0)
    items.push(
      `${plural(runbook.databases.length, "database")}: ${runbook.databases.map((d) => d.name).join(", ")}`,
    );
  if (runbook.hosts.length > 0)
    items.push(
      `${plural(runbook.hosts.length, "host")}: ${runbook.hosts.map((d) => d.name).join(", ")}`,
    );
  if (runbook.params.length > 0) {
    const secrets = runbook.params.filter((p) => p.secret).length;
    items.push(
      `${plural(runbook.params.length, "param")}${secrets > 0 ? ` (${secrets} secret)` : ""}`,
    );
  }
  if (runbook.sentinels.length > 0)
    items.push(plural(runbook.sentinels.length, "sentinel"));
  const traits = runbook.steps.map(stepTraits);
  const manual = traits.filter((t) => t.manual).length;
  const gates = traits.filter((t) => t.gate || t.confirmBlock).length;
  if (manual > 0) items.push(plural(manual, "manual step"));
  if (gates > 0) items.push(plural(gates, "gated step"));
  return h(
    "ul.summary",
    items.map((i) => h("li", i)),
  );
}

function toc(model: DocsModel, indexHref: string | undefined): Element {
  const steps = model.runbook.order
    .map((id) => model.steps.get(id))
    .filter((s) => s !== undefined);
  return h("nav.toc", { ariaLabel: "Steps" }, [
    ...(indexHref
      ? [h("p", [h("a", { href: indexHref }, "← All runbooks")])]
      : []),
    h("details", { open: true }, [
      h("summary", `Steps (${steps.length})`),
      h(
        "ol",
        steps.map((s) => h("li", [h("a", { href: `#${s.id}` }, s.title)])),
      ),
    ]),
    h("p", [h("a", { href: "#rb-step-graph" }, "Step graph")]),
  ]);
}

function graphFigure(model: DocsModel): Element {
  if (model.runbook.steps.length === 0)
    return h(
      "p.muted#rb-step-graph",
      "This runbook has no steps: nothing in it runs.",
    );
  if (isLinear(model.runbook)) {
    // One after another: a drawn graph would only repeat the list of steps, a screen high. A strip of numbered links stays one line or two.
    const steps = model.runbook.steps;
    return h("figure.graph.graph--linear#rb-step-graph", [
      h(
        "figcaption",
        `Step graph: the ${plural(steps.length, "step")} run one after another, in the order of the page.`,
      ),
      h(
        "ol.chain",
        steps.map((s, i) => {
          const traits = stepTraits(s);
          const kind =
            traits.gate || traits.confirmBlock
              ? ["node--gate"]
              : traits.manual
                ? ["node--manual"]
                : [];
          return h("li", [
            h(
              "a",
              {
                href: `#${s.id}`,
                title: s.title,
                dataStep: s.id,
                className: kind,
              },
              String(i + 1),
            ),
          ]);
        }),
      ),
    ]);
  }
  const layout = layoutStepGraph(model.runbook);
  return h("figure.graph#rb-step-graph", [
    h(
      "figcaption",
      "Step graph: arrows point from a step to the steps that wait for it. Select a step to jump to it.",
    ),
    h("div.graph-scroll", [graphSvg(layout, model.runbook.title)]),
  ]);
}

/** Every step waits for the one before it and nothing else: the graph is the list. */
function isLinear(runbook: Runbook): boolean {
  return runbook.steps.every((step, i) => {
    const before = runbook.steps[i - 1];
    return before === undefined
      ? step.needs.length === 0
      : step.needs.length === 1 && step.needs[0] === before.id;
  });
}

function problems(
  diagnostics: readonly Diagnostic[],
  runbookFile: string,
): Element[] {
  const shown = diagnostics.filter((d) => d.severity !== "info");
  if (shown.length === 0) return [];
  const errors = shown.filter((d) => d.severity === "error").length;
  const what = [
    errors > 0 ? plural(errors, "error") : "",
    shown.length > errors ? plural(shown.length - errors, "warning") : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return [
    h("section.problems", { ariaLabel: "Problems" }, [
      h("p", [
        h("strong", `runbook lint finds ${what}`),
        " in this runbook (run ",
        h("code", "runbook lint"),
        " for shellcheck's findings too):",
      ]),
      h(
        "ul",
        shown.map((d) =>
          h("li", { className: [`sev-${d.severity}`] }, [
            `${lineLabel(d, runbookFile)}: ${d.severity}: ${d.message} `,
            h("span.muted", `[${d.rule}]`),
          ]),
        ),
      ),
    ]),
  ];
}
