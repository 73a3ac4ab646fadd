import type { Nodes, Root } from 'mdast';

/**
 * Masks secrets in every piece of text of a Markdown tree (prose, inline
 * code, code blocks, link targets), in place.
 */
export function maskTree(tree: Root, mask: (text: string) => string): void {
  const visit = (node: Nodes): void => {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'html' || node.type === 'code') node.value = mask(node.value);
    if (node.type === 'link' || node.type === 'definition') node.url = mask(node.url);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
}
