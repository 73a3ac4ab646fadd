import type { Emphasis, Parents, Root, RootContent, Text } from "mdast";
import type { Properties } from "hast";

/**
 * Raw HTML in a runbook is kept only as a small set of harmless elements
 * (`<kbd>`, `<details>`, `<br>`, …) without attributes (except a checked
 * `href` and `details open`). Any other tag is shown as the text the author
 * wrote, so nothing can run a script, load a resource or restyle the page,
 * and no prose disappears; comments are dropped, as GitHub does.
 */
const ALLOWED = new Set([
  "a",
  "abbr",
  "b",
  "blockquote",
  "br",
  "cite",
  "code",
  "dd",
  "del",
  "details",
  "dfn",
  "div",
  "dl",
  "dt",
  "em",
  "hr",
  "i",
  "ins",
  "kbd",
  "li",
  "mark",
  "ol",
  "p",
  "pre",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "summary",
  "sup",
  "u",
  "ul",
  "var",
  "wbr",
]);
const VOID = new Set(["br", "hr", "wbr"]);
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<\/([A-Za-z][\w-]*)\s*>|<([A-Za-z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE =
  /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** A URL that may be a link target: relative, a fragment, http(s) or mailto. */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  if (!scheme) return trimmed;
  return ["http", "https", "mailto"].includes((scheme[1] ?? "").toLowerCase())
    ? trimmed
    : undefined;
}

/**
 * Makes a section's tree safe to turn into HTML, in place: raw HTML as above;
 * links with a `javascript:` (or any other unsafe) URL lose their target;
 * images become links to the image, so a page never fetches anything.
 */
export function sanitizeTree(tree: Root): void {
  visitParents(tree);
}

interface Frame {
  readonly tag: string;
  readonly properties: Properties;
  readonly children: RootContent[];
}

function visitParents(parent: Parents): void {
  const out: Frame = { tag: "", properties: {}, children: [] };
  const stack: Frame[] = [out];
  const top = (): Frame => stack[stack.length - 1] ?? out;
  const close = (depth: number): void => {
    while (stack.length > depth) {
      const frame = stack.pop();
      if (frame) top().children.push(element(frame));
    }
  };
  for (const child of parent.children as RootContent[]) {
    if (child.type !== "html") {
      top().children.push(...safeNode(child));
      continue;
    }
    let last = 0;
    for (const m of child.value.matchAll(TOKEN)) {
      if (m.index > last)
        top().children.push(text(child.value.slice(last, m.index)));
      last = m.index + m[0].length;
      const [whole, closing, opening, attributes = "", selfClosing] = m;
      if (whole.startsWith("<!--")) continue;
      if (closing !== undefined) {
        const name = closing.toLowerCase();
        const depth = stack.findLastIndex((f, i) => i > 0 && f.tag === name);
        if (depth > 0) close(depth);
        else if (!ALLOWED.has(name)) top().children.push(text(whole));
        continue;
      }
      const name = (opening ?? "").toLowerCase();
      if (!ALLOWED.has(name)) {
        top().children.push(text(whole));
        continue;
      }
      const frame: Frame = {
        tag: name,
        properties: allowedProperties(name, attributes),
        children: [],
      };
      if (VOID.has(name) || selfClosing) top().children.push(element(frame));
      else stack.push(frame);
    }
    if (last < child.value.length)
      top().children.push(text(child.value.slice(last)));
  }
  close(1);
  (parent as { children: RootContent[] }).children = out.children;
}

function safeNode(node: RootContent): RootContent[] {
  switch (node.type) {
    case "image": {
      const url = safeUrl(node.url);
      const label = text(`image: ${node.alt || node.url}`);
      return [
        url === undefined
          ? label
          : { type: "link", url, title: node.title ?? null, children: [label] },
      ];
    }
    case "imageReference":
      return [
        {
          type: "linkReference",
          identifier: node.identifier,
          label: node.label ?? null,
          referenceType: node.referenceType,
          children: [text(`image: ${node.alt ?? node.label ?? ""}`)],
        },
      ];
    case "link":
      if (safeUrl(node.url) === undefined) {
        visitParents(node);
        return node.children;
      }
      break;
    case "definition": {
      const url = safeUrl(node.url);
      if (url === undefined) node.url = "#";
      break;
    }
    default:
      break;
  }
  if ("children" in node) visitParents(node as Parents);
  return [node];
}

function allowedProperties(tag: string, attributes: string): Properties {
  const properties: Properties = {};
  for (const m of attributes.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? "").toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? "";
    if (tag === "a" && name === "href") {
      const url = safeUrl(value);
      if (url !== undefined) properties["href"] = url;
    } else if (tag === "details" && name === "open") properties["open"] = true;
    else if ((tag === "abbr" || tag === "a") && name === "title")
      properties["title"] = value;
  }
  return properties;
}

/**
 * An allowed element, carried through mdast as an `emphasis` node whose
 * `data.hName` makes mdast-util-to-hast emit the real tag.
 */
function element(frame: Frame): Emphasis {
  return {
    type: "emphasis",
    children: frame.children as Emphasis["children"],
    data: { hName: frame.tag, hProperties: frame.properties },
  };
}

function text(value: string): Text {
  return { type: "text", value };
}
