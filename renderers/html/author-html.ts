import type { Element, ElementContent, Root as HastRoot, Nodes } from "hast";
import { raw } from "hast-util-raw";
import { defaultSchema, sanitize, type Schema } from "hast-util-sanitize";
import { htmlTagNames } from "html-tag-names";
import type { Root } from "mdast";
import { SKIP, visit } from "unist-util-visit";

/** Stands in for a trusted element while the author's HTML is parsed; an author cannot write one (an unknown tag stays text). */
const SLOT = "runbook-slot";

/**
 * What the author's raw HTML may keep: GitHub's own rules (hast-util-sanitize's
 * `defaultSchema` is GitHub's sanitiser), with GitHub's few extra phrasing tags,
 * and nothing that fetches: a page never loads an image, so `<img>` is turned
 * into a link before sanitising (as Markdown images are) and `picture`/`source`
 * go. Ids and names get GitHub's `user-content-` prefix, so an author's
 * `id="fetch"` never hijacks the `#fetch` anchor of a step.
 */
const SCHEMA: Schema = {
  ...defaultSchema,
  tagNames: [
    ...(defaultSchema.tagNames ?? []).filter(
      (t) => !["img", "picture", "source"].includes(t),
    ),
    ...["abbr", "bdo", "caption", "cite", "dfn", "figcaption", "figure"],
    ...["mark", "small", "time", "wbr", SLOT],
  ],
  attributes: {
    ...defaultSchema.attributes,
    [SLOT]: ["dataSlot"],
  },
  strip: ["script", "style", "template"],
};

const KNOWN = new Set(htmlTagNames);
const TAG = /<(\/?)([A-Za-z][^\s/>]*)/g;

/**
 * Prepares a section's Markdown tree for HTML, in place. A "tag" that is no
 * HTML element (`<your-host>`, `<new-primary-ip>`) is a placeholder the
 * operator must see, so it is escaped to stay text (GitHub drops it; a
 * runbook page must not lose it). Images become links to the image, so a
 * page never fetches anything.
 */
export function prepareAuthorTree(tree: Root): void {
  visit(tree, (node, index, parent) => {
    if (node.type === "html") {
      node.value = node.value.replace(
        TAG,
        (whole, slash: string, name: string) =>
          KNOWN.has(name.toLowerCase()) ? whole : `&lt;${slash}${name}`,
      );
      return;
    }
    if (node.type !== "image" && node.type !== "imageReference") return;
    if (!parent || index === undefined) return;
    const label = {
      type: "text" as const,
      value: `image: ${node.alt || (node.type === "image" ? node.url : (node.label ?? ""))}`,
    };
    parent.children[index] =
      node.type === "image"
        ? {
            type: "link",
            url: node.url,
            title: node.title ?? null,
            children: [label],
          }
        : {
            type: "linkReference",
            identifier: node.identifier,
            label: node.label ?? null,
            referenceType: node.referenceType,
            children: [label],
          };
    return SKIP;
  });
}

const trustedElements = new WeakSet<Element>();

/** Marks elements the renderer built (cards, callouts, anchors): kept as they are by {@link sanitizeAuthored}. */
export function trust<T extends ElementContent | ElementContent[]>(
  nodes: T,
): T {
  for (const node of Array.isArray(nodes) ? nodes : [nodes])
    if (node.type === "element") trustedElements.add(node);
  return nodes;
}

interface SlotNode {
  readonly type: "runbookSlot";
  readonly slot: number;
}

/**
 * The author's part of the page (mdast-util-to-hast output with
 * `allowDangerousHtml`, so raw HTML is `raw` nodes), parsed by a real HTML
 * parser (hast-util-raw, with GFM's tag filter, so `<script>`, `<style>`,
 * `<textarea>`, `<title>`… stay text as on GitHub) and sanitised
 * (hast-util-sanitize) by GitHub's rules. Elements marked with {@link trust}
 * pass through both untouched, in place: they already hold sanitised author content.
 */
export function sanitizeAuthored(nodes: ElementContent[]): ElementContent[] {
  const kept: Element[] = [];
  let html = false;
  const slotted = nodes.map(function swap(node): ElementContent {
    if ((node as Nodes).type === "raw") html = true;
    if (node.type !== "element") return node;
    if (trustedElements.has(node)) {
      kept.push(node);
      return {
        type: "runbookSlot",
        slot: kept.length - 1,
      } as unknown as ElementContent;
    }
    return { ...node, children: node.children.map(swap) };
  });
  const fragment: HastRoot = { type: "root", children: slotted };
  // Without raw HTML there is nothing to parse (most sections): only links to check.
  const parsed = html
    ? (raw(fragment, {
        passThrough: ["runbookSlot"],
        tagfilter: true,
      }) as HastRoot)
    : fragment;
  visit(parsed, (node, index, parent) => {
    if (
      node.type === "element" &&
      node.tagName === "img" &&
      parent &&
      index !== undefined
    ) {
      const alt = node.properties["alt"];
      const src = node.properties["src"];
      parent.children[index] = {
        type: "element",
        tagName: "a",
        properties: typeof src === "string" ? { href: src } : {},
        children: [
          { type: "text", value: `image: ${String(alt ?? src ?? "")}` },
        ],
      };
      return SKIP;
    }
    if (
      (node as Nodes | SlotNode).type !== "runbookSlot" ||
      !parent ||
      index === undefined
    )
      return;
    parent.children[index] = {
      type: "element",
      tagName: SLOT,
      properties: { dataSlot: String((node as unknown as SlotNode).slot) },
      children: [],
    };
  });
  const clean = sanitize(parsed, SCHEMA) as HastRoot;
  const restored = new Set<number>();
  visit(clean, "element", (node, index, parent) => {
    if (node.tagName !== SLOT || !parent || index === undefined) return;
    const slot = Number(node.properties["dataSlot"]);
    const element = kept[slot];
    if (!element) return;
    restored.add(slot);
    parent.children[index] = element;
    return SKIP;
  });
  // What the renderer built is never lost, whatever the author's HTML did to the tree around it.
  const lost = kept.filter((_, i) => !restored.has(i));
  return [...(clean.children as ElementContent[]), ...lost];
}
