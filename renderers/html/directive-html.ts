import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { RootContent } from "mdast";
import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import type { State } from "mdast-util-to-hast";
import type { Step } from "../../engine/model/index.js";
import { ADMONITIONS } from "../../engine/parse/index.js";
import { sanitizeAuthored } from "./author-html.js";
import { checkCard } from "./check-html.js";
import {
  sentinelAnchor,
  stepTraits,
  type DocsModel,
  type SentinelTrace,
} from "./docs-model.js";
import { sourceOf } from "./markdown-tree.js";
import { plural } from "../../engine/model/index.js";

export interface DirectiveContext {
  readonly model: DocsModel;
  readonly file: string;
  /** Line of the section's first line in `file`. */
  readonly startLine: number;
  /** The section's Markdown: directive positions index into it. */
  readonly markdown: string;
  readonly step?: Step;
}

type Directive = LeafDirective | ContainerDirective;

/** The `[label]` of a container directive, which mdast keeps as its first paragraph. */
export const isLabel = (node: RootContent): boolean =>
  (node.data as { directiveLabel?: boolean } | undefined)?.directiveLabel ===
  true;

/** Renders a leaf or container directive: ours become styled blocks, others their source text. */
export function renderDirective(
  state: State,
  node: Directive,
  ctx: DirectiveContext,
): ElementContent | ElementContent[] {
  const line = ctx.startLine + (node.position?.start.line ?? 1) - 1;
  const { model } = ctx;
  const label = (): ElementContent[] => {
    const first = node.children[0];
    if (node.type === "leafDirective") return sanitizeAuthored(state.all(node));
    return first && isLabel(first) && "children" in first
      ? sanitizeAuthored(state.all(first))
      : [];
  };
  const body = (
    skip: (child: RootContent) => boolean = () => false,
  ): ElementContent[] =>
    node.type === "containerDirective"
      ? sanitizeAuthored(
          node.children
            .filter((c) => !isLabel(c) && !skip(c))
            .flatMap((c) => toArray(state.one(c, node))),
        )
      : [];

  switch (node.name) {
    case "step":
      return ctx.step ? stepMeta(ctx.step, model) : source(node, ctx);
    case "check": {
      const located = model.checkAt(ctx.file, line);
      if (!located) return source(node, ctx, state);
      return checkCard(
        located,
        model,
        label(),
        body((c) => c.type === "code" || c.type === "table"),
      );
    }
    case "manual": {
      const located = model.actionAt(ctx.file, line);
      if (!located) return source(node, ctx, state);
      const text = label();
      return h(
        "aside.callout.callout--manual",
        { id: located.anchor, dataKind: "manual" },
        [
          h("p.callout-title", [
            h("span.icon", { ariaHidden: "true" }, "✎"),
            " Manual step",
            h(
              "span.callout-note",
              " — done by hand; the run waits until the operator says it is done",
            ),
          ]),
          ...(text.length > 0 ? [h("p", text)] : []),
          ...body(),
        ],
      );
    }
    case "confirm": {
      const located = model.actionAt(ctx.file, line);
      if (!located || located.item.kind !== "confirm")
        return source(node, ctx, state);
      const gate = located.item;
      const mask = model.masker.text;
      const question =
        gate.typed !== undefined
          ? h("p.gate-question", [
              "The operator must type ",
              h("code.typed", mask(gate.typed)),
              " to go on.",
              ...(node.attributes?.["prompt"] ? [" ", mask(gate.prompt)] : []),
            ])
          : h("p.gate-question", [
              mask(gate.prompt),
              h("span.gate-answers", " (yes / no)"),
            ]);
      return h(
        "aside.callout.callout--gate",
        {
          id: located.anchor,
          dataKind: gate.typed !== undefined ? "typed" : "confirm",
        },
        [
          h("p.callout-title", [
            h("span.icon", { ariaHidden: "true" }, "⚠"),
            gate.typed !== undefined ? " Typed gate" : " Gate",
            h(
              "span.callout-note",
              " — asked even under --yes; only --yes=all answers it",
            ),
          ]),
          question,
        ],
      );
    }
    case "sentinel": {
      const trace = model.sentinels.find(
        (t) => t.sentinel.at.file === ctx.file && t.sentinel.at.line === line,
      );
      return trace ? sentinelMarker(trace) : source(node, ctx, state);
    }
    case "include": {
      const file = node.attributes?.["file"];
      if (!file) return source(node, ctx, state);
      return h("aside.callout.callout--include", [
        h("p", [
          "Includes ",
          h("code", file),
          ": its steps follow on this page.",
        ]),
      ]);
    }
    default:
      if (ADMONITIONS.has(node.name)) {
        const title = label();
        return h("aside.callout", { className: [`callout--${node.name}`] }, [
          h(
            "p.callout-title",
            title.length > 0 && node.type === "containerDirective"
              ? title
              : capitalize(node.name),
          ),
          ...(node.type === "leafDirective" && title.length > 0
            ? [h("p", title)]
            : []),
          ...body(),
        ]);
      }
      return source(node, ctx, state);
  }
}

/** A directive runbook does not know, shown as the author wrote it (its content still rendered). */
function source(
  node: Directive,
  ctx: DirectiveContext,
  state?: State,
): Element {
  const text = sourceOf(node, ctx.markdown);
  if (node.type === "leafDirective" || !state)
    return h("p.directive-source", text);
  const lines = text.split("\n");
  const children = sanitizeAuthored(
    node.children
      .filter((c) => !isLabel(c))
      .flatMap((c) => toArray(state.one(c, node))),
  );
  return h("div.directive-source", [
    h("p.directive-fence", lines[0] ?? ""),
    ...children,
    h("p.directive-fence", lines.length > 1 ? (lines.at(-1) ?? "") : ""),
  ]);
}

/** The step's badges: its number, id, what it waits for, and what sets it apart. */
export function stepMeta(step: Step, model: DocsModel): Element {
  const traits = stepTraits(step);
  const position = model.position.get(step.id);
  const needs: ElementContent[] =
    step.needs.length === 0
      ? [h("span.meta-item", "needs nothing: can run first")]
      : [
          h("span.meta-item", [
            "after ",
            ...step.needs.flatMap((id, i) => [
              ...(i > 0 ? [", "] : []),
              h(
                "a.step-link",
                { href: `#${id}` },
                model.steps.get(id)?.title ?? id,
              ),
            ]),
          ]),
        ];
  const chips: ElementContent[] = [];
  if (traits.manual) chips.push(h("span.chip.chip--manual", "manual"));
  if (traits.gate)
    chips.push(
      h("span.chip.chip--gate", traits.typedGate ? "typed gate" : "gate"),
    );
  if (traits.confirmBlock)
    chips.push(h("span.chip.chip--gate", "asks before a block"));
  return h("div.step-meta", [
    h("span.meta-item", [
      position !== undefined
        ? `step ${position} of ${model.runbook.order.length}`
        : "step (not in the run order)",
    ]),
    h("a.meta-id", { href: `#${step.id}`, title: "step id" }, `#${step.id}`),
    ...needs,
    h(
      "span.meta-item",
      `${plural(step.actions.length, "action")} · ${plural(step.checks.length, "check")}`,
    ),
    ...chips,
  ]);
}

/** Where a sentinel is defined, written and verified, with links to each place. */
export function sentinelMarker(trace: SentinelTrace): Element {
  const { sentinel } = trace;
  const anchor = sentinelAnchor(sentinel.name);
  return h("aside.sentinel", { id: anchor, dataSentinel: sentinel.name }, [
    h("p.callout-title", [
      h("span.icon", { ariaHidden: "true" }, "◆"),
      " Sentinel ",
      h("code", sentinel.name),
    ]),
    h(
      "p",
      "A fresh unique token for each run, recorded in the journal: written on the old side, then proven on the new side.",
    ),
    h("ol.trace", [
      h("li", { dataRole: "defined" }, [
        h("span.trace-k", "defined"),
        ` line ${sentinel.at.line}`,
      ]),
      h("li", { dataRole: "written" }, [
        h("span.trace-k", "written"),
        " ",
        sentinelUses(trace.writes, "never written: the check can only fail"),
      ]),
      h("li", { dataRole: "verified" }, [
        h("span.trace-k", "verified"),
        " ",
        sentinelUses(
          trace.verifies,
          "never verified: nothing proves the last write arrived",
        ),
      ]),
    ]),
  ]);
}

/** Links to where a sentinel is written or verified, or a warning when there is no such place. */
export function sentinelUses(
  list: SentinelTrace["writes"],
  none: string,
): Element {
  return list.length === 0
    ? h("span.trace-missing", none)
    : h(
        "span",
        list.flatMap((u, i) => [
          ...(i > 0 ? ["; "] : []),
          h("a", { href: `#${u.anchor}` }, u.step.title),
          ` (${u.what}, line ${u.line})`,
        ]),
      );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function toArray(
  result: ElementContent | ElementContent[] | undefined,
): ElementContent[] {
  return result === undefined ? [] : Array.isArray(result) ? result : [result];
}
