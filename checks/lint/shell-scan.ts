import { Scanner } from "./shell-scanner.js";

export { commandWords } from "./shell-words.js";

/**
 * A small, forgiving reader of shell text: the simple commands (their words,
 * with quotes removed), here-documents, and the variables used and assigned.
 * It is not a parser (bash -n judges syntax); it is enough to recognise
 * `rm -rf` behind `sudo`, a sentinel used as `"$last_write"`, or a captured
 * variable used before it is captured. It never runs anything.
 */

/** One word of a command, where it starts in the scanned text. */
export interface ShellWord {
  /** The word with quotes and backslashes removed; expansions (`$x`, `$(…)`) kept as written. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** A here-document's body. */
export interface Heredoc {
  readonly body: string;
  /** Line of the body's first line. */
  readonly line: number;
  /** `<<EOF` expands `$x` in the body; `<<'EOF'` does not. */
  readonly expands: boolean;
}

/** A redirection of a command: `> "$dir/out.log"`. */
export interface Redirect {
  /** `>`, `>>`, `>|`, `&>`, `<>`, `<`, `<&`, … */
  readonly op: string;
  readonly target: ShellWord;
}

/** A simple command: `sudo -u postgres dropdb app`. */
export interface ShellCommand {
  /** Words after the leading `NAME=value` assignments. */
  readonly words: readonly ShellWord[];
  readonly assignments: readonly ShellWord[];
  readonly heredocs: readonly Heredoc[];
  readonly redirects: readonly Redirect[];
  /** Commands joined by `|` share a number; the next pipeline has another. */
  readonly pipeline: number;
}

/** A use of `$name` or `${name…}`. */
export interface ShellVarUse {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly braced: boolean;
  /** `${x:-default}`, `${x-…}`, `${x:=…}`, `${x:+…}`, `${x:?…}`: the author expects it may be unset. */
  readonly guarded: boolean;
}

/** What {@link scanShell} read. */
export interface ShellScan {
  readonly commands: readonly ShellCommand[];
  readonly variables: readonly ShellVarUse[];
  /** Names the text assigns (`x=1`, `read x`, `for x in`, `export x=…`, `((x++))`). */
  readonly assigned: ReadonlySet<string>;
  /** The text sources a file or uses eval: any name may be assigned. */
  readonly dynamic: boolean;
}

/** Reads shell text; see the module comment for what it understands. */
export function scanShell(code: string): ShellScan {
  const scanner = new Scanner(code);
  scanner.list(0, code.length);
  return scanner.result();
}
