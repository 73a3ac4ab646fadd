import type { Element, ElementContent, Root as HastRoot } from "hast";
import { h } from "hastscript";
import { visit } from "unist-util-visit";
import type { Code, FootnoteReference, Heading } from "mdast";
import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import {
  defaultHandlers,
  toHast,
  type Handlers,
  type State,
} from "mdast-util-to-hast";
import { toString } from "mdast-util-to-string";
import type GithubSlugger from "github-slugger";
import type { CodeAction, Section } from "../../engine/model/index.js";
import { parseCodeAttributes } from "../../engine/parse/index.js";
import { actionCard, plainCode } from "./code-html.js";
import {
  renderDirective,
  stepMeta,
  type DirectiveContext,
} from "./directive-html.js";
import {
  isCode,
  stepTraits,
  type DocsModel,
  type Located,
} from "./docs-model.js";
import { parseSectionMarkdown } from "./markdown-tree.js";
import { maskTree } from "./mask-tree.js";
import { prepareAuthorTree, sanitizeAuthored, trust } from "./author-html.js";

export interface SectionOptions {
  readonly model: DocsModel;
  /** Slugs every heading of the page in document order, as GitHub does. */
  readonly slugger: GithubSlugger;
  /** Ids taken by steps and the page's own parts: a heading slug never reuses one. */
  readonly taken: ReadonlySet<string>;
  /** Position of the section on the page: keeps footnote ids apart. */
  readonly index: number;
}

/**
 * One section of the document as HTML: the author's prose exactly as
 * written, with code blocks as action cards and our directives as callouts.
 * A step's section is a `<section id="STEP-ID">` so `#STEP-ID` links work.
 */
export function renderSection(section: Section, o: SectionOptions): Element {
  const { model } = o;
  const step =
    section.stepId !== undefined ? model.steps.get(section.stepId) : undefined;
  const tree = parseSectionMarkdown(section.markdown, {
    definitions: model.runbook.definitions,
  });
  prepareAuthorTree(tree);
  maskTree(tree, model.masker.text);
  const ctx: DirectiveContext = {
    model,
    file: section.file,
    startLine: section.startLine,
    markdown: section.markdown,
    ...(step ? { step } : {}),
  };
  let firstHeading = true;
  let hasStepDirective = false;

  const handlers = {
    heading(state: State, node: Heading): Element {
      const slug = o.slugger.slug(toString(node).trim());
      const own = firstHeading && step !== undefined;
      firstHeading = false;
      const id = own || o.taken.has(slug) ? undefined : slug;
      const target = own ? step.id : id;
      const children: ElementContent[] = [];
      if (own)
        children.push(
          h(
            "span.step-no",
            { ariaHidden: "true" },
            String(model.position.get(step.id) ?? "·"),
          ),
        );
      children.push(...sanitizeAuthored(state.all(node)));
      if (target !== undefined)
        children.push(
          h(
            "a.anchor",
            { href: `#${target}`, ariaLabel: "Link to this section" },
            "#",
          ),
        );
      return trust(
        h(`h${node.depth}`, id !== undefined ? { id } : {}, children),
      );
    },
    code(_state: State, node: Code): Element {
      const line = section.startLine + (node.position?.start.line ?? 1) - 1;
      const located = model.actionAt(section.file, line);
      if (located && isCode(located.item))
        return trust(actionCard(located as Located<CodeAction>, model));
      const attributes = parseCodeAttributes(node.meta);
      const lang = (node.lang ?? "").toLowerCase();
      return trust(
        plainCode(
          node.value,
          lang,
          attributes.ok && attributes.attributes["run"] === "false",
          model.masker.text,
        ),
      );
    },
    leafDirective(
      state: State,
      node: LeafDirective,
    ): ElementContent | ElementContent[] {
      if (node.name === "step") hasStepDirective = true;
      return trust(renderDirective(state, node, ctx));
    },
    containerDirective(
      state: State,
      node: ContainerDirective,
    ): ElementContent | ElementContent[] {
      return trust(renderDirective(state, node, ctx));
    },
    footnoteReference(state: State, node: FootnoteReference) {
      return trust(defaultHandlers.footnoteReference(state, node));
    },
  } as unknown as Handlers;

  const root = toHast(tree, {
    handlers,
    clobberPrefix: `s${o.index}-`,
    allowDangerousHtml: true,
  }) as HastRoot;
  const children = sanitizeAuthored(
    (root.children as ElementContent[]).map(trustFootnotes),
  );
  if (!step) return h("section.context", children);

  if (!hasStepDirective) {
    const at = children.findIndex(
      (c) => c.type === "element" && /^h[1-6]$/.test(c.tagName),
    );
    children.splice(at + 1, 0, stepMeta(step, model));
  }
  const traits = stepTraits(step);
  return h(
    "section.step",
    {
      id: step.id,
      className: [
        ...(traits.manual ? ["step--manual"] : []),
        ...(traits.gate || traits.confirmBlock ? ["step--gate"] : []),
      ],
      dataStep: step.id,
    },
    children,
  );
}

/** The footnotes mdast-util-to-hast appends: its ids and back links are ours, each note's text the author's. */
function trustFootnotes(node: ElementContent): ElementContent {
  if (node.type !== "element" || node.properties["dataFootnotes"] !== true)
    return node;
  for (const list of node.children)
    if (list.type === "element" && list.tagName === "ol")
      for (const item of list.children)
        if (item.type === "element") {
          trust(
            selectAll(
              item,
              (e) => e.properties["dataFootnoteBackref"] === true,
            ),
          );
          item.children = sanitizeAuthored(item.children);
        }
  return trust(node);
}

function selectAll(root: Element, test: (e: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(root, "element", (e) => {
    if (test(e)) found.push(e);
  });
  return found;
}
