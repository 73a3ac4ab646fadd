import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import { toString } from "mdast-util-to-string";
import type { Check, Expectation, TableExpectation } from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import { locateOffset, type SourceLocation } from "../model/index.js";
import type { VarRef } from "../model/index.js";
import { readCodeBlock, sqlRefs } from "./code-blocks.js";
import {
  attributeLocator,
  checkAttributeProblems,
} from "./known-attributes.js";
import { parseInline } from "./markdown.js";
import { SHELL_LANGS, SQL_LANGS } from "./directives.js";
import { AttributeReader } from "./options.js";
import { locateBraceRefs } from "./refs.js";

export interface CheckContext {
  readonly file: string;
  /** The whole (normalised) document: directive positions index into it. */
  readonly source: string;
}

type DirectiveNode = LeafDirective | ContainerDirective;

/** Attributes of a leaf check that hold its code, never interpolated. */
const CODE_KEYS = new Set(["sql", "sh", "bash"]);

/** `::check{sql=… | sh=…}` or `:::check` holding one `sql` or `sh` block and maybe a GFM table. */
export function readCheck(
  node: DirectiveNode,
  ctx: CheckContext,
): { check?: Check; diagnostics: Diagnostic[] } {
  const at = locationOf(node, ctx.file);
  const text = sliceOf(node, ctx.source);
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [...diagnostics, diagnostic(at, "error", "check", message)],
  });

  let attributes: Record<string, string> = stringAttributes(node);
  // SPEC 1.3: an attribute a check does not read is an error, never silently dropped.
  const container = node.type === "containerDirective";
  const ownText = container ? (text.split("\n", 1)[0] ?? "") : text;
  diagnostics.push(
    ...checkAttributeProblems({
      attributes,
      where: container ? ":::check" : "::check",
      block: false,
      container,
      locate: attributeLocator(ownText, at),
    }),
  );
  let code: string;
  let codeAt: SourceLocation;
  let kind: "sql" | "sh";
  let shell: "sh" | "bash" = "sh";
  let table: TableExpectation | undefined;
  const refs: VarRef[] = [];

  if (node.type === "leafDirective") {
    const sources = (["sql", "sh", "bash"] as const).filter(
      (k) => attributes[k] !== undefined,
    );
    if (sources.length !== 1)
      return fail(
        '::check needs exactly one of sql="…" or sh="…" (or use a :::check container with a code block)',
      );
    const key = sources[0] ?? "sql";
    code = attributes[key] ?? "";
    kind = key === "sql" ? "sql" : "sh";
    shell = key === "bash" ? "bash" : "sh";
    codeAt = attributeValueAt(text, key, at);
    if (kind === "sql") refs.push(...sqlRefs(code, codeAt));
  } else {
    const blocks = node.children.filter((c) => c.type === "code");
    if (blocks.length !== 1 || !blocks[0])
      return fail(":::check must hold exactly one ```sql or ```sh code block");
    const block = readCodeBlock(
      blocks[0],
      ctx.file,
      lineAt(ctx.source, blocks[0].position?.start.offset),
    );
    diagnostics.push(...block.diagnostics);
    const lang = block.block.lang;
    const blockShell = SHELL_LANGS[lang];
    if (SQL_LANGS.has(lang)) kind = "sql";
    else if (blockShell) {
      kind = "sh";
      shell = blockShell;
    } else
      return fail(
        `a check's code block must be sql or sh, not "${lang || "plain"}" (psql meta-commands cannot be checked)`,
      );
    diagnostics.push(
      ...checkAttributeProblems({
        attributes: block.block.attributes,
        where: "the block of a :::check",
        block: true,
        container: true,
        locate: block.locate,
      }),
    );
    attributes = { ...block.block.attributes, ...attributes };
    code = block.block.code;
    codeAt = block.block.codeAt;
    refs.push(...block.block.refs);
    if (kind === "sql") refs.push(...sqlRefs(code, codeAt));
    const parsedTable = readTable(node, ctx);
    if (parsedTable) table = parsedTable;
    if (
      node.children.some(
        (c) => c.type === "paragraph" && /^\s*\|/.test(sliceOf(c, ctx.source)),
      ) &&
      !table
    ) {
      return fail(
        "the table in this :::check is not a valid GFM table (a header row, then a | --- | row)",
      );
    }
  }

  const r = new AttributeReader(attributes, at);
  // SPEC 1.1: every attribute but code (sh=, sql=) interpolates, so every one is checked
  // before anything runs. A container's block already located its own attributes' uses.
  for (const [key, value] of Object.entries(stringAttributes(node))) {
    if (!CODE_KEYS.has(key)) refs.push(...locateBraceRefs(value, ownText, at));
  }
  const expectation = readExpectation(r, table);
  const waitMs = r.duration("wait");
  const everyMs = r.duration("every");
  const timeoutMs = r.duration("timeout");
  const exit = r.integer("exit", { min: 0, max: 255 }) ?? 0;
  const db = r.string("db");
  const only = r.oneOf("only", ["live", "rehearsal"] as const);
  const user = r.string("user");
  const on = r.string("on");
  const cwd = r.string("cwd");
  if (
    kind === "sql" &&
    (user !== undefined || on !== undefined || cwd !== undefined)
  )
    r.error(
      "user=, on= and cwd= apply to shell checks; a SQL check runs on its db= connection",
    );
  if (kind === "sql" && r.has("exit"))
    r.error(
      "exit= applies to shell checks: a SQL check has no exit status (an error fails it)",
    );
  diagnostics.push(...r.diagnostics);
  // A wait= that ${…} fills in at run time has no value yet, but it is there.
  if (everyMs !== undefined && waitMs === undefined && !r.has("wait"))
    diagnostics.push(
      diagnostic(at, "warning", "check", "every= has no effect without wait="),
    );

  const base = {
    at,
    code,
    codeAt,
    expectation,
    form:
      node.type === "leafDirective"
        ? ("leaf" as const)
        : ("container" as const),
    attributes,
    refs,
    ...(waitMs !== undefined ? { waitMs } : {}),
    ...(everyMs !== undefined ? { everyMs } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(only !== undefined ? { only } : {}),
  };
  const shellPlace = {
    ...(user !== undefined ? { user } : {}),
    ...(on !== undefined ? { on } : {}),
    ...(cwd !== undefined ? { cwd } : {}),
  };
  const check: Check =
    kind === "sql"
      ? { ...base, kind }
      : { ...base, kind, shell, exit, ...shellPlace };
  return { check, diagnostics };
}

function readExpectation(
  r: AttributeReader,
  table: TableExpectation | undefined,
): Expectation {
  const expectation: { -readonly [K in keyof Expectation]: Expectation[K] } = {
    empty: r.flag("empty"),
    ordered: r.flag("ordered"),
  };
  const expect = r.string("expect");
  if (expect !== undefined) expectation.expect = expect;
  // The readers leave a value with ${…} for run time, where the step's variables fill it in.
  const match = r.regex("match");
  if (match !== undefined) expectation.match = match;
  const rows = r.rows("rows");
  if (rows !== undefined) expectation.rows = rows;
  if (table) expectation.table = table;
  return expectation;
}

/**
 * The GFM table in a `:::check` body, read by GFM's own rules: a header row,
 * a delimiter row with as many cells, then body rows (missing cells are
 * empty, extra ones ignored); rows split at unescaped pipes; each cell's
 * inline Markdown (`code`, \| escapes, emphasis) read by remark. The
 * micromark table extension would cost a tenth of a second of start-up for
 * every command, and a full parse per table.
 */
function readTable(
  node: ContainerDirective,
  ctx: CheckContext,
): TableExpectation | undefined {
  for (const child of node.children) {
    if (child.type !== "paragraph") continue;
    const start = child.position?.start;
    const text = sliceOf(child, ctx.source);
    const [head = "", delimiter = "", ...body] = text.split("\n");
    if (!start || (!delimiter.includes("|") && !head.includes("|"))) continue;
    const widths = splitRow(delimiter);
    const columns = splitRow(head);
    if (
      widths.length === 0 ||
      !widths.every((c) => /^:?-+:?$/.test(c)) ||
      columns.length !== widths.length
    ) {
      if (/^\s*\|/.test(text)) return undefined;
      continue;
    }
    const cells = (row: string): string[] => {
      const raw = splitRow(row);
      return columns.map((_, i) => cellText(raw[i] ?? ""));
    };
    return {
      columns: columns.map(cellText),
      rows: body.filter((line) => line.trim() !== "").map(cells),
      at: { file: ctx.file, line: start.line, column: start.column },
    };
  }
  return undefined;
}

/** A GFM table row's cells: split at pipes that are not escaped, outer pipes dropped. */
function splitRow(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  if (trimmed === "") return [];
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim());
}

/** A cell's text: plain cells as they are, others through remark's inline parser. */
function cellText(cell: string): string {
  if (!/[\\`*_[\]<>&!~]/.test(cell)) return cell;
  // In a table, `\|` is a pipe in the cell, also inside a code span.
  return toString(parseInline(cell.replace(/\\\|/g, "|"))).trim();
}

export function stringAttributes(node: DirectiveNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attributes ?? {}))
    if (typeof v === "string") out[k] = v;
  return out;
}

export function locationOf(
  node: { position?: { start: { line: number; column: number } } | undefined },
  file: string,
): SourceLocation {
  return {
    file,
    line: node.position?.start.line ?? 1,
    column: node.position?.start.column ?? 1,
  };
}

export function sliceOf(
  node: {
    position?:
      | {
          start: { offset?: number | undefined };
          end: { offset?: number | undefined };
        }
      | undefined;
  },
  source: string,
): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined
    ? ""
    : source.slice(start, end);
}

/** The whole line of `source` containing `offset`. */
export function lineAt(source: string, offset: number | undefined): string {
  if (offset === undefined) return "";
  const start = source.lastIndexOf("\n", offset - 1) + 1;
  const end = source.indexOf("\n", offset);
  return source.slice(start, end < 0 ? source.length : end);
}

/** Where the value of `key=` starts inside a directive's text (after its quote). */
const VALUE_START: Record<string, RegExp> = {
  sql: /[{\s]sql\s*=\s*(["']?)/,
  sh: /[{\s]sh\s*=\s*(["']?)/,
  bash: /[{\s]bash\s*=\s*(["']?)/,
};

function attributeValueAt(
  text: string,
  key: "sql" | "sh" | "bash",
  at: SourceLocation,
): SourceLocation {
  const m = VALUE_START[key]?.exec(text);
  return m ? locateOffset(text, m.index + m[0].length, at) : at;
}
