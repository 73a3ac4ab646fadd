import type {
  BlockContent,
  Blockquote,
  Code,
  Html,
  InlineCode,
  Link,
  Paragraph,
  PhrasingContent,
  Strong,
  Table,
  TableRow,
  Text,
} from "mdast";

/** Small builders for the mdast the Markdown renderer writes. */
export const md = {
  text: (value: string): Text => ({ type: "text", value }),
  code: (value: string): InlineCode => ({ type: "inlineCode", value }),
  strong: (...children: PhrasingContent[]): Strong => ({
    type: "strong",
    children,
  }),
  link: (url: string, ...children: PhrasingContent[]): Link => ({
    type: "link",
    url,
    children,
  }),
  /** Raw text, written as is (GitHub alert markers, directives shown as written). */
  raw: (value: string): Html => ({ type: "html", value }),
  paragraph: (...children: PhrasingContent[]): Paragraph => ({
    type: "paragraph",
    children,
  }),
  block: (lang: string, value: string): Code => ({
    type: "code",
    lang,
    meta: null,
    value,
  }),
  /**
   * A GitHub alert (`> [!NOTE]`): a coloured callout on GitHub, a plain
   * quote elsewhere. The marker shares the first paragraph, as GitHub expects.
   */
  alert: (
    kind: "NOTE" | "TIP" | "IMPORTANT" | "WARNING" | "CAUTION",
    lead: PhrasingContent[],
    rest: BlockContent[] = [],
  ): Blockquote => ({
    type: "blockquote",
    children: [
      {
        type: "paragraph",
        children: [
          { type: "html", value: `[!${kind}]` },
          { type: "text", value: "\n" },
          ...lead,
        ],
      },
      ...rest,
    ],
  }),
  /** A GFM table; a cell is one piece of phrasing or several. */
  table: (
    headers: readonly string[],
    rows: readonly (PhrasingContent | PhrasingContent[])[][],
  ): Table => ({
    type: "table",
    align: headers.map(() => null),
    children: [
      row(headers.map((h) => [md.text(h)])),
      ...rows.map((cells) =>
        row(cells.map((c) => (Array.isArray(c) ? c : [c]))),
      ),
    ],
  }),
};

function row(cells: PhrasingContent[][]): TableRow {
  return {
    type: "tableRow",
    children: cells.map((children) => ({ type: "tableCell", children })),
  };
}

/** Joins phrasing pieces with a separator. */
export function joined(
  parts: readonly PhrasingContent[][],
  separator: string,
): PhrasingContent[] {
  return parts.flatMap((p, i) => (i === 0 ? p : [md.text(separator), ...p]));
}
