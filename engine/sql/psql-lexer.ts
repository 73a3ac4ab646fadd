/** How a psql variable is interpolated: `:'name'`, `:"name"`, `:name`, or the `:{?name}` test. */
export type PsqlVarSyntax =
  "psql-literal" | "psql-identifier" | "psql-raw" | "psql-defined";

/** A token of SQL as psql's lexer sees it; whitespace is skipped. */
export type SqlToken =
  | {
      readonly kind:
        | "comment"
        | "string"
        | "quoted-identifier"
        | "word"
        | "semicolon"
        | "other";
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: "meta-command";
      readonly start: number;
      readonly end: number;
      readonly command: string;
    }
  | {
      readonly kind: "variable";
      readonly start: number;
      readonly end: number;
      readonly name: string;
      readonly syntax: PsqlVarSyntax;
      /** Inside the arguments of a backslash meta-command rather than in SQL. */
      readonly inMetaCommand: boolean;
    };

/** Meta-commands whose argument is the rest of the line, taken without variable substitution. */
const WHOLE_LINE_COMMANDS = new Set([
  "!",
  "copy",
  "ef",
  "ev",
  "sf",
  "sf+",
  "sv",
  "sv+",
  "h",
  "help",
]);

const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
// psql works on bytes and counts every byte >= 0x80 as a letter, so every
// non-ASCII character (any UTF-16 unit >= 0x80) is one here.
const isIdentStart = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f ||
  c >= 0x80;
const isIdentCont = (c: number): boolean =>
  isIdentStart(c) || isDigit(c) || c === 0x24;
/** psql's `variable_char`, also dollar-quote tag characters after the first. */
const isVarChar = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isNewline = (c: number): boolean => c === 0x0a || c === 0x0d;

/**
 * Splits SQL into tokens the way psql's lexer (src/fe_utils/psqlscan.l) does,
 * with `standard_conforming_strings` on: comments (`--`, nested `/* *\/`),
 * string literals (`'…'`, `E'…'` with backslash escapes, `B'…'`, `X'…'`,
 * `N'…'`, `U&'…'`), dollar-quoted strings, quoted identifiers, psql variable
 * interpolations, backslash meta-commands (to the end of the line or `\\`),
 * and everything else. Unterminated quotes and comments run to the end.
 */
export function scanSqlTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  const at = (i: number): number => (i < n ? sql.charCodeAt(i) : -1);
  const push = (
    kind:
      | "comment"
      | "string"
      | "quoted-identifier"
      | "word"
      | "semicolon"
      | "other",
    start: number,
    end: number,
  ): number => {
    tokens.push({ kind, start, end });
    return end;
  };

  /** End of a quoted run opened before `from`; `''` (or `""`) is a doubled quote. */
  const quoted = (
    from: number,
    quote: number,
    backslashEscapes: boolean,
    stopAtNewline = false,
  ): number => {
    for (let j = from; j < n; j += 1) {
      const c = sql.charCodeAt(j);
      if (stopAtNewline && isNewline(c)) return j;
      if (backslashEscapes && c === BACKSLASH) j += 1;
      else if (c === quote) {
        if (at(j + 1) !== quote) return j + 1;
        j += 1;
      }
    }
    return n;
  };

  /** A variable interpolation at `i` (a colon), or undefined when the colon is just a colon. */
  const variable = (
    i: number,
    inMetaCommand: boolean,
  ): SqlToken | undefined => {
    const next = at(i + 1);
    let j = i + 1;
    if (isVarChar(next)) {
      while (isVarChar(at(j))) j += 1;
      return {
        kind: "variable",
        start: i,
        end: j,
        name: sql.slice(i + 1, j),
        syntax: "psql-raw",
        inMetaCommand,
      };
    }
    const closing =
      next === QUOTE
        ? QUOTE
        : next === DQUOTE
          ? DQUOTE
          : next === 0x7b && at(i + 2) === 0x3f
            ? 0x7d
            : -1;
    if (closing === -1) return undefined;
    const nameStart = closing === 0x7d ? i + 3 : i + 2;
    for (j = nameStart; isVarChar(at(j));) j += 1;
    if (j === nameStart || at(j) !== closing) return undefined;
    const syntax =
      closing === QUOTE
        ? "psql-literal"
        : closing === DQUOTE
          ? "psql-identifier"
          : "psql-defined";
    return {
      kind: "variable",
      start: i,
      end: j + 1,
      name: sql.slice(nameStart, j),
      syntax,
      inMetaCommand,
    };
  };

  /** A backslash meta-command at `i`; returns where SQL resumes. */
  const metaCommand = (i: number): number => {
    let j = i + 1;
    while (j < n && !isSpace(at(j)) && at(j) !== BACKSLASH) j += 1;
    const command = sql.slice(i + 1, j);
    const argsStart = tokens.length;
    if (WHOLE_LINE_COMMANDS.has(command)) {
      while (j < n && !isNewline(at(j))) j += 1;
    } else {
      while (j < n && !isNewline(at(j)) && at(j) !== BACKSLASH) {
        const c = at(j);
        if (c === QUOTE) j = quoted(j + 1, QUOTE, true, true);
        else if (c === DQUOTE) j = quoted(j + 1, DQUOTE, false, true);
        else if (c === 0x60) j = quoted(j + 1, 0x60, false, true);
        else if (c === COLON) {
          const token = variable(j, true);
          if (token === undefined) j += 1;
          else {
            tokens.push(token);
            j = token.end;
          }
        } else j += 1;
      }
    }
    tokens.splice(argsStart, 0, {
      kind: "meta-command",
      start: i,
      end: j,
      command,
    });
    // `\\` ends a meta-command and SQL goes on; a single `\` starts the next command.
    return at(j) === BACKSLASH && at(j + 1) === BACKSLASH ? j + 2 : j;
  };

  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    const next = at(i + 1);
    if (isSpace(c)) {
      i += 1;
    } else if (c === 0x2d && next === 0x2d) {
      let j = i + 2;
      while (j < n && !isNewline(sql.charCodeAt(j))) j += 1;
      i = push("comment", i, j);
    } else if (c === 0x2f && next === 0x2a) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql.charCodeAt(j) === 0x2f && at(j + 1) === 0x2a) {
          depth += 1;
          j += 2;
        } else if (sql.charCodeAt(j) === 0x2a && at(j + 1) === 0x2f) {
          depth -= 1;
          j += 2;
        } else j += 1;
      }
      i = push("comment", i, Math.min(j, n));
    } else if (c === QUOTE) {
      i = push("string", i, quoted(i + 1, QUOTE, false));
    } else if (c === DQUOTE) {
      i = push("quoted-identifier", i, quoted(i + 1, DQUOTE, false));
    } else if (isIdentStart(c)) {
      const lower = c | 0x20;
      if (next === QUOTE && lower === 0x65) {
        i = push("string", i, quoted(i + 2, QUOTE, true));
      } else if (
        next === QUOTE &&
        (lower === 0x62 || lower === 0x78 || lower === 0x6e)
      ) {
        i = push("string", i, quoted(i + 2, QUOTE, false));
      } else if (lower === 0x75 && next === 0x26 && at(i + 2) === QUOTE) {
        i = push("string", i, quoted(i + 3, QUOTE, false));
      } else if (lower === 0x75 && next === 0x26 && at(i + 2) === DQUOTE) {
        i = push("quoted-identifier", i, quoted(i + 3, DQUOTE, false));
      } else {
        let j = i + 1;
        while (isIdentCont(at(j))) j += 1;
        i = push("word", i, j);
      }
    } else if (isDigit(c) || (c === 0x2e && isDigit(next))) {
      let j = i;
      while (isDigit(at(j))) j += 1;
      // `1..10` is 1, `..`, 10.
      if (at(j) === 0x2e && at(j + 1) !== 0x2e)
        for (j += 1; isDigit(at(j));) j += 1;
      const sign = at(j + 1) === 0x2b || at(j + 1) === 0x2d ? 1 : 0;
      if ((at(j) | 0x20) === 0x65 && isDigit(at(j + 1 + sign)))
        for (j += 2 + sign; isDigit(at(j));) j += 1;
      // Trailing letters (0x1F, 1_000, or junk the server will reject) belong to the number.
      if (isIdentStart(at(j))) while (isIdentCont(at(j))) j += 1;
      i = push("word", i, j);
    } else if (c === 0x24) {
      let j = i + 1;
      if (isDigit(next)) {
        while (isDigit(at(j))) j += 1;
        i = push("word", i, j);
        continue;
      }
      if (isIdentStart(next)) while (isVarChar(at(j))) j += 1;
      if (at(j) !== 0x24) {
        i = push("other", i, i + 1);
        continue;
      }
      const delimiter = sql.slice(i, j + 1);
      const close = sql.indexOf(delimiter, j + 1);
      i = push("string", i, close === -1 ? n : close + delimiter.length);
    } else if (c === COLON) {
      if (next === COLON) {
        i = push("other", i, i + 2);
        continue;
      }
      const token = variable(i, false);
      if (token === undefined) i = push("other", i, i + 1);
      else {
        tokens.push(token);
        i = token.end;
      }
    } else if (c === BACKSLASH) {
      // `\;` and `\:` put a plain `;` or `:` into the query.
      if (next === 0x3b || next === COLON) i = push("other", i, i + 2);
      else i = metaCommand(i);
    } else if (c === 0x3b) {
      i = push("semicolon", i, i + 1);
    } else {
      i = push("other", i, i + 1);
    }
  }
  return tokens;
}
