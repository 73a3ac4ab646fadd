import type { Check, CodeAction, Diagnostic, Runbook, SourceLocation, Step } from '../../engine/model/index.js';
import type { ShellScan } from './shell-scan.js';
import type { SourceText } from './source-text.js';
import type { SqlAnalysis } from './sql-analysis.js';

/** How a piece of runbook code is read: shell (sh, bash, console), SQL (node-postgres) or psql. */
export type SnippetLanguage = 'shell' | 'sql' | 'psql';

/** Where a snippet comes from: an action's code block or a check's code. */
export type SnippetOrigin =
  | { readonly kind: 'action'; readonly action: CodeAction }
  | { readonly kind: 'check'; readonly check: Check };

/**
 * One piece of executable code of a runbook, with the way back from a
 * line and column in the code to the Markdown file. Tools (bash -n,
 * shellcheck, the Postgres parser) see only `code`; findings are mapped
 * back with `locate`.
 */
export interface Snippet {
  /** Unique in one lint run, across runbooks: tool batches span files. */
  readonly id: number;
  readonly language: SnippetLanguage;
  /** The shell that runs a shell snippet (`sh -e` or `bash -euo pipefail`). */
  readonly shell: 'sh' | 'bash';
  readonly code: string;
  readonly step: Step;
  readonly origin: SnippetOrigin;
  /** The Markdown location of 1-based `line` and `column` of `code`; lines past the end point at the last line. */
  locate(line: number, column: number): SourceLocation;
}

/** A finding of an external tool on one snippet, in the snippet's own lines and columns. */
export type ToolFinding =
  | {
      readonly tool: 'bash';
      readonly line: number;
      readonly severity: 'error' | 'warning';
      readonly message: string;
    }
  | {
      readonly tool: 'shellcheck';
      readonly line: number;
      readonly column: number;
      readonly code: number;
      readonly level: 'error' | 'warning' | 'info' | 'style';
      readonly message: string;
    };

/** Names that a runbook defines for its code. */
export interface KnownNames {
  readonly params: ReadonlySet<string>;
  readonly sentinels: ReadonlySet<string>;
  /** Captured variable → the step that captures it first. */
  readonly captures: ReadonlyMap<string, Step>;
  /** Step id → position in execution order. */
  readonly order: ReadonlyMap<string, number>;
}

/** What every rule reads: the runbook, its code, and what the tools said about it. */
export interface LintContext {
  readonly runbook: Runbook;
  readonly snippets: readonly Snippet[];
  readonly source: SourceText;
  readonly known: KnownNames;
  /** The statements (or errors) of a `sql` or `psql` snippet; computed once. */
  sql(snippet: Snippet): SqlAnalysis;
  /** The commands and variable uses of a shell snippet; computed once. */
  shell(snippet: Snippet): ShellScan;
  /** Findings of bash -n and shellcheck by snippet id (none when the tools did not run). */
  readonly tools: ReadonlyMap<number, readonly ToolFinding[]>;
}

/** One lint rule: reads the context, returns problems as data. */
export interface LintRule {
  /** The rule's id, or the prefix of its ids (`shellcheck/`). */
  readonly id: string;
  /** Reads `context.tools` (bash -n, shellcheck): runs once the tools are done; other rules run while they work. */
  readonly needsTools?: boolean;
  check(context: LintContext): Diagnostic[];
}
