import type { Root } from "mdast";
import { visit } from "unist-util-visit";

/**
 * Masks secrets in every piece of text of a Markdown tree (prose, inline
 * code, code blocks, link targets), in place.
 */
export function maskTree(tree: Root, mask: (text: string) => string): void {
  visit(tree, (node) => {
    if (
      node.type === "text" ||
      node.type === "inlineCode" ||
      node.type === "html" ||
      node.type === "code"
    )
      node.value = mask(node.value);
    if (node.type === "link" || node.type === "definition")
      node.url = mask(node.url);
  });
}
