import type { BlockContent, Code, PhrasingContent, RootContent } from "mdast";
import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import type { Step } from "../../engine/model/index.js";
import { ADMONITIONS } from "../../engine/parse/index.js";
import {
  actionBadges,
  actionKindLabel,
  checkClauses,
  checkPolling,
  isCode,
  isLabel,
  sourceOf,
  stepTraits,
  type DirectiveContext,
  type DocsModel,
  type SentinelTrace,
} from "../html/index.js";
import { joined, md } from "./mdast-build.js";

/** The same context as the HTML renderer's directives. */
export type MarkdownSectionContext = DirectiveContext;

type Directive = LeafDirective | ContainerDirective;
const ALERTS: Record<
  string,
  "NOTE" | "TIP" | "IMPORTANT" | "WARNING" | "CAUTION"
> = {
  note: "NOTE",
  info: "NOTE",
  tip: "TIP",
  important: "IMPORTANT",
  warning: "WARNING",
  caution: "CAUTION",
  danger: "CAUTION",
};

/** A directive as Markdown GitHub shows well: our directives become alerts, others stay as written. */
export function directiveMarkdown(
  node: Directive,
  ctx: MarkdownSectionContext,
): RootContent[] {
  const line = ctx.startLine + (node.position?.start.line ?? 1) - 1;
  const { model } = ctx;
  const mask = model.masker.text;
  const label = (): PhrasingContent[] => {
    if (node.type === "leafDirective") return node.children;
    const first = node.children[0];
    return first && isLabel(first) && first.type === "paragraph"
      ? first.children
      : [];
  };
  const body = (
    skip: (c: RootContent) => boolean = () => false,
  ): BlockContent[] =>
    node.type === "containerDirective"
      ? (node.children.filter((c) => !isLabel(c) && !skip(c)) as BlockContent[])
      : [];

  switch (node.name) {
    case "step":
      return ctx.step ? [stepLine(ctx.step, model)] : asWritten(node, ctx);
    case "check": {
      const located = model.checkAt(ctx.file, line);
      if (!located) return asWritten(node, ctx);
      const check = located.item;
      const clauses = checkClauses(check).map((c) => [
        md.text(c.words),
        ...(c.value !== undefined
          ? [md.text(" "), md.code(mask(c.value))]
          : []),
      ]);
      const polling = checkPolling(check);
      const title = label();
      const lead: PhrasingContent[] = [
        md.strong(
          md.text(
            `Check (${check.kind === "sql" ? "SQL" : check.shell}${check.db ? ` on ${check.db}` : ""})`,
          ),
        ),
        ...(title.length > 0 ? [md.text(": "), ...title] : []),
        md.text(" passes when "),
        ...joined(clauses, " and "),
        md.text(polling ? `; ${polling}.` : "."),
      ];
      const table =
        node.type === "containerDirective"
          ? node.children.filter((c) => c.type === "table")
          : [];
      const code: Code = {
        type: "code",
        lang: check.kind === "sql" ? "sql" : check.shell,
        meta: null,
        value: mask(check.code),
      };
      return [
        md.alert("TIP", lead, [
          code,
          ...(table as BlockContent[]),
          ...body((c) => c.type === "code" || c.type === "table"),
        ]),
      ];
    }
    case "manual": {
      const located = model.actionAt(ctx.file, line);
      if (!located) return asWritten(node, ctx);
      const text = label();
      return [
        md.alert(
          "IMPORTANT",
          [
            md.strong(md.text("Manual step")),
            md.text(
              ": done by hand; the run waits until the operator says it is done.",
            ),
            ...(text.length > 0 ? [md.text(" "), ...text] : []),
          ],
          body(),
        ),
      ];
    }
    case "confirm": {
      const located = model.actionAt(ctx.file, line);
      if (!located || located.item.kind !== "confirm")
        return asWritten(node, ctx);
      const gate = located.item;
      const question: PhrasingContent[] =
        gate.typed !== undefined
          ? [
              md.text("the operator must type "),
              md.code(mask(gate.typed)),
              md.text(" to go on."),
            ]
          : [md.text(`${mask(gate.prompt)} (yes / no)`)];
      return [
        md.alert("CAUTION", [
          md.strong(md.text(gate.typed !== undefined ? "Typed gate" : "Gate")),
          md.text(": "),
          ...question,
        ]),
      ];
    }
    case "sentinel": {
      const trace = model.sentinels.find(
        (t) => t.sentinel.at.file === ctx.file && t.sentinel.at.line === line,
      );
      return trace ? [sentinelAlert(trace)] : asWritten(node, ctx);
    }
    case "include": {
      const file = node.attributes?.["file"];
      return file
        ? [
            md.paragraph(
              md.text("Includes "),
              md.code(file),
              md.text(": its steps follow."),
            ),
          ]
        : asWritten(node, ctx);
    }
    default: {
      const alert = ALERTS[node.name];
      if (alert && ADMONITIONS.has(node.name)) {
        const title = label();
        return [
          md.alert(
            alert,
            title.length > 0
              ? [md.strong(...title)]
              : [
                  md.strong(
                    md.text(
                      node.name.charAt(0).toUpperCase() + node.name.slice(1),
                    ),
                  ),
                ],
            body(),
          ),
        ];
      }
      return asWritten(node, ctx);
    }
  }
}

/** A directive runbook does not know, exactly as written (a container's content still normalised). */
function asWritten(
  node: Directive,
  ctx: MarkdownSectionContext,
): RootContent[] {
  const text = sourceOf(node, ctx.markdown);
  if (node.type === "leafDirective") return [md.raw(text)];
  const lines = text.split("\n");
  return [
    md.raw(lines[0] ?? ""),
    ...node.children.filter((c) => !isLabel(c)),
    md.raw(lines.length > 1 ? (lines.at(-1) ?? "") : ""),
  ];
}

/** `**Step 3 of 7** · after [Fetch](#fetch) · 2 actions, 1 check`. */
export function stepLine(step: Step, model: DocsModel): RootContent {
  const position = model.position.get(step.id);
  const traits = stepTraits(step);
  const parts: PhrasingContent[][] = [
    [
      md.strong(
        md.text(
          position !== undefined
            ? `Step ${position} of ${model.runbook.order.length}`
            : "Step",
        ),
      ),
    ],
    [md.text("id "), md.code(step.id)],
    step.needs.length === 0
      ? [md.text("needs nothing")]
      : [
          md.text("after "),
          ...joined(
            step.needs.map((id) => [
              md.link(`#${id}`, md.text(model.steps.get(id)?.title ?? id)),
            ]),
            ", ",
          ),
        ],
  ];
  if (traits.manual) parts.push([md.text("manual")]);
  if (traits.gate || traits.confirmBlock) parts.push([md.text("gated")]);
  return md.paragraph(...joined(parts, " · "));
}

/** The line above an executable block: what runs it and its attributes. */
export function actionLine(
  code: Code,
  ctx: MarkdownSectionContext,
): RootContent | undefined {
  const line = ctx.startLine + (code.position?.start.line ?? 1) - 1;
  const located = ctx.model.actionAt(ctx.file, line);
  if (!located || !isCode(located.item)) return undefined;
  const action = located.item;
  const mask = ctx.model.masker.text;
  const badges = actionBadges(action).map((b) => [
    md.text(b.label),
    ...(b.value !== undefined ? [md.text(" "), md.code(mask(b.value))] : []),
  ]);
  return md.paragraph({
    type: "emphasis",
    children: joined(
      [
        [md.text(actionKindLabel(action))],
        ...badges,
        [md.text(`line ${action.at.line}`)],
      ],
      " · ",
    ),
  });
}

export function sentinelAlert(trace: SentinelTrace): RootContent {
  const uses = (
    list: SentinelTrace["writes"],
    none: string,
  ): PhrasingContent[] =>
    list.length === 0
      ? [md.strong(md.text(none))]
      : joined(
          list.map((u) => [
            md.link(`#${u.step.id}`, md.text(u.step.title)),
            md.text(` (${u.what}, line ${u.line})`),
          ]),
          "; ",
        );
  return md.alert("NOTE", [
    md.strong(md.text("Sentinel "), md.code(trace.sentinel.name)),
    md.text(": a fresh unique token for each run. Written in "),
    ...uses(trace.writes, "no step (never written)"),
    md.text("; verified in "),
    ...uses(trace.verifies, "no check (never verified)"),
    md.text("."),
  ]);
}
