import type { Section } from "../../engine/model/index.js";
import { seg, type Line, type Seg } from "./segments.js";

/** A logical line of prose: word-wrapped when drawn, continuation rows start with `indent`. */
export interface ProseLine {
  readonly line: Line;
  readonly indent: Line;
}

/** The mdast fields prose needs (directives included, whatever extension made them). */
interface MdNode {
  readonly type: string;
  readonly value?: string;
  readonly name?: string;
  readonly url?: string;
  readonly alt?: string | null;
  readonly depth?: number;
  readonly ordered?: boolean | null;
  readonly start?: number | null;
  readonly checked?: boolean | null;
  readonly children?: readonly MdNode[];
}

/** Parts of a section that the UI shows elsewhere (code, checks, gates, manual steps) or never (HTML, front matter). */
const SKIPPED = new Set([
  "code",
  "html",
  "yaml",
  "toml",
  "definition",
  "footnoteDefinition",
  "thematicBreak",
  "leafDirective",
]);
const SHOWN_ELSEWHERE = new Set([
  "check",
  "manual",
  "step",
  "confirm",
  "sentinel",
  "include",
]);

/**
 * The prose of a step: its context sections (with their headings), then the
 * step's own text without its heading, code blocks and directives, which the
 * UI shows as actions. Markdown becomes plain lines: lists get bullets,
 * quotes a bar, inline code its backticks.
 */
export function proseOf(
  sections: readonly Section[],
  own?: Section,
): ProseLine[] {
  const out: ProseLine[] = [];
  for (const section of sections)
    blocks(
      section.tree.children as unknown as readonly MdNode[],
      out,
      [],
      true,
    );
  if (own)
    blocks(own.tree.children as unknown as readonly MdNode[], out, [], false);
  while (out.length > 0 && isBlank(out[out.length - 1])) out.pop();
  while (out.length > 0 && isBlank(out[0])) out.shift();
  return out;
}

function isBlank(line: ProseLine | undefined): boolean {
  return line !== undefined && line.line.every((s) => s.text.trim() === "");
}

function blank(out: ProseLine[]): void {
  if (out.length > 0 && !isBlank(out[out.length - 1]))
    out.push({ line: [], indent: [] });
}

function blocks(
  nodes: readonly MdNode[],
  out: ProseLine[],
  prefix: Line,
  headings: boolean,
): void {
  for (const node of nodes) {
    if (SKIPPED.has(node.type)) continue;
    switch (node.type) {
      case "heading":
        if (!headings) continue;
        blank(out);
        out.push({
          line: [...prefix, seg(text(node.children ?? []), "heading")],
          indent: prefix,
        });
        continue;
      case "paragraph":
        blank(out);
        paragraph(node, out, prefix, prefix);
        continue;
      case "blockquote":
        blank(out);
        blocks(
          node.children ?? [],
          out,
          [...prefix, seg("│ ", "dim")],
          headings,
        );
        continue;
      case "list": {
        blank(out);
        let n = node.start ?? 1;
        for (const item of node.children ?? []) {
          const bullet = node.ordered
            ? `${n++}. `
            : item.checked === true
              ? "☑ "
              : item.checked === false
                ? "☐ "
                : "• ";
          const hang = [...prefix, seg(" ".repeat(bullet.length))];
          let first = true;
          for (const child of item.children ?? []) {
            if (child.type === "paragraph") {
              paragraph(
                child,
                out,
                first ? [...prefix, seg(bullet, "dim")] : hang,
                hang,
              );
              first = false;
            } else {
              blocks([child], out, hang, headings);
            }
          }
        }
        continue;
      }
      case "table":
        blank(out);
        for (const row of node.children ?? []) {
          const cells = (row.children ?? []).map((c) => text(c.children ?? []));
          out.push({
            line: [...prefix, seg(cells.join(" │ "))],
            indent: prefix,
          });
        }
        continue;
      case "containerDirective":
        if (SHOWN_ELSEWHERE.has(node.name ?? "")) continue;
        blank(out);
        // An admonition (:::warning …): its name as a label, its text indented.
        out.push({
          line: [...prefix, seg(`${capitalize(node.name ?? "note")}:`, "bold")],
          indent: prefix,
        });
        blocks(node.children ?? [], out, [...prefix, seg("  ")], headings);
        continue;
      default:
        if (node.children) blocks(node.children, out, prefix, headings);
    }
  }
}

function paragraph(
  node: MdNode,
  out: ProseLine[],
  first: Line,
  indent: Line,
): void {
  // A hard break starts a new logical line.
  let line: Seg[] = [...first];
  const flush = (): void => {
    out.push({ line, indent });
    line = [...indent];
  };
  for (const s of inline(node.children ?? [])) {
    if (s.text === "\n") flush();
    else line.push(s);
  }
  flush();
}

function inline(nodes: readonly MdNode[], strong = false): Seg[] {
  const out: Seg[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case "text":
        // Soft line breaks in the source are spaces on screen.
        out.push(
          seg(
            (node.value ?? "").replace(/\s*\n\s*/g, " "),
            strong ? "bold" : undefined,
          ),
        );
        break;
      case "inlineCode":
        out.push(seg(`\`${node.value ?? ""}\``, "inline-code"));
        break;
      case "break":
        out.push(seg("\n"));
        break;
      case "strong":
        out.push(...inline(node.children ?? [], true));
        break;
      case "link": {
        const label = text(node.children ?? []);
        out.push(...inline(node.children ?? [], strong));
        if (node.url && node.url !== label && !node.url.startsWith("#"))
          out.push(seg(` (${node.url})`, "dim"));
        break;
      }
      case "image":
        out.push(seg(`[${node.alt ?? "image"}]`, "dim"));
        break;
      case "html":
        break;
      default:
        if (node.children) out.push(...inline(node.children, strong));
        else if (node.value) out.push(seg(node.value));
    }
  }
  return out;
}

function text(nodes: readonly MdNode[]): string {
  return inline(nodes)
    .map((s) => s.text)
    .join("");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
