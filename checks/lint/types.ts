import type {
  Check,
  CodeAction,
  Diagnostic,
  Runbook,
  SourceLocation,
  Step,
} from "../../engine/model/index.js";
import type { Placeholder } from "./placeholders.js";
import type { Session } from "./session.js";
import type { ShellScan } from "./shell-scan.js";
import type { SourceText } from "./source-text.js";
import type { SqlAnalysis } from "./sql-analysis.js";

/** How a piece of runbook code is read: shell (sh, bash, console), SQL (node-postgres) or psql. */
export type SnippetLanguage = "shell" | "sql" | "psql";

/** Where a snippet comes from: an action's code block or a check's code. */
export type SnippetOrigin =
  | { readonly kind: "action"; readonly action: CodeAction }
  | { readonly kind: "check"; readonly check: Check };

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
  readonly shell: "sh" | "bash";
  /**
   * The code the tools and rules read: for a pasted session only its
   * commands (prompts removed, output lines empty), and placeholders masked
   * as plain words so that they are reported once, as placeholders.
   */
  readonly code: string;
  /** `code` with its placeholders as written (same length, line by line). */
  readonly text: string;
  /** Placeholders in the code (`<your-host>`, `CHANGEME`), in the code's lines and columns. */
  readonly placeholders: readonly Placeholder[];
  /** A `sh`/`bash` block that is a pasted terminal session. */
  readonly session?: Session;
  readonly step: Step;
  readonly origin: SnippetOrigin;
  /** The Markdown location of 1-based `line` and `column` of `code`; lines past the end point at the last line. */
  locate(line: number, column: number): SourceLocation;
}

/** A finding of an external tool on one snippet, in the snippet's own lines and columns. */
export type ToolFinding =
  | {
      readonly tool: "bash";
      readonly line: number;
      readonly severity: "error" | "warning";
      readonly message: string;
    }
  | {
      readonly tool: "shellcheck";
      readonly line: number;
      readonly column: number;
      readonly code: number;
      readonly level: "error" | "warning" | "info" | "style";
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

/**
 * Lines `line`…`endLine` (1-based, inclusive) of a file replaced by `text`;
 * `endLine` = `line` - 1 inserts `text` before `line`. `expect` is what those
 * lines must still hold, so a fix never lands on a file that changed since
 * it was computed.
 */
export interface LintEdit {
  readonly line: number;
  readonly endLine: number;
  readonly expect: readonly string[];
  readonly text: readonly string[];
}

/**
 * A mechanical change that resolves a finding (`runbook lint --fix`): one or
 * more edits of `file` that go in together or not at all (a placeholder
 * becomes a param declared in the front matter and used in the code).
 */
export interface LintFix {
  readonly file: string;
  /** The line the fix is reported at. */
  readonly line: number;
  readonly edits: readonly LintEdit[];
  /** What the fix does, for the operator: says so when it changes what runs. */
  readonly description: string;
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
  /** Offers a safe fix for a finding (applied by `runbook lint --fix`). */
  fix(fix: LintFix): void;
}

/** One lint rule: reads the context, returns problems as data. */
export interface LintRule {
  /** The rule's id, or the prefix of its ids (`shellcheck/`). */
  readonly id: string;
  /** Reads `context.tools` (bash -n, shellcheck): runs once the tools are done; other rules run while they work. */
  readonly needsTools?: boolean;
  check(context: LintContext): Diagnostic[];
}
