import path from "node:path";
import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { CodeAction } from "../../engine/model/index.js";
import { actionBadges, actionKindLabel, type Badge } from "./assertions.js";
import type { DocsModel, Located } from "./docs-model.js";
import { sentinelAnchor } from "./docs-model.js";
import { highlight } from "./highlight.js";

/** A highlighted `<pre><code>`; the code must already be masked. */
export function codeBlock(code: string, lang: string): Element {
  const body = code.endsWith("\n") ? code : `${code}\n`;
  return h("pre.code", { tabIndex: 0 }, [
    h(
      "code",
      { className: ["hljs", `language-${lang || "text"}`] },
      highlight(body, lang),
    ),
  ]);
}

export function badge(b: Badge, mask: (text: string) => string): Element {
  return h(
    "span.badge",
    { className: [`badge--${b.tone}`], dataAttr: b.attr },
    [
      h("span.badge-k", b.label),
      ...(b.value !== undefined ? [" ", h("code.badge-v", mask(b.value))] : []),
    ],
  );
}

/** Which grammar shows an action: its kind decides, not the label the author chose. */
function grammarOf(action: CodeAction): string {
  switch (action.kind) {
    case "sh":
      return "bash";
    case "console":
      return "shell";
    case "sql":
    case "psql":
      return "sql";
    case "file":
      return action.lang;
  }
}

/** An executable block: what runs it, where, with which attributes, and the code. */
export function actionCard(
  located: Located<CodeAction>,
  model: DocsModel,
): Element {
  const { item: action, anchor } = located;
  const mask = model.masker.text;
  const writes = model.sentinels.filter((t) =>
    t.writes.some((w) => w.anchor === anchor),
  );
  const head: ElementContent[] = [
    h("span.kind", actionKindLabel(action)),
    ...actionBadges(action).map((b) => badge(b, mask)),
    ...writes.map((t) =>
      h(
        "a.badge.badge--sentinel",
        { href: `#${sentinelAnchor(t.sentinel.name)}`, dataAttr: "sentinel" },
        [
          h("span.badge-k", "writes sentinel"),
          " ",
          h("code.badge-v", t.sentinel.name),
        ],
      ),
    ),
    h(
      "a.line",
      { href: `#${anchor}`, title: lineTitle(action.at, model.runbook.file) },
      lineLabel(action.at, model.runbook.file),
    ),
  ];
  return h(
    "figure.action",
    {
      id: anchor,
      className: [
        `action--${action.kind}`,
        ...(action.options.confirm ? ["action--confirm"] : []),
      ],
      dataKind: action.kind,
    },
    [
      h("figcaption.action-head", head),
      codeBlock(mask(action.code), grammarOf(action)),
    ],
  );
}

const EXECUTABLE = new Set([
  "sh",
  "bash",
  "shell",
  "console",
  "shell-session",
  "sql",
  "pgsql",
  "postgresql",
  "psql",
]);

/** A code block that is only shown: another language, `run=false`, or inside a manual step. */
export function plainCode(
  code: string,
  lang: string,
  notRun: boolean,
  mask: (text: string) => string,
): Element {
  const caption: ElementContent[] = [];
  if (lang) caption.push(h("span.kind", lang));
  if (notRun && EXECUTABLE.has(lang))
    caption.push(
      h("span.badge.badge--plain", { dataAttr: "run" }, [
        h("span.badge-k", "shown, never run"),
      ]),
    );
  return h("figure.code-shown", [
    ...(caption.length > 0 ? [h("figcaption.action-head", caption)] : []),
    codeBlock(mask(code), lang),
  ]);
}

/**
 * `upgrade.md:18`, `parts/x.md:18`: the place as a tooltip, relative to the
 * runbook's folder, so that a page never shows where it was rendered (an
 * absolute path of the machine that ran `runbook render`).
 */
export function lineTitle(
  at: { readonly file: string; readonly line: number },
  runbookFile: string,
): string {
  return `${path.relative(path.dirname(runbookFile), at.file) || path.basename(at.file)}:${at.line}`;
}

/** `line 18`, or `parts/x.md line 18` for a line of an included file. */
export function lineLabel(
  at: { readonly file: string; readonly line: number },
  runbookFile: string,
): string {
  if (at.file === runbookFile) return `line ${at.line}`;
  return `${path.relative(path.dirname(runbookFile), at.file)} line ${at.line}`;
}
