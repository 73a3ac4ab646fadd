import { scanSqlTokens, type SqlToken } from "./psql-lexer.js";
import {
  createByteToIndex,
  createCodePointToIndex,
  createLineIndex,
} from "./text-positions.js";

/** One statement of a SQL text, cut at the real PostgreSQL parser's boundaries. */
export interface SqlStatement {
  /**
   * The statement as written (psql variables not substituted), from its first
   * token to its last: without the comments and whitespace around it and
   * without the closing `;`.
   */
  readonly text: string;
  /** UTF-16 offset of `text` in the parsed SQL. */
  readonly start: number;
  /** UTF-16 offset just after `text`. */
  readonly end: number;
  /** 1-based line of the statement's first token. */
  readonly line: number;
  /** 1-based column (UTF-16 units) of the statement's first token. */
  readonly column: number;
  /**
   * libpg-query's parse tree of the statement, e.g. `{ SelectStmt: { … } }`.
   * Its `location` fields are byte offsets (map them with the result's
   * `locate`); psql variables appear in it as placeholders of the same
   * length: a string `'xxxx'`, a name `"xxxx"` or `xxxx`, or a number `00`.
   */
  readonly tree: unknown;
}

/** A place in the parsed SQL. */
export interface SqlPosition {
  /** UTF-16 offset. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Where and why SQL does not parse. */
export interface SqlParseError extends SqlPosition {
  /** The parser's message, e.g. `syntax error at or near "FORM"`. */
  readonly message: string;
}

/** The statements, or the first syntax error. */
export type ParseSqlResult =
  | {
      readonly statements: SqlStatement[];
      /** Where a `location` field of a parse tree (a byte offset) is in the parsed SQL. */
      readonly locate: (location: number) => SqlPosition;
      /**
       * The text the parser read: the SQL with psql variables as placeholders
       * (same length in UTF-16, not always in bytes). `locate` is
       * {@link sqlLocator} of the SQL and this text.
       */
      readonly parsedText: string;
    }
  | { readonly error: SqlParseError };

/** Options of {@link parseSql}. */
export interface ParseSqlOptions {
  /**
   * Names of the psql variables that are defined. Like psql, only their uses
   * are interpolated (here: replaced by placeholders of the same length so
   * the parser sees valid SQL); others are parsed as written.
   * @default every name that does not start with a digit
   */
  readonly variables?: Iterable<string>;
}

/** A syntax error from {@link splitStatements}, with its place. */
export class SqlSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;

  constructor(error: SqlParseError) {
    super(`${error.message} (line ${error.line}, column ${error.column})`);
    this.name = "SqlSyntaxError";
    this.offset = error.offset;
    this.line = error.line;
    this.column = error.column;
  }
}

interface PgQuery {
  parseSync(sql: string): unknown;
}

let loading: Promise<PgQuery> | undefined;
let parser: PgQuery | undefined;

/**
 * Loads the PostgreSQL parser (libpg-query, WebAssembly) once; later calls
 * return at once. It is imported here, not at the top, so that importing this
 * module does not compile the WebAssembly at startup.
 */
export async function loadSqlParser(): Promise<void> {
  loading ??= import("libpg-query").then(
    async (module) => {
      await module.loadModule();
      parser = module;
      return module;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  await loading;
}

/** Whether {@link loadSqlParser} has resolved: commands that need no SQL never load it. */
export function sqlParserLoaded(): boolean {
  return parser !== undefined;
}

/** Loads the parser if needed and splits `sql`; throws {@link SqlSyntaxError} when it does not parse. */
export async function splitStatements(
  sql: string,
  options: ParseSqlOptions = {},
): Promise<SqlStatement[]> {
  await loadSqlParser();
  return splitStatementsSync(sql, options);
}

/** {@link splitStatements} once {@link loadSqlParser} has resolved. */
export function splitStatementsSync(
  sql: string,
  options: ParseSqlOptions = {},
): SqlStatement[] {
  const result = parseSql(sql, options);
  if ("error" in result) throw new SqlSyntaxError(result.error);
  return result.statements;
}

/**
 * Splits SQL into statements with the real PostgreSQL parser, like psql and
 * the server would, and returns each statement's text, place and parse tree,
 * or the first syntax error with its place in `sql`. Empty input and input
 * with only comments have no statements. psql variables (`:'name'`,
 * `:"name"`, `:name`) are parsed as a string, a quoted identifier and a name
 * of the same length; a raw `:name` that cannot be a name there is tried as
 * a number. psql meta-commands (`\c`, `\gset`) are not SQL and are errors.
 *
 * Requires {@link loadSqlParser} to have resolved.
 */
export function parseSql(
  sql: string,
  options: ParseSqlOptions = {},
): ParseSqlResult {
  if (parser === undefined)
    throw new Error(
      "the SQL parser is not loaded: await loadSqlParser() first",
    );
  const tokens = scanSqlTokens(sql);
  const position = createLineIndex(sql);
  const fail = (message: string, offset: number): ParseSqlResult => ({
    error: { message, offset, ...position(offset) },
  });

  const meta = tokens.find((token) => token.kind === "meta-command");
  if (meta !== undefined && meta.kind === "meta-command") {
    return fail(
      `psql meta-command \\${meta.command} is not SQL; run it in a psql block`,
      meta.start,
    );
  }
  const nul = sql.indexOf("\0");
  if (nul !== -1) return fail("SQL text cannot contain a NUL character", nul);
  if (!tokens.some((token) => token.kind !== "comment")) {
    return {
      statements: [],
      locate: (location) => ({ offset: location, ...position(location) }),
      parsedText: sql,
    };
  }

  const placeholders = createPlaceholders(sql, tokens, options.variables);
  for (;;) {
    const text = placeholders.text();
    // libpg-query refuses text that JavaScript finds blank (a lone U+00A0 or
    // BOM) without a position; to PostgreSQL such a character is a name.
    if (text.trim() === "") {
      const first = tokens.find(
        (token) => token.kind !== "comment",
      ) as SqlToken;
      return fail(
        `syntax error at or near "${sql.slice(first.start, first.end)}"`,
        first.start,
      );
    }
    let parsed: unknown;
    try {
      parsed = parser.parseSync(text);
    } catch (error) {
      const details = syntaxDetails(error);
      const offset = createCodePointToIndex(text)(details.cursorPosition);
      const near = /at or near "([^]*)"$/.exec(details.message)?.[1];
      if (placeholders.retryAt(offset, near?.length ?? 1)) continue;
      return fail(placeholders.explain(details.message, offset, near), offset);
    }
    const toIndex = createByteToIndex(text);
    const locate = (location: number): SqlPosition => {
      const offset = toIndex(location);
      return { offset, ...position(offset) };
    };
    return {
      statements: cutStatements({ sql, tokens, parsed, position, toIndex }),
      locate,
      parsedText: text,
    };
  }
}

/**
 * Where a parse tree's `location` (a byte offset into `parsedText`) is in
 * `sql`: what {@link parseSql}'s `locate` does, made again from the two
 * texts (lint keeps parse results between runs as data).
 */
export function sqlLocator(
  sql: string,
  parsedText: string,
): (location: number) => SqlPosition {
  const position = createLineIndex(sql);
  const toIndex = createByteToIndex(parsedText);
  return (location) => {
    const offset = toIndex(location);
    return { offset, ...position(offset) };
  };
}

interface RawStatement {
  stmt?: unknown;
  stmt_location?: number;
  stmt_len?: number;
}

/** Cuts the original text at the parser's statement boundaries, trimmed to the first and last token. */
function cutStatements(input: {
  sql: string;
  tokens: readonly SqlToken[];
  parsed: unknown;
  position: (offset: number) => { line: number; column: number };
  toIndex: (byteOffset: number) => number;
}): SqlStatement[] {
  const { sql, tokens, parsed, position, toIndex } = input;
  const raw = (parsed as { stmts?: RawStatement[] }).stmts ?? [];
  const statements: SqlStatement[] = [];
  let t = 0;
  for (const statement of raw) {
    const location = statement.stmt_location ?? 0;
    // libpg-query omits zero fields: no length means "to the end of the input".
    const rangeStart = toIndex(location);
    const rangeEnd = statement.stmt_len
      ? toIndex(location + statement.stmt_len)
      : sql.length;
    while (t < tokens.length && (tokens[t] as SqlToken).start < rangeStart)
      t += 1;
    let start = -1;
    let end = -1;
    for (
      ;
      t < tokens.length && (tokens[t] as SqlToken).start < rangeEnd;
      t += 1
    ) {
      const token = tokens[t] as SqlToken;
      if (token.kind === "comment") continue;
      if (start === -1) start = token.start;
      end = Math.min(token.end, rangeEnd);
    }
    if (start === -1) continue;
    statements.push({
      text: sql.slice(start, end),
      start,
      end,
      ...position(start),
      tree: statement.stmt,
    });
  }
  return statements;
}

interface Placeholders {
  /** The text for the parser: `sql` with defined variables replaced, same length. */
  text(): string;
  /** Switches a raw variable at the error to a number placeholder; false when there is none left to try. */
  retryAt(offset: number, length: number): boolean;
  /** The parser's message about the parse text, told about the original text. */
  explain(message: string, offset: number, near: string | undefined): string;
}

/**
 * Same-length stand-ins for psql variables, so that the parser sees SQL and
 * every offset it reports is an offset in the original text.
 */
function createPlaceholders(
  sql: string,
  tokens: readonly SqlToken[],
  variables: Iterable<string> | undefined,
): Placeholders {
  const defined = variables === undefined ? undefined : new Set(variables);
  const uses = tokens.filter(
    (token): token is Extract<SqlToken, { kind: "variable" }> =>
      token.kind === "variable" &&
      (defined === undefined
        ? !/^[0-9]/.test(token.name)
        : defined.has(token.name)),
  );
  const numeric = new Set<number>();
  const overlapping = (offset: number, length: number) =>
    uses.filter(
      (use) =>
        use.syntax !== "psql-literal" &&
        use.syntax !== "psql-identifier" &&
        use.start < offset + length &&
        use.end > offset,
    );

  return {
    text() {
      const parts: string[] = [];
      let pos = 0;
      uses.forEach((use, index) => {
        const length = use.end - use.start;
        const inner = "x".repeat(Math.max(length - 2, 0));
        const placeholder =
          use.syntax === "psql-literal"
            ? `'${inner}'`
            : use.syntax === "psql-identifier"
              ? `"${inner}"`
              : numeric.has(index)
                ? "0".repeat(length)
                : "x".repeat(length);
        parts.push(sql.slice(pos, use.start), placeholder);
        pos = use.end;
      });
      parts.push(sql.slice(pos));
      // A lone surrogate would reach the parser as bytes that shift every later offset.
      return parts
        .join("")
        .replace(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
          "\ufffd",
        );
    },
    retryAt(offset, length) {
      const candidate = overlapping(offset, Math.max(length, 1)).find(
        (use) => !numeric.has(uses.indexOf(use)),
      );
      if (candidate === undefined) return false;
      numeric.add(uses.indexOf(candidate));
      return true;
    },
    explain(message, offset, near) {
      let explained = message;
      // The message quotes the parse text; quote the original instead.
      if (near !== undefined)
        explained = explained.replace(
          `"${near}"`,
          `"${sql.slice(offset, offset + near.length)}"`,
        );
      const raw = overlapping(offset, Math.max(near?.length ?? 1, 1))[0];
      if (raw !== undefined) {
        explained += ` (psql variable :${raw.name} is raw text whose value is not known here; it was checked as a name and as a number)`;
      }
      return explained;
    },
  };
}

function syntaxDetails(error: unknown): {
  message: string;
  cursorPosition: number;
} {
  if (error instanceof Error && "sqlDetails" in error) {
    const details = (
      error as Error & {
        sqlDetails?: { message?: unknown; cursorPosition?: unknown };
      }
    ).sqlDetails;
    if (details !== undefined && typeof details.cursorPosition === "number") {
      return {
        message:
          typeof details.message === "string" ? details.message : error.message,
        cursorPosition: details.cursorPosition,
      };
    }
  }
  // Not a syntax error; report it where the text starts.
  return {
    message: error instanceof Error ? error.message : String(error),
    cursorPosition: 0,
  };
}
