import type { Element, ElementContent, Nodes, Root } from "hast";
import { h } from "hastscript";
import { toHtml } from "hast-util-to-html";
import { BASE_CSS } from "./styles-base.js";

export interface DocumentOptions {
  readonly title: string;
  /** CSS added after the base sheet. */
  readonly css: string;
  readonly body: ElementContent[];
  /** Masks any text left in the tree (the last line of defence for secrets). */
  readonly mask?: (text: string) => string;
}

/**
 * The content security policy every page carries: no script runs and nothing
 * is fetched, whatever the Markdown contained. Styles are inline.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** A complete, self-contained HTML page: inline CSS and SVG, no scripts, works from file://. */
export function htmlDocument(o: DocumentOptions): string {
  const root: Root = {
    type: "root",
    children: [
      { type: "doctype" },
      h("html", { lang: "en" }, [
        h("head", [
          h("meta", { charSet: "utf-8" }),
          h("meta", {
            name: "viewport",
            content: "width=device-width, initial-scale=1",
          }),
          h("meta", { name: "color-scheme", content: "light dark" }),
          h("meta", {
            httpEquiv: "Content-Security-Policy",
            content: CONTENT_SECURITY_POLICY,
          }),
          h("meta", { name: "generator", content: "runbook" }),
          h("title", o.title),
          h("style", BASE_CSS + o.css),
        ]),
        h("body", o.body),
      ]),
    ],
  };
  if (o.mask) maskHast(root, o.mask);
  return `${toHtml(root)}\n`;
}

/** Applies `mask` to every text node and string attribute, in place (styles excepted). */
export function maskHast(node: Nodes, mask: (text: string) => string): void {
  if (node.type === "text") {
    node.value = mask(node.value);
    return;
  }
  if (node.type === "element") {
    if (node.tagName === "style") return;
    for (const [key, value] of Object.entries(node.properties))
      if (typeof value === "string") node.properties[key] = mask(value);
  }
  if ("children" in node)
    for (const child of node.children) maskHast(child, mask);
}

export type { Element };
