import { scanSqlTokens, type PsqlVarSyntax } from "./psql-lexer.js";
import { quoteIdentifier, quoteLiteral } from "./quote.js";
import { createLineIndex } from "./text-positions.js";

export type { PsqlVarSyntax } from "./psql-lexer.js";

/** One psql variable interpolation in SQL text, where psql itself would see it. */
export interface PsqlVarUse {
  /** The variable's name, e.g. `primary_ip` for `:'primary_ip'`. */
  readonly name: string;
  /** `:'name'` (literal), `:"name"` (identifier), `:name` (raw text) or `:{?name}` (TRUE when defined). */
  readonly syntax: PsqlVarSyntax;
  /** UTF-16 offset of the colon in the scanned text. */
  readonly start: number;
  /** UTF-16 offset just after the use. */
  readonly end: number;
  /** 1-based line of the colon within the scanned text. */
  readonly line: number;
  /** 1-based column (UTF-16 units) of the colon within the scanned text. */
  readonly column: number;
  /**
   * Whether the name looks like a variable someone defines: it does not start
   * with a digit. psql accepts `2` as a name, so `arr[1:2]` is a candidate,
   * but only a defined variable is substituted and nobody defines `2`; lint
   * should look at plausible uses only.
   */
  readonly plausible: boolean;
  /** In the arguments of a backslash meta-command (`\c :db`) rather than in SQL. */
  readonly inMetaCommand: boolean;
}

/**
 * Finds psql variable interpolations exactly where psql would substitute them:
 * `:'name'`, `:"name"`, `:name` and `:{?name}` (name = letters, digits, `_`
 * and any non-ASCII character, as in psql), but not inside string literals
 * (including `E'…'` with backslash escapes), dollar-quoted strings, quoted
 * identifiers or comments, nor in `::` casts, `:=`, or after `\:`. Uses in
 * meta-command arguments are reported too, except inside their quotes and
 * backticks (psql shell-quotes there; runbook does not model it).
 */
export function scanPsqlVariables(sql: string): PsqlVarUse[] {
  const position = createLineIndex(sql);
  const uses: PsqlVarUse[] = [];
  for (const token of scanSqlTokens(sql)) {
    if (token.kind !== "variable") continue;
    const { line, column } = position(token.start);
    uses.push({
      name: token.name,
      syntax: token.syntax,
      start: token.start,
      end: token.end,
      line,
      column,
      plausible: !/^[0-9]/.test(token.name),
      inMetaCommand: token.inMetaCommand,
    });
  }
  return uses;
}

/** A psql variable cannot be substituted: undefined (with `onUndefined: 'error'`) or an impossible value. */
export class PsqlVariableError extends Error {
  /** The variable's name (never its value, which may be a secret). */
  readonly variable: string;
  readonly line: number;
  readonly column: number;

  constructor(message: string, use: PsqlVarUse) {
    super(`${message} (line ${use.line}, column ${use.column})`);
    this.name = "PsqlVariableError";
    this.variable = use.name;
    this.line = use.line;
    this.column = use.column;
  }
}

/** Options of {@link substitutePsqlVariables}. */
export interface SubstituteOptions {
  /**
   * What to do with a plausible use of a variable that is not defined: keep
   * it as written, like psql does, or throw a {@link PsqlVariableError}.
   * Implausible names (`arr[1:2]`) are always kept.
   * @default 'keep'
   */
  readonly onUndefined?: "keep" | "error";
}

/**
 * Substitutes psql variables the way psql does: `:'name'` becomes a quoted
 * literal (PQescapeLiteral), `:"name"` a quoted identifier
 * (PQescapeIdentifier), `:name` the value as is, and `:{?name}` `TRUE` or
 * `FALSE`. Values stay data in the quoted forms whatever they hold. A value
 * with a NUL character (PostgreSQL cannot store one) or a lone surrogate
 * (not valid Unicode) is refused. Unlike psql, a raw value is not scanned
 * again for further variables.
 */
export function substitutePsqlVariables(
  sql: string,
  vars: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  options: SubstituteOptions = {},
): string {
  const lookup =
    vars instanceof Map
      ? (name: string) => (vars as ReadonlyMap<string, string>).get(name)
      : (name: string) =>
          Object.hasOwn(vars, name)
            ? (vars as Readonly<Record<string, string>>)[name]
            : undefined;
  const parts: string[] = [];
  let pos = 0;
  for (const use of scanPsqlVariables(sql)) {
    const value = lookup(use.name);
    let replacement: string;
    if (use.syntax === "psql-defined") {
      replacement = value === undefined ? "FALSE" : "TRUE";
    } else if (value === undefined) {
      if (options.onUndefined === "error" && use.plausible) {
        throw new PsqlVariableError(
          `psql variable :${use.name} is not defined`,
          use,
        );
      }
      continue;
    } else {
      checkValue(value, use);
      replacement =
        use.syntax === "psql-literal"
          ? quoteLiteral(value)
          : use.syntax === "psql-identifier"
            ? quoteIdentifier(value)
            : value;
    }
    parts.push(sql.slice(pos, use.start), replacement);
    pos = use.end;
  }
  parts.push(sql.slice(pos));
  return parts.join("");
}

const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkValue(value: string, use: PsqlVarUse): void {
  if (value.includes("\0")) {
    throw new PsqlVariableError(
      `the value of psql variable :${use.name} contains a NUL character, which PostgreSQL cannot store`,
      use,
    );
  }
  if (LONE_SURROGATE.test(value)) {
    throw new PsqlVariableError(
      `the value of psql variable :${use.name} is not valid Unicode (a lone surrogate)`,
      use,
    );
  }
}
