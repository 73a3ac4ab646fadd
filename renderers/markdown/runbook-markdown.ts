import type { Heading, Parents, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import GithubSlugger from "github-slugger";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import type { Diagnostic, Runbook, Section } from "../../engine/model/index.js";
import { renderGraph } from "../graph.js";
import {
  buildDocsModel,
  maskTree,
  parseSectionMarkdown,
  type DocsModel,
} from "../html/index.js";
import {
  actionLine,
  directiveMarkdown,
  stepLine,
  type MarkdownSectionContext,
} from "./directive-markdown.js";
import { factsMarkdown } from "./facts-markdown.js";
import { md } from "./mdast-build.js";
import { plural } from "../../engine/model/index.js";

// No directive extension here: every directive has been rewritten, and without it `10:30` is not escaped as `10\:30`.
const stringifier = unified()
  .use(remarkGfm)
  .use(remarkStringify, {
    bullet: "-",
    emphasis: "*",
    fences: true,
    rule: "-",
    listItemIndent: "one",
  })
  .freeze();

export interface RunbookMarkdownOptions {
  readonly runbook: Runbook;
  readonly diagnostics?: readonly Diagnostic[];
  /** The file as shown. @default runbook.file */
  readonly sourcePath?: string;
}

/**
 * A runbook as normalised Markdown for GitHub: the prose as written, our
 * directives as GitHub alerts, the params, databases and hosts as tables
 * (secrets never valued), and the step graph as a Mermaid block.
 */
export function renderRunbookMarkdown(o: RunbookMarkdownOptions): string {
  const { runbook } = o;
  const model = buildDocsModel(runbook, o.diagnostics ?? []);
  const slugger = new GithubSlugger();
  const sections = runbook.sections.map((s) => sectionNodes(s, model, slugger));
  const first = runbook.sections[0];
  const intro =
    first &&
    first.stepId === undefined &&
    first.heading?.depth === 1 &&
    first.heading.text === runbook.title
      ? sections.shift()
      : undefined;
  const source = o.sourcePath ?? runbook.file;
  const children: RootContent[] = [
    ...(intro ?? [
      {
        type: "heading",
        depth: 1,
        children: [md.text(runbook.title)],
      } satisfies Heading,
    ]),
    md.paragraph({
      type: "emphasis",
      children: [
        md.text("Runbook "),
        md.code(source),
        md.text(` · ${plural(runbook.steps.length, "step")}. Run it with `),
        md.code(`runbook run ${source}`),
        md.text("."),
      ],
    }),
    ...problems(model.diagnostics),
    ...(runbook.steps.length > 0
      ? [
          md.paragraph(md.strong(md.text("Step graph"))),
          md.block("mermaid", renderGraph(runbook, "mermaid").trimEnd()),
        ]
      : []),
    ...factsMarkdown(model),
    { type: "thematicBreak" },
    ...sections.flat(),
  ];
  const root: Root = { type: "root", children };
  maskTree(root, model.masker.text);
  return stringifier.stringify(root);
}

function problems(diagnostics: readonly Diagnostic[]): RootContent[] {
  const shown = diagnostics.filter((d) => d.severity !== "info");
  if (shown.length === 0) return [];
  return [
    md.alert(
      "WARNING",
      [
        md.strong(md.text("This runbook has problems")),
        md.text(" (found by "),
        md.code("runbook lint"),
        md.text("):"),
      ],
      [
        {
          type: "list",
          ordered: false,
          spread: false,
          children: shown.map((d) => ({
            type: "listItem",
            spread: false,
            children: [
              md.paragraph(
                md.text(
                  `line ${d.line}: ${d.severity}: ${d.message} [${d.rule}]`,
                ),
              ),
            ],
          })),
        },
      ],
    ),
  ];
}

/** One section's nodes, with directives rewritten and step anchors kept. */
function sectionNodes(
  section: Section,
  model: DocsModel,
  slugger: GithubSlugger,
): RootContent[] {
  const step =
    section.stepId !== undefined ? model.steps.get(section.stepId) : undefined;
  const tree = parseSectionMarkdown(section.markdown, {
    textDirectives: "raw",
  });
  const ctx: MarkdownSectionContext = {
    model,
    file: section.file,
    startLine: section.startLine,
    markdown: section.markdown,
    ...(step ? { step } : {}),
  };
  let hasStepDirective = false;
  let firstHeading = true;

  const transform = (parent: Parents): void => {
    const out: RootContent[] = [];
    for (const child of parent.children as RootContent[]) {
      if (
        child.type === "leafDirective" ||
        child.type === "containerDirective"
      ) {
        if (child.name === "step") hasStepDirective = true;
        if (child.type === "containerDirective") transform(child);
        out.push(...directiveMarkdown(child, ctx));
        continue;
      }
      if (child.type === "heading") {
        const slug = slugger.slug(toString(child).trim());
        // GitHub anchors headings by slug; a step whose id is not that slug gets its own anchor.
        if (firstHeading && step && slug !== step.id)
          out.push(md.raw(`<a id="${step.id}"></a>`));
        firstHeading = false;
      }
      if (child.type === "code") {
        const line = actionLine(child, ctx);
        if (line) out.push(line);
      }
      if ("children" in child) transform(child as Parents);
      out.push(child);
    }
    (parent as { children: RootContent[] }).children = out;
  };
  transform(tree);
  if (step && !hasStepDirective) {
    const at = tree.children.findIndex((c) => c.type === "heading");
    tree.children.splice(at + 1, 0, stepLine(step, model));
  }
  if (step && firstHeading)
    tree.children.unshift(md.raw(`<a id="${step.id}"></a>`));
  return tree.children;
}
