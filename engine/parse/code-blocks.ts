import type { Code } from "mdast";
import type {
  Action,
  CodeBlock,
  ConsoleCommand,
  FileMode,
} from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import type { VarRef } from "../model/index.js";
import { scanPsqlVariables } from "../sql/index.js";
import { parseCodeAttributes } from "./attributes.js";
import {
  CONSOLE_LANGS,
  PSQL_LANGS,
  SHELL_LANGS,
  SQL_LANGS,
} from "./directives.js";
import {
  attributeLocator,
  blockAttributeProblems,
  type AttributeLocator,
  type BlockKind,
} from "./known-attributes.js";
import { AttributeReader, readExecOptions } from "./options.js";
import { locateBraceRefs } from "./refs.js";

export interface CodeInfo {
  readonly block: CodeBlock;
  /** Problems with the info string: they count only for a block that runs (SPEC 1.3). */
  readonly diagnostics: Diagnostic[];
  /** Where an attribute is written on the fence line. */
  readonly locate: AttributeLocator;
}

/**
 * Where a fenced block is, what it says and its attributes. `fenceLine` is the
 * block's first line as written, used to point at `${name}` uses and at
 * attributes. Words after the language that are not an attribute block are a
 * comment, and are not kept.
 */
export function readCodeBlock(
  node: Code,
  file: string,
  fenceLine: string,
): CodeInfo {
  const start = node.position?.start ?? { line: 1, column: 1 };
  const at: SourceLocation = { file, line: start.line, column: start.column };
  const codeAt: SourceLocation = {
    file,
    line: start.line + 1,
    column: start.column,
  };
  const fence = fenceLine.slice(start.column - 1);
  const diagnostics: Diagnostic[] = [];
  const parsed = parseCodeAttributes(node.meta);
  if (!parsed.ok) {
    // The meta starts after the fence, the language and the blanks after it.
    const meta = /^(?:`{3,}|~{3,})[ \t]*\S+[ \t]+/.exec(fence)?.[0].length;
    const place =
      meta !== undefined && parsed.offset !== undefined
        ? { ...at, column: at.column + meta + parsed.offset }
        : at;
    diagnostics.push(diagnostic(place, "error", "attribute", parsed.message));
  }
  const attributes = parsed.ok ? parsed.attributes : {};
  const refs: VarRef[] = [];
  const lineAt: SourceLocation = { file, line: at.line, column: 1 };
  for (const value of Object.values(attributes))
    refs.push(...locateBraceRefs(value, fenceLine, lineAt));
  return {
    block: {
      at,
      lang: (node.lang ?? "").toLowerCase(),
      code: node.value,
      codeAt,
      attributes,
      refs,
    },
    diagnostics,
    locate: attributeLocator(fence, at),
  };
}

/** What runs a block of this language, or undefined for one that is only shown (unless it has `file=`). */
export function languageKind(
  lang: string,
): Exclude<BlockKind, "file"> | undefined {
  if (SHELL_LANGS[lang]) return "sh";
  if (CONSOLE_LANGS.has(lang)) return "console";
  if (SQL_LANGS.has(lang)) return "sql";
  if (PSQL_LANGS.has(lang)) return "psql";
  return undefined;
}

/** The uses of psql variables (`:'x'`, `:"x"`, `:x`) in SQL text, located in the file. */
export function sqlRefs(code: string, codeAt: SourceLocation): VarRef[] {
  const refs: VarRef[] = [];
  for (const use of scanPsqlVariables(code)) {
    // `:{?name}` asks whether a variable is defined: not a use of its value.
    if (!use.plausible || use.syntax === "psql-defined") continue;
    refs.push({
      name: use.name,
      syntax: use.syntax,
      at: {
        file: codeAt.file,
        line: codeAt.line + use.line - 1,
        column: codeAt.column + use.column - 1,
      },
    });
  }
  return refs;
}

/**
 * Turns a fenced code block into an action, or undefined when it is only
 * shown: another language without `file=` (never validated, whatever its
 * info string holds), or `run=false`.
 */
export function codeBlockAction(info: CodeInfo): {
  action?: Action;
  diagnostics: Diagnostic[];
} {
  const { block } = info;
  const langKind = languageKind(block.lang);
  if (langKind === undefined && !Object.hasOwn(block.attributes, "file"))
    return { diagnostics: [] };
  const r = new AttributeReader(block.attributes, block.at);
  const diagnostics = [...info.diagnostics];
  const done = (
    action?: Action,
  ): { action?: Action; diagnostics: Diagnostic[] } => {
    diagnostics.push(...r.diagnostics);
    return action ? { action, diagnostics } : { diagnostics };
  };
  // `run=false` is shown, never run; a run= that ${} fills in is decided when the step starts.
  const run = r.string("run");
  if (run !== undefined && !run.includes("${") && !r.flag("run")) return done();
  const kind: BlockKind = r.has("file") ? "file" : (langKind ?? "file");
  diagnostics.push(
    ...blockAttributeProblems({
      attributes: block.attributes,
      kind,
      lang: block.lang,
      locate: info.locate,
    }),
  );
  const options = readExecOptions(r);

  if (kind === "file") {
    const path = r.string("file") ?? "";
    if (path.trim() === "") r.error("file= needs a path");
    const mode: FileMode =
      r.oneOf("mode", ["replace", "append", "block"] as const) ?? "replace";
    const raw = r.flag("raw");
    const refs = raw
      ? block.refs
      : [
          ...block.refs,
          ...locateBraceRefs(block.code, block.code, block.codeAt),
        ];
    return done({ ...block, refs, kind: "file", path, mode, raw, options });
  }
  const shell = SHELL_LANGS[block.lang];
  if (shell) return done({ ...block, kind: "sh", shell, options });
  if (kind === "console")
    return done({
      ...block,
      kind: "console",
      commands: consoleCommands(block.code, block.codeAt),
      options,
    });
  if (kind === "sql")
    return done({
      ...block,
      refs: [...block.refs, ...sqlRefs(block.code, block.codeAt)],
      kind: "sql",
      options,
    });
  return done({
    ...block,
    refs: [...block.refs, ...sqlRefs(block.code, block.codeAt)],
    kind: "psql",
    options,
  });
}

/**
 * Splits a console transcript: lines starting with `$ ` are commands, the
 * lines after each (up to the next command) are the output it must print.
 */
export function consoleCommands(
  code: string,
  codeAt: SourceLocation,
): ConsoleCommand[] {
  const commands: {
    command: string;
    expected: string[];
    at: SourceLocation;
  }[] = [];
  const lines = code.split("\n");
  lines.forEach((line, i) => {
    if (line.startsWith("$ ") || line === "$") {
      commands.push({
        command: line.slice(2),
        expected: [],
        at: { file: codeAt.file, line: codeAt.line + i, column: codeAt.column },
      });
    } else {
      commands.at(-1)?.expected.push(line);
    }
  });
  for (const c of commands)
    while (c.expected.length > 0 && c.expected.at(-1)?.trim() === "")
      c.expected.pop();
  return commands;
}
