import type { Nodes, Root } from "mdast";
import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import { toString } from "mdast-util-to-string";
import type { Action, ConfirmAction } from "../model/index.js";
import type { Check } from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import type { DirectiveUse, Sentinel } from "../model/index.js";
import {
  lineAt,
  locationOf,
  readCheck,
  sliceOf,
  stringAttributes,
} from "./checks.js";
import { codeBlockAction, readCodeBlock } from "./code-blocks.js";
import {
  ADMONITIONS,
  DIRECTIVE_ATTRIBUTES,
  RUNBOOK_DIRECTIVES,
} from "./directives.js";
import { suggest } from "./suggest.js";
import { locateBraceRefs } from "./refs.js";

export interface StepDirective {
  readonly at: SourceLocation;
  readonly id?: string;
  readonly title?: string;
  readonly needs?: readonly string[];
}

export interface IncludeUse {
  readonly at: SourceLocation;
  readonly file: string;
}

/** What one section holds, in document order. */
export interface SectionScan {
  readonly actions: Action[];
  readonly checks: Check[];
  step?: StepDirective;
  readonly sentinels: Sentinel[];
  readonly includes: IncludeUse[];
  readonly directives: DirectiveUse[];
  readonly diagnostics: Diagnostic[];
}

interface Ctx {
  readonly file: string;
  readonly source: string;
  readonly scan: SectionScan;
}

/** Walks a section's tree for actions, checks and directives (not inside `:::check` or `:::manual`). */
export function scanSection(
  tree: Root,
  file: string,
  source: string,
): SectionScan {
  const scan: SectionScan = {
    actions: [],
    checks: [],
    sentinels: [],
    includes: [],
    directives: [],
    diagnostics: [],
  };
  walk(tree, { file, source, scan });
  return scan;
}

function walk(node: Nodes, ctx: Ctx): void {
  if (node.type === "code") {
    const info = readCodeBlock(
      node,
      ctx.file,
      lineAt(ctx.source, node.position?.start.offset),
    );
    const { action, diagnostics } = codeBlockAction(info);
    ctx.scan.diagnostics.push(...diagnostics);
    if (action) ctx.scan.actions.push(action);
    return;
  }
  if (node.type === "leafDirective" || node.type === "containerDirective") {
    directive(node, ctx);
    return;
  }
  if (node.type === "paragraph") {
    // Code blocks and directives are flow content: nothing to find inside phrasing.
    brokenDirectives(node, ctx);
    return;
  }
  if (node.type === "heading") return;
  if ("children" in node)
    for (const child of node.children as Nodes[]) walk(child, ctx);
}

const LOOKS_LIKE_OURS =
  /^[ \t]*(:{2,})(step|manual|confirm|check|sentinel|include)(?=[{[\s]|$)/;

/**
 * A line that starts like one of our directives but stayed a paragraph could
 * not be read (an unbalanced quote, `\"` inside a quoted value): without this,
 * a check would silently become prose and never run.
 */
function brokenDirectives(node: Nodes, ctx: Ctx): void {
  const start = node.position?.start;
  const text = sliceOf(node, ctx.source);
  if (!start || !text.includes("::")) return;
  text.split("\n").forEach((line, i) => {
    const m = LOOKS_LIKE_OURS.exec(line);
    if (!m) return;
    const at = {
      file: ctx.file,
      line: start.line + i,
      column: (i === 0 ? start.column : 1) + line.indexOf(":"),
    };
    ctx.scan.diagnostics.push(
      diagnostic(
        at,
        "error",
        "directive",
        `cannot read this ${m[1]}${m[2]} directive: check its {attributes} — values with spaces need quotes, and a quote inside a value needs the other kind of quotes around it (sql='SELECT "x"')`,
      ),
    );
  });
}

function directive(node: LeafDirective | ContainerDirective, ctx: Ctx): void {
  const at = locationOf(node, ctx.file);
  const attributes = stringAttributes(node);
  const ours = RUNBOOK_DIRECTIVES.has(node.name);
  ctx.scan.directives.push({
    name: node.name,
    type: node.type,
    at,
    attributes,
    known: ours || ADMONITIONS.has(node.name),
  });
  const error = (message: string): void =>
    void ctx.scan.diagnostics.push(
      diagnostic(at, "error", "directive", message),
    );
  if (ours && node.name !== "check")
    unknownAttributes(node, attributes, at, ctx);

  switch (ours ? node.name : "") {
    case "check": {
      const { check, diagnostics } = readCheck(node, ctx);
      ctx.scan.diagnostics.push(...diagnostics);
      if (check) ctx.scan.checks.push(check);
      return;
    }
    case "manual": {
      const text =
        node.type === "leafDirective"
          ? toString(node).trim()
          : manualText(node, ctx.source);
      if (text === "" && !attributes["title"])
        error(
          "::manual needs text: ::manual[Stop the application] or a :::manual … ::: block",
        );
      ctx.scan.actions.push({
        kind: "manual",
        at,
        text: text || (attributes["title"] ?? ""),
      });
      return;
    }
    case "confirm": {
      const typed = attributes["type"];
      if (typed !== undefined && typed.trim() === "")
        error('::confirm{type=""} needs the text the operator must type');
      const prompt =
        attributes["prompt"] ??
        (typed ? `Type "${typed}" to continue` : "Continue?");
      const text = sliceOf(node, ctx.source);
      const action: ConfirmAction = {
        kind: "confirm",
        at,
        prompt,
        refs: locateBraceRefs(`${prompt} ${typed ?? ""}`, text, at),
        ...(typed ? { typed } : {}),
      };
      ctx.scan.actions.push(action);
      return;
    }
    case "step": {
      if (ctx.scan.step) {
        // Said relative to this one: a section's scan holds no absolute line in its text, so it can be cached where it moves (scan-cache.ts).
        const above = at.line - ctx.scan.step.at.line;
        error(
          `a section has one ::step directive; the first is ${above === 1 ? "the line above" : `${above} lines above`}`,
        );
        return;
      }
      const needs = attributes["needs"];
      ctx.scan.step = {
        at,
        ...(attributes["id"] !== undefined ? { id: attributes["id"] } : {}),
        ...(attributes["title"] !== undefined
          ? { title: attributes["title"] }
          : {}),
        ...(needs !== undefined
          ? { needs: needs.split(/[\s,]+/).filter(Boolean) }
          : {}),
      };
      if (
        attributes["id"] !== undefined &&
        !/^[A-Za-z0-9_][\w.-]*$/.test(attributes["id"])
      )
        error(
          `step id "${attributes["id"]}" may hold letters, digits, _, - and . only`,
        );
      return;
    }
    case "sentinel": {
      const name = attributes["id"];
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        error("::sentinel needs a variable name: ::sentinel{#last_write}");
      else ctx.scan.sentinels.push({ name, at });
      return;
    }
    case "include": {
      const file = attributes["file"];
      if (!file)
        error("::include needs a file: ::include{file=./common/part.md}");
      else ctx.scan.includes.push({ at, file });
      return;
    }
    default:
      // Admonitions and directives that are not ours: read through them.
      if (node.type === "containerDirective")
        for (const child of node.children) walk(child, ctx);
  }
}

/**
 * An attribute that one of our directives does not read is an error in every
 * command: `::confirm{typ="prod"}` must not silently become a yes/no gate.
 * (Checks read theirs in checks.ts, with the same rule.)
 */
function unknownAttributes(
  node: LeafDirective | ContainerDirective,
  attributes: Record<string, string>,
  at: SourceLocation,
  ctx: Ctx,
): void {
  const known = DIRECTIVE_ATTRIBUTES[node.name];
  if (!known) return;
  const text = sliceOf(node, ctx.source).split("\n")[0] ?? "";
  for (const key of Object.keys(attributes)) {
    if (known.has(key) || key === "class") continue;
    const index = new RegExp(
      `[{\\s"']${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=["']?\\s*[=}\\s])`,
    ).exec(text)?.index;
    const place =
      index === undefined ? at : { ...at, column: at.column + index + 1 };
    const meant = suggest(key, [...known]);
    ctx.scan.diagnostics.push(
      diagnostic(
        place,
        "error",
        "unknown-attribute",
        `unknown attribute ${key}= on ::${node.name}: ${meant ? `did you mean ${meant}=?` : `it reads ${[...known].map((k) => `${k}=`).join(", ")}`}`,
      ),
    );
  }
}

/** A `:::manual` body as Markdown, as the author wrote it. */
function manualText(node: ContainerDirective, source: string): string {
  const first = node.children.find(
    (c) =>
      !(c.data as { directiveLabel?: boolean } | undefined)?.directiveLabel,
  );
  const last = node.children.at(-1);
  const start = first?.position?.start.offset;
  const end = last?.position?.end.offset;
  const label = node.children.find(
    (c) => (c.data as { directiveLabel?: boolean } | undefined)?.directiveLabel,
  );
  const body =
    start !== undefined && end !== undefined ? source.slice(start, end) : "";
  return [label ? toString(label) : "", body]
    .filter(Boolean)
    .join("\n\n")
    .trim();
}
