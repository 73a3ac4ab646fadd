import type { SourceLocation } from "./location.js";
import type { VarRef } from "./runbook.js";

/** Attributes every executable code block understands (SPEC 1.3). */
export interface ExecOptions {
  readonly db?: string;
  readonly on?: string;
  /** May contain `${name}`. */
  readonly user?: string;
  /** May contain `${name}`. */
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Expected exit status. @default 0 */
  readonly exit: number;
  /** Retries before the step fails. @default 0 */
  readonly retry: number;
  /** @default 1000 */
  readonly retryDelayMs: number;
  readonly capture?: string;
  /** Ask before this block even under `--yes`. */
  readonly confirm: boolean;
  readonly interactive: boolean;
  readonly only?: "live" | "rehearsal";
}

/** A fenced code block's identity: where it is and what it says. */
export interface CodeBlock {
  readonly at: SourceLocation;
  readonly lang: string;
  /** The block's text, without the fences. */
  readonly code: string;
  /** Location of the first line of `code` (line after the opening fence). */
  readonly codeAt: SourceLocation;
  /** Attributes as written (Runme-style JSON attributes are flattened to strings). */
  readonly attributes: Readonly<Record<string, string>>;
  /** `${name}` and psql-variable uses in attributes and text. */
  readonly refs: readonly VarRef[];
}

export interface ShellAction extends CodeBlock {
  readonly kind: "sh";
  /** `sh` runs as `/bin/sh -e`; `bash` as `bash -euo pipefail`. */
  readonly shell: "sh" | "bash";
  readonly options: ExecOptions;
}

/** One `$ command` of a console transcript with the output it must print. */
export interface ConsoleCommand {
  readonly command: string;
  readonly expected: readonly string[];
  readonly at: SourceLocation;
}

export interface ConsoleAction extends CodeBlock {
  readonly kind: "console";
  readonly commands: readonly ConsoleCommand[];
  readonly options: ExecOptions;
}

export interface SqlAction extends CodeBlock {
  readonly kind: "sql";
  readonly options: ExecOptions;
}

export interface PsqlAction extends CodeBlock {
  readonly kind: "psql";
  readonly options: ExecOptions;
}

export type FileMode = "replace" | "append" | "block";

export interface FileAction extends CodeBlock {
  readonly kind: "file";
  /** Target path; may contain `${name}`. */
  readonly path: string;
  readonly mode: FileMode;
  /** `raw`: write the text as is, no `${name}` interpolation. */
  readonly raw: boolean;
  readonly options: ExecOptions;
}

/** `:::manual` or `::manual[text]`: the operator does something by hand. */
export interface ManualAction {
  readonly kind: "manual";
  readonly at: SourceLocation;
  /** What to do, as Markdown. */
  readonly text: string;
}

/** `::confirm{prompt=…}` (yes/no) or `::confirm{type=…}` (typed). */
export interface ConfirmAction {
  readonly kind: "confirm";
  readonly at: SourceLocation;
  readonly prompt: string;
  /** The text the operator must type to go on. */
  readonly typed?: string;
  readonly refs: readonly VarRef[];
}

export type CodeAction =
  ShellAction | ConsoleAction | SqlAction | PsqlAction | FileAction;
export type Action = CodeAction | ManualAction | ConfirmAction;
export type ActionKind = Action["kind"];

export function isCodeAction(action: Action): action is CodeAction {
  return action.kind !== "manual" && action.kind !== "confirm";
}
