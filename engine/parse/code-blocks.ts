import type { Code } from 'mdast';
import type { Action, CodeBlock, ConsoleCommand, FileMode } from '../model/action.js';
import { diagnostic, type Diagnostic } from '../model/diagnostic.js';
import type { SourceLocation } from '../model/location.js';
import type { VarRef } from '../model/runbook.js';
import { scanPsqlVariables } from '../sql/index.js';
import { parseCodeAttributes } from './attributes.js';
import { CONSOLE_LANGS, PSQL_LANGS, SHELL_LANGS, SQL_LANGS } from './directives.js';
import { AttributeReader, readExecOptions } from './options.js';
import { locateBraceRefs } from './refs.js';

export interface CodeInfo {
  readonly block: CodeBlock;
  readonly diagnostics: Diagnostic[];
}

/**
 * Where a fenced block is, what it says and its attributes. `fenceLine` is the
 * block's first line as written, used to point at `${name}` uses in attributes.
 */
export function readCodeBlock(node: Code, file: string, fenceLine: string): CodeInfo {
  const start = node.position?.start ?? { line: 1, column: 1 };
  const at: SourceLocation = { file, line: start.line, column: start.column };
  const codeAt: SourceLocation = { file, line: start.line + 1, column: start.column };
  const diagnostics: Diagnostic[] = [];
  const parsed = parseCodeAttributes(node.meta);
  if (!parsed.ok) diagnostics.push(diagnostic(at, 'error', 'attribute', parsed.message));
  const attributes = parsed.ok ? parsed.attributes : {};
  const refs: VarRef[] = [];
  const lineAt: SourceLocation = { file, line: at.line, column: 1 };
  for (const value of Object.values(attributes)) refs.push(...locateBraceRefs(value, fenceLine, lineAt));
  return { block: { at, lang: (node.lang ?? '').toLowerCase(), code: node.value, codeAt, attributes, refs }, diagnostics };
}

/** The uses of psql variables (`:'x'`, `:"x"`, `:x`) in SQL text, located in the file. */
export function sqlRefs(code: string, codeAt: SourceLocation): VarRef[] {
  const refs: VarRef[] = [];
  for (const use of scanPsqlVariables(code)) {
    // `:{?name}` asks whether a variable is defined: not a use of its value.
    if (!use.plausible || use.syntax === 'psql-defined') continue;
    refs.push({
      name: use.name,
      syntax: use.syntax,
      at: { file: codeAt.file, line: codeAt.line + use.line - 1, column: codeAt.column + use.column - 1 },
    });
  }
  return refs;
}

/**
 * Turns a fenced code block into an action, or undefined when it is only
 * shown (another language, `run=false`).
 */
export function codeBlockAction(info: CodeInfo): { action?: Action; diagnostics: Diagnostic[] } {
  const { block } = info;
  const r = new AttributeReader(block.attributes, block.at);
  const diagnostics = [...info.diagnostics];
  const done = (action?: Action): { action?: Action; diagnostics: Diagnostic[] } => {
    diagnostics.push(...r.diagnostics);
    return action ? { action, diagnostics } : { diagnostics };
  };
  if (r.string('run') === 'false') return done();
  const options = readExecOptions(r);

  if (r.has('file')) {
    const path = r.string('file') ?? '';
    if (path.trim() === '') r.error('file= needs a path');
    const mode: FileMode = r.oneOf('mode', ['replace', 'append', 'block'] as const) ?? 'replace';
    const raw = r.flag('raw');
    const refs = raw ? block.refs : [...block.refs, ...locateBraceRefs(block.code, block.code, block.codeAt)];
    return done({ ...block, refs, kind: 'file', path, mode, raw, options });
  }
  const shell = SHELL_LANGS[block.lang];
  if (shell) return done({ ...block, kind: 'sh', shell, options });
  if (CONSOLE_LANGS.has(block.lang)) return done({ ...block, kind: 'console', commands: consoleCommands(block.code, block.codeAt), options });
  if (SQL_LANGS.has(block.lang)) return done({ ...block, refs: [...block.refs, ...sqlRefs(block.code, block.codeAt)], kind: 'sql', options });
  if (PSQL_LANGS.has(block.lang)) return done({ ...block, refs: [...block.refs, ...sqlRefs(block.code, block.codeAt)], kind: 'psql', options });
  return done();
}

/**
 * Splits a console transcript: lines starting with `$ ` are commands, the
 * lines after each (up to the next command) are the output it must print.
 */
export function consoleCommands(code: string, codeAt: SourceLocation): ConsoleCommand[] {
  const commands: { command: string; expected: string[]; at: SourceLocation }[] = [];
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    if (line.startsWith('$ ') || line === '$') {
      commands.push({ command: line.slice(2), expected: [], at: { file: codeAt.file, line: codeAt.line + i, column: codeAt.column } });
    } else {
      commands.at(-1)?.expected.push(line);
    }
  });
  for (const c of commands) while (c.expected.length > 0 && c.expected.at(-1)?.trim() === '') c.expected.pop();
  return commands;
}
