import { readFileSync } from "node:fs";
import {
  compareDiagnostics,
  diagnostic,
  isCodeAction,
  type Diagnostic,
  type Runbook,
  type Step,
} from "../../engine/model/index.js";
import { parseRunbookFile, validateRunbook } from "../../engine/parse/index.js";
import { loadSqlParser } from "../../engine/sql/index.js";
import { isFalseAlarm, psqlLocalFalseAlarms } from "./psql-locals.js";
import { LINT_RULES } from "./rules/index.js";
import { scanShell, type ShellScan } from "./shell-scan.js";
import { collectSnippets, snippetIds } from "./snippets.js";
import { SourceText } from "./source-text.js";
import {
  programIdentity,
  sqlParserIdentity,
  type CacheKind,
  type CacheStore,
  type LintCache,
} from "./cache.js";
import {
  recordingFs,
  type FileFindings,
  type FileReads,
} from "./file-result.js";
import {
  analyzeSql,
  restoreAnalysis,
  storedAnalysis,
  type SqlAnalysis,
} from "./sql-analysis.js";
import { bashSyntax, shellcheck, type ToolResults } from "./tools/index.js";
import type {
  KnownNames,
  LintContext,
  LintFix,
  Snippet,
  ToolFinding,
} from "./types.js";

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
  /** Parse results and tool findings kept between runs by content (`runbook lint` without `--no-cache`). */
  readonly cache?: LintCache;
}

interface Unit {
  readonly file: string;
  readonly runbook?: Runbook;
  readonly diagnostics: Diagnostic[];
  readonly snippets: Snippet[];
  readonly store?: CacheStore;
  /** What its parse read (when whole-file results are kept). */
  readonly reads?: FileReads;
  /** Its findings, kept by an earlier lint of the same input: it was not parsed. */
  readonly stored?: FileFindings;
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
export async function lintFiles(
  files: readonly string[],
  options: LintOptions,
): Promise<Diagnostic[]> {
  return (await lintRunbooks(files, options, { fixes: false })).diagnostics;
}

/** {@link lintFiles}, with the fixes the rules offer. */
export async function lintWithFixes(
  files: readonly string[],
  options: LintOptions,
): Promise<LintResult> {
  return lintRunbooks(files, options, { fixes: true });
}

/**
 * The lint itself. With a cache and the real file system, a runbook whose
 * whole-file result still holds (every file its last lint read is
 * unchanged, same options and tools) is not parsed: its findings are the
 * stored ones. Those results are not used when fixes are wanted (they hold
 * no fixes), but they are kept.
 */
async function lintRunbooks(
  files: readonly string[],
  options: LintOptions,
  want: { readonly fixes: boolean },
): Promise<LintResult> {
  const source = new SourceText();
  const ids = snippetIds();
  const programs = toolIdentities(options);
  const results =
    options.cache && !options.readFile && !options.realpath
      ? options.cache
      : undefined;
  const sqlParser = results ? sqlParserIdentity() : "";
  const resultKey = (file: string): string =>
    JSON.stringify({
      file,
      shellcheck: options.shellcheck !== false,
      bash: programs.bash ?? null,
      shellcheckProgram: programs.shellcheck ?? null,
      sql: sqlParser,
    });
  const units = files.map((file): Unit => {
    const stored = want.fixes
      ? undefined
      : results?.result(file, resultKey(file));
    if (stored) return { file, diagnostics: [], snippets: [], stored };
    const reads: FileReads | undefined = results
      ? { read: [], resolved: [] }
      : undefined;
    const fs = reads ? recordingFs(reads) : undefined;
    const read =
      options.readFile ??
      fs?.readFile ??
      ((f: string) => readFileSync(f, "utf8"));
    const readFile = (f: string): string => {
      const text = read(f);
      source.add(f, text);
      return text;
    };
    const unit = parseUnit(
      file,
      {
        ...options,
        readFile,
        ...(fs && !options.realpath ? { realpath: fs.realpath } : {}),
      },
      ids,
    );
    return reads ? { ...unit, reads } : unit;
  });
  const snippets = units.flatMap((u) => u.snippets);
  const shell = snippets.filter((s) => s.language === "shell");
  const cached = cachedResults(units, options, programs);
  // The tools run in their own processes while the rules that do not need them run here.
  const toolRuns = Promise.all([
    cached.tool("bash", shell, (missing) =>
      missing.length > 0
        ? bashSyntax(missing, {
            env: options.env,
            ...(options.bash ? { bash: options.bash } : {}),
          })
        : noResults(),
    ),
    options.shellcheck !== false
      ? cached.tool("shellcheck", shell, (missing) =>
          missing.length > 0
            ? shellcheck(missing, {
                env: options.env,
                ...(options.shellcheckProgram
                  ? { shellcheck: options.shellcheckProgram }
                  : {}),
              })
            : noResults(),
        )
      : noResults(),
  ]);
  // The WASM parser is loaded only for SQL that the cache does not hold.
  if (cached.sqlMissing(snippets)) await loadSqlParser();
  const tools = new Map<number, readonly ToolFinding[]>();

  const order = new Map<string, number>();
  const fixes: LintFix[] = [];
  // Each file's findings, kept apart so that a file's can be stored, in the order they were always merged.
  const found = units.map(
    (unit): { early: Diagnostic[]; late: Diagnostic[]; order: string[] } =>
      unit.stored
        ? {
            early: [...unit.stored.early],
            late: [...unit.stored.late],
            order: [...unit.stored.order],
          }
        : {
            early: [],
            late: [],
            order: [unit.file, ...(unit.runbook?.files ?? [])],
          },
  );
  const later: [LintContext, Diagnostic[]][] = [];
  units.forEach((unit, i) => {
    const { early, late, order: files } = found[i] as (typeof found)[number];
    for (const f of files) if (!order.has(f)) order.set(f, order.size);
    if (unit.stored) return;
    if (!unit.runbook) {
      early.push(...unit.diagnostics);
      return;
    }
    const context = createContext(
      unit.runbook,
      unit.snippets,
      source,
      tools,
      fixes,
      cached.sql,
    );
    const alarms = psqlLocalFalseAlarms(context);
    early.push(
      ...collapseMissingDb(
        unit.diagnostics.filter((d) => !isFalseAlarm(d, alarms)),
        unit.runbook,
      ),
    );
    for (const rule of LINT_RULES)
      if (!rule.needsTools) early.push(...rule.check(context));
    later.push([context, late]);
  });
  const [bash, check] = await toolRuns;
  for (const [id, findings] of mergeFindings(bash.findings, check.findings))
    tools.set(id, findings);
  for (const [context, late] of later) {
    for (const rule of LINT_RULES)
      if (rule.needsTools) late.push(...rule.check(context));
    const firstShell = context.snippets.find((s) => s.language === "shell");
    if (firstShell && bash.failure)
      late.push(
        diagnostic(
          firstShell.locate(1, 1),
          "warning",
          "lint-tool",
          bash.failure,
        ),
      );
    if (firstShell && check.failure && check.failure !== "missing")
      late.push(
        diagnostic(
          firstShell.locate(1, 1),
          "warning",
          "lint-tool",
          check.failure,
        ),
      );
  }
  // A file's findings are kept when the tools answered (a failed run's findings may be missing some).
  const toolsFailed =
    bash.failure !== undefined ||
    (check.failure !== undefined && check.failure !== "missing");
  if (results && !toolsFailed)
    units.forEach((unit, i) => {
      if (unit.reads)
        results.keepResult(
          unit.file,
          resultKey(unit.file),
          unit.reads,
          found[i] as FileFindings,
        );
    });
  const out = [
    ...found.flatMap((f) => f.early),
    ...found.flatMap((f) => f.late),
  ];
  const rank = (file: string): number => order.get(file) ?? order.size;
  return {
    diagnostics: dedupe(out).sort(
      (a, b) => rank(a.file) - rank(b.file) || compareDiagnostics(a, b),
    ),
    fixes,
  };
}

/**
 * With no database declared, every SQL block is a `missing-db` error of the
 * same cause, and one declaration fixes them all (a runbook with one database
 * uses it as the default): one finding, at the first block, that says so.
 */
function collapseMissingDb(
  diagnostics: readonly Diagnostic[],
  runbook: Runbook,
): Diagnostic[] {
  if (runbook.databases.length > 0) return [...diagnostics];
  const missing = diagnostics.filter((d) => d.rule === "missing-db");
  const first = missing[0];
  if (!first || missing.length === 1) return [...diagnostics];
  const kinds = [
    ...new Set(
      missing.map((d) => /\ba (\w+) block/.exec(d.message)?.[1] ?? "sql"),
    ),
  ].join(" and ");
  const lines =
    missing
      .slice(0, 5)
      .map((d) => d.line)
      .join(", ") + (missing.length > 5 ? ", …" : "");
  const one: Diagnostic = {
    ...first,
    message: `${missing.length} ${kinds} blocks (lines ${lines}) need a database and this runbook declares none: declare one database under databases: in the front matter; a runbook with one database runs every SQL block on it, so no {db=…} is needed`,
  };
  return diagnostics
    .filter((d) => d.rule !== "missing-db" || d === first)
    .map((d) => (d === first ? one : d));
}

function parseUnit(
  file: string,
  options: LintOptions & { readFile: (file: string) => string },
  ids: ReturnType<typeof snippetIds>,
): Unit {
  const store = options.cache?.store(file);
  let parsed;
  try {
    parsed = parseRunbookFile(file, {
      readFile: options.readFile,
      ...(options.realpath ? { realpath: options.realpath } : {}),
      ...(store
        ? {
            scanCache: {
              get: (key) => store.get("scan", key),
              set: (key, json) => store.set("scan", key, json),
            },
          }
        : {}),
    });
  } catch (error) {
    return {
      file,
      diagnostics: [
        diagnostic(
          { file, line: 1, column: 1 },
          "error",
          "file",
          (error as Error).message,
        ),
      ],
      snippets: [],
    };
  }
  const { runbook } = parsed;
  return {
    file,
    runbook,
    diagnostics: [...parsed.diagnostics, ...validateRunbook(runbook)],
    snippets: collectSnippets(runbook, ids),
    ...(store ? { store } : {}),
  };
}

/** What lint's cache holds for this run's snippets, and how to fill in the rest. */
interface CachedResults {
  /** Runs `run` on the snippets whose findings of `tool` the cache does not hold, and gives every snippet's findings. */
  tool(
    tool: "bash" | "shellcheck",
    snippets: readonly Snippet[],
    run: (missing: readonly Snippet[]) => Promise<ToolResults>,
  ): Promise<ToolResults>;
  /** Whether some SQL snippet's analysis is not in the cache (the WASM parser is needed). */
  sqlMissing(snippets: readonly Snippet[]): boolean;
  /** A SQL snippet's analysis, from the cache or made (and kept) now. */
  sql(snippet: Snippet): SqlAnalysis;
}

/**
 * Lint's cache over this run's snippets. A tool's findings are kept per
 * snippet, keyed by the tool's identity (where it is, its size and date),
 * the dialect and the snippet's text; a SQL analysis by libpg-query's version,
 * the language and the text. Without a cache everything is computed, as before.
 */
function cachedResults(
  units: readonly Unit[],
  options: LintOptions,
  programs: ToolIdentities,
): CachedResults {
  const storeOf = new Map<number, CacheStore>();
  for (const unit of units)
    if (unit.store)
      for (const s of unit.snippets) storeOf.set(s.id, unit.store);
  const sqlParser = options.cache ? sqlParserIdentity() : "";
  const sqlKey = (s: Snippet): string =>
    `${sqlParser}\0${s.language}\0${s.code}`;
  const analyses = new Map<number, SqlAnalysis>();
  // Identical SQL (a repeated check) is analysed once per run: rules only read an analysis.
  const byText = new Map<string, SqlAnalysis>();
  const lookup = (kind: CacheKind, s: Snippet, key: string): unknown =>
    storeOf.get(s.id)?.get(kind, key);
  return {
    async tool(tool, snippets, run) {
      const program = programs[tool];
      // Not installed (or no cache): the tool reports that itself, as without a cache.
      if (program === undefined)
        return snippets.length > 0 ? run(snippets) : noResults();
      const key = (s: Snippet): string =>
        `${program}\0${tool === "shellcheck" ? s.shell : ""}\0${s.code}`;
      const findings = new Map<number, ToolFinding[]>();
      const missing: Snippet[] = [];
      for (const s of snippets) {
        const hit = lookup(tool, s, key(s));
        if (Array.isArray(hit) && hit.every((f) => isToolFinding(f, tool))) {
          if (hit.length > 0) findings.set(s.id, hit as ToolFinding[]);
        } else {
          missing.push(s);
        }
      }
      const result = await run(missing);
      for (const s of missing) {
        const found = result.findings.get(s.id);
        if (found) findings.set(s.id, found);
        // Findings of a run that failed may be missing some: never kept.
        if (!result.failure)
          storeOf.get(s.id)?.set(tool, key(s), JSON.stringify(found ?? []));
      }
      return result.failure === undefined
        ? { findings }
        : { findings, failure: result.failure };
    },
    sqlMissing(snippets) {
      let missing = false;
      for (const s of snippets) {
        if (s.language === "shell") continue;
        const hit = options.cache
          ? restoreAnalysis(lookup("sql", s, sqlKey(s)))
          : undefined;
        if (hit) analyses.set(s.id, hit);
        else missing = true;
      }
      return missing;
    },
    sql(snippet) {
      let analysis = analyses.get(snippet.id);
      if (!analysis) {
        const key = sqlKey(snippet);
        const made = byText.get(key);
        analysis =
          made ??
          analyzeSql(
            snippet.code,
            snippet.language === "psql" ? "psql" : "sql",
          );
        byText.set(key, analysis);
        analyses.set(snippet.id, analysis);
        if (storeOf.has(snippet.id))
          storeOf.get(snippet.id)?.set("sql", key, storedAnalysis(analysis));
      }
      return analysis;
    },
  };
}

interface ToolIdentities {
  readonly bash: string | undefined;
  readonly shellcheck: string | undefined;
}

/** Where the tools are, their size and date (with a cache; undefined when not installed). */
function toolIdentities(options: LintOptions): ToolIdentities {
  return {
    bash: options.cache
      ? programIdentity(options.bash ?? "bash", options.env["PATH"])
      : undefined,
    shellcheck: options.cache
      ? programIdentity(
          options.shellcheckProgram ?? "shellcheck",
          options.env["PATH"],
        )
      : undefined,
  };
}

function isToolFinding(value: unknown, tool: "bash" | "shellcheck"): boolean {
  if (typeof value !== "object" || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    f["tool"] === tool &&
    typeof f["line"] === "number" &&
    typeof f["message"] === "string"
  );
}

function createContext(
  runbook: Runbook,
  snippets: readonly Snippet[],
  source: SourceText,
  tools: ReadonlyMap<number, readonly ToolFinding[]>,
  fixes: LintFix[],
  sql: (snippet: Snippet) => SqlAnalysis,
): LintContext {
  const shell = new Map<number, ShellScan>();
  return {
    runbook,
    snippets,
    source,
    known: knownNames(runbook),
    tools,
    fix: (fix) => void fixes.push(fix),
    sql,
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
      if (
        isCodeAction(action) &&
        action.options.capture &&
        !captures.has(action.options.capture)
      )
        captures.set(action.options.capture, step);
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

function mergeFindings(
  ...maps: ReadonlyMap<number, readonly ToolFinding[]>[]
): Map<number, ToolFinding[]> {
  const out = new Map<number, ToolFinding[]>();
  for (const map of maps)
    for (const [id, list] of map)
      out.set(id, [...(out.get(id) ?? []), ...list]);
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
