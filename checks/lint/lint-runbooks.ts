import { readFileSync } from 'node:fs';
import { compareDiagnostics, diagnostic, isCodeAction, type Diagnostic, type Runbook, type Step } from '../../engine/model/index.js';
import { parseRunbookFile, validateRunbook } from '../../engine/parse/index.js';
import { loadSqlParser } from '../../engine/sql/index.js';
import { isFalseAlarm, psqlLocalFalseAlarms } from './psql-locals.js';
import { LINT_RULES } from './rules/index.js';
import { scanShell, type ShellScan } from './shell-scan.js';
import { collectSnippets, snippetIds } from './snippets.js';
import { SourceText } from './source-text.js';
import { analyzeSql, type SqlAnalysis } from './sql-analysis.js';
import { bashSyntax, shellcheck, type ToolResults } from './tools/index.js';
import type { KnownNames, LintContext, LintFix, Snippet, ToolFinding } from './types.js';

/** Options of {@link lintFiles}. */
export interface LintOptions {
  /** The environment tools are found in (PATH, TMPDIR). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Run shellcheck when it is installed. @default true */
  readonly shellcheck?: boolean;
  /** Reads a file as UTF-8. @default fs.readFileSync */
  readonly readFile?: (file: string) => string;
  /** Resolves symbolic links (include confinement). @default fs.realpathSync */
  readonly realpath?: (file: string) => string;
  /** The bash that checks syntax. @default 'bash' */
  readonly bash?: string;
  /** The shellcheck program. @default 'shellcheck' */
  readonly shellcheckProgram?: string;
}

interface Unit {
  readonly file: string;
  readonly runbook?: Runbook;
  readonly diagnostics: Diagnostic[];
  readonly snippets: Snippet[];
}

/** What {@link lintWithFixes} found, and the safe fixes it offers. */
export interface LintResult {
  readonly diagnostics: Diagnostic[];
  /** Mechanical changes that resolve some of the findings (`runbook lint --fix`). */
  readonly fixes: LintFix[];
}

/**
 * Lints runbook files (SPEC 5) without running anything from them: the
 * parser's problems, the cross-reference checks `run` makes (with no
 * environment), and lint's rules. The slow work is batched across files:
 * one bash -n for every shell snippet of every file, shellcheck over all of
 * them at once, and the WASM Postgres parser loaded only when there is SQL.
 * Returns the diagnostics in file order (as given), then line and column.
 */
export async function lintFiles(files: readonly string[], options: LintOptions): Promise<Diagnostic[]> {
  return (await lintWithFixes(files, options)).diagnostics;
}

/** {@link lintFiles}, with the fixes the rules offer. */
export async function lintWithFixes(files: readonly string[], options: LintOptions): Promise<LintResult> {
  const source = new SourceText();
  const ids = snippetIds();
  const read = options.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  const readFile = (file: string): string => {
    const text = read(file);
    source.add(file, text);
    return text;
  };
  const units = files.map((file) => parseUnit(file, { ...options, readFile }, ids));
  const snippets = units.flatMap((u) => u.snippets);
  const shell = snippets.filter((s) => s.language === 'shell');
  // The tools run in their own processes while the rules that do not need them run here.
  const toolRuns = Promise.all([
    shell.length > 0 ? bashSyntax(shell, { env: options.env, ...(options.bash ? { bash: options.bash } : {}) }) : noResults(),
    shell.length > 0 && options.shellcheck !== false ? shellcheck(shell, { env: options.env, ...(options.shellcheckProgram ? { shellcheck: options.shellcheckProgram } : {}) }) : noResults(),
  ]);
  if (snippets.some((s) => s.language !== 'shell')) await loadSqlParser();
  const tools = new Map<number, readonly ToolFinding[]>();

  const order = new Map<string, number>();
  const out: Diagnostic[] = [];
  const fixes: LintFix[] = [];
  const later: LintContext[] = [];
  for (const unit of units) {
    for (const f of [unit.file, ...(unit.runbook?.files ?? [])]) if (!order.has(f)) order.set(f, order.size);
    if (!unit.runbook) {
      out.push(...unit.diagnostics);
      continue;
    }
    const context = createContext(unit.runbook, unit.snippets, source, tools, fixes);
    const alarms = psqlLocalFalseAlarms(context);
    out.push(...collapseMissingDb(unit.diagnostics.filter((d) => !isFalseAlarm(d, alarms)), unit.runbook));
    for (const rule of LINT_RULES) if (!rule.needsTools) out.push(...rule.check(context));
    later.push(context);
  }
  const [bash, check] = await toolRuns;
  for (const [id, findings] of mergeFindings(bash.findings, check.findings)) tools.set(id, findings);
  for (const context of later) {
    for (const rule of LINT_RULES) if (rule.needsTools) out.push(...rule.check(context));
    const firstShell = context.snippets.find((s) => s.language === 'shell');
    if (firstShell && bash.failure) out.push(diagnostic(firstShell.locate(1, 1), 'warning', 'lint-tool', bash.failure));
    if (firstShell && check.failure && check.failure !== 'missing') out.push(diagnostic(firstShell.locate(1, 1), 'warning', 'lint-tool', check.failure));
  }
  const rank = (file: string): number => order.get(file) ?? order.size;
  return { diagnostics: dedupe(out).sort((a, b) => rank(a.file) - rank(b.file) || compareDiagnostics(a, b)), fixes };
}

/**
 * With no database declared, every SQL block is a `missing-db` error of the
 * same cause, and one declaration fixes them all (a runbook with one database
 * uses it as the default): one finding, at the first block, that says so.
 */
function collapseMissingDb(diagnostics: readonly Diagnostic[], runbook: Runbook): Diagnostic[] {
  if (runbook.databases.length > 0) return [...diagnostics];
  const missing = diagnostics.filter((d) => d.rule === 'missing-db');
  const first = missing[0];
  if (!first || missing.length === 1) return [...diagnostics];
  const kinds = [...new Set(missing.map((d) => /\ba (\w+) block/.exec(d.message)?.[1] ?? 'sql'))].join(' and ');
  const lines = missing.slice(0, 5).map((d) => d.line).join(', ') + (missing.length > 5 ? ', …' : '');
  const one: Diagnostic = {
    ...first,
    message: `${missing.length} ${kinds} blocks (lines ${lines}) need a database and this runbook declares none: declare one database under databases: in the front matter; a runbook with one database runs every SQL block on it, so no {db=…} is needed`,
  };
  return diagnostics.filter((d) => d.rule !== 'missing-db' || d === first).map((d) => (d === first ? one : d));
}

function parseUnit(file: string, options: LintOptions & { readFile: (file: string) => string }, ids: ReturnType<typeof snippetIds>): Unit {
  let parsed;
  try {
    parsed = parseRunbookFile(file, { readFile: options.readFile, ...(options.realpath ? { realpath: options.realpath } : {}) });
  } catch (error) {
    return { file, diagnostics: [diagnostic({ file, line: 1, column: 1 }, 'error', 'file', (error as Error).message)], snippets: [] };
  }
  const { runbook } = parsed;
  return { file, runbook, diagnostics: [...parsed.diagnostics, ...validateRunbook(runbook)], snippets: collectSnippets(runbook, ids) };
}

function createContext(runbook: Runbook, snippets: readonly Snippet[], source: SourceText, tools: ReadonlyMap<number, readonly ToolFinding[]>, fixes: LintFix[]): LintContext {
  const sql = new Map<number, SqlAnalysis>();
  const shell = new Map<number, ShellScan>();
  return {
    runbook,
    snippets,
    source,
    known: knownNames(runbook),
    tools,
    fix: (fix) => void fixes.push(fix),
    sql(snippet) {
      let analysis = sql.get(snippet.id);
      if (!analysis) {
        analysis = analyzeSql(snippet.code, snippet.language === 'psql' ? 'psql' : 'sql');
        sql.set(snippet.id, analysis);
      }
      return analysis;
    },
    shell(snippet) {
      let scan = shell.get(snippet.id);
      if (!scan) {
        scan = scanShell(snippet.code);
        shell.set(snippet.id, scan);
      }
      return scan;
    },
  };
}

function knownNames(runbook: Runbook): KnownNames {
  const captures = new Map<string, Step>();
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      if (isCodeAction(action) && action.options.capture && !captures.has(action.options.capture)) captures.set(action.options.capture, step);
    }
  }
  return {
    params: new Set(runbook.params.map((p) => p.name)),
    sentinels: new Set(runbook.sentinels.map((s) => s.name)),
    captures,
    order: new Map(runbook.order.map((id, i) => [id, i])),
  };
}

async function noResults(): Promise<ToolResults> {
  return { findings: new Map() };
}

function mergeFindings(...maps: ReadonlyMap<number, readonly ToolFinding[]>[]): Map<number, ToolFinding[]> {
  const out = new Map<number, ToolFinding[]>();
  for (const map of maps) for (const [id, list] of map) out.set(id, [...(out.get(id) ?? []), ...list]);
  return out;
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.column}\0${d.rule}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
