import type { Root } from "mdast";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import type { Runbook } from "../../engine/model/index.js";
import { createMasker } from "../html/index.js";
import { md } from "./mdast-build.js";

export interface MarkdownIndexEntry {
  readonly runbook: Runbook;
  /** Link to the runbook's Markdown page, relative to the index. */
  readonly href: string;
  readonly sourcePath: string;
}

/** `index.md`: every rendered runbook with its title, step count and databases. */
export function renderMarkdownIndex(
  entries: readonly MarkdownIndexEntry[],
  title = "Runbooks",
): string {
  const root: Root = {
    type: "root",
    children: [
      { type: "heading", depth: 1, children: [md.text(title)] },
      md.table(
        ["runbook", "steps", "databases", "file"],
        entries.map((e) => [
          md.link(
            e.href,
            md.text(createMasker(e.runbook).text(e.runbook.title)),
          ),
          md.text(String(e.runbook.steps.length)),
          md.text(e.runbook.databases.map((d) => d.name).join(", ") || "—"),
          md.code(e.sourcePath),
        ]),
      ),
    ],
  };
  return unified().use(remarkGfm).use(remarkStringify).stringify(root);
}
