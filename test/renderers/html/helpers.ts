import { readdirSync } from "node:fs";
import path from "node:path";
import { parseHTML } from "linkedom";
import { parseRunbookFile } from "../../../engine/parse/index.js";
import type { Diagnostic, Runbook } from "../../../engine/model/index.js";
import { renderRunbookPage } from "../../../renderers/html/index.js";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const CONFORMANCE = path.resolve(ROOT, "../shared/conformance");

/** Every conformance runbook and example, as absolute paths. */
export function allRunbookFiles(): string[] {
  const list = (dir: string): string[] =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => path.join(dir, f));
  return [...list(CONFORMANCE), ...list(path.join(ROOT, "examples"))];
}

export function conformance(name: string): string {
  return path.join(CONFORMANCE, name);
}

/** A page's DOM, parsed the way a browser would (not string matching). */
export function dom(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

export interface Rendered {
  readonly runbook: Runbook;
  readonly diagnostics: readonly Diagnostic[];
  readonly html: string;
  readonly document: Document;
}

export function renderFile(file: string): Rendered {
  const { runbook, diagnostics } = parseRunbookFile(file);
  const html = renderRunbookPage({
    runbook,
    diagnostics,
    sourcePath: path.relative(ROOT, file),
    indexHref: "index.html",
  });
  return { runbook, diagnostics, html, document: dom(html) };
}

/** All text a reader could see or a tool could read: text, attributes, the raw source. */
export function everything(r: { html: string; document: Document }): string {
  return `${r.html}\n${r.document.documentElement.textContent ?? ""}`;
}

/** The elements matching `selector` under `root`, as an array (none when `root` is missing). */
export function all(
  root: ParentNode | null | undefined,
  selector: string,
): Element[] {
  return root ? Array.from(root.querySelectorAll(selector)) : [];
}
