import {
  parseSql,
  sqlLocator,
  type SqlPosition,
} from "../../engine/sql/index.js";

/** A statement of a SQL text, with its parse tree and its place in the snippet. */
export interface AnalyzedStatement {
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** libpg-query's tree, e.g. `{ DropdbStmt: { dbname: 'app' } }`. */
  readonly tree: unknown;
}

/** A problem in a SQL snippet, in the snippet's lines and columns. */
export interface SqlProblem {
  readonly rule: "sql-syntax" | "psql-meta-command";
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A backslash command of a psql script (`\c app`, `\gset`). */
export interface MetaCommand {
  readonly command: string;
  /** The rest of its line. */
  readonly args: string;
  readonly line: number;
  readonly column: number;
}

/** What the Postgres parser made of a snippet. */
export interface SqlAnalysis {
  /** The statements that parsed (none when there is a syntax error: the parser gives all or nothing). */
  readonly statements: readonly AnalyzedStatement[];
  readonly problems: readonly SqlProblem[];
  readonly metaCommands: readonly MetaCommand[];
  /** The text that was parsed: the snippet with meta-commands and COPY data blanked, same length. */
  readonly text: string;
  /** The text the parser read (psql variables as placeholders), when it parsed. */
  readonly parsedText?: string;
  /** Where a parse tree's `location` (a byte offset) is in the snippet. */
  locate(location: number): SqlPosition | undefined;
}

/** An analysis as JSON text, for lint's cache (everything but `locate`, which is made again from the texts). */
export function storedAnalysis(analysis: SqlAnalysis): string {
  const { statements, problems, metaCommands, text, parsedText } = analysis;
  return JSON.stringify({
    statements,
    problems,
    metaCommands,
    text,
    ...(parsedText !== undefined ? { parsedText } : {}),
  });
}

/** A stored analysis, or undefined when `value` is not one. */
export function restoreAnalysis(value: unknown): SqlAnalysis | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    !Array.isArray(v["statements"]) ||
    !Array.isArray(v["problems"]) ||
    !Array.isArray(v["metaCommands"]) ||
    typeof v["text"] !== "string"
  )
    return undefined;
  const parsedText = v["parsedText"];
  if (parsedText !== undefined && typeof parsedText !== "string")
    return undefined;
  return withLocate(value as Omit<SqlAnalysis, "locate">);
}

function withLocate(data: Omit<SqlAnalysis, "locate">): SqlAnalysis {
  const { parsedText, text } = data;
  return {
    ...data,
    locate:
      parsedText === undefined ? () => undefined : sqlLocator(text, parsedText),
  };
}

/** psql commands that send the query buffer, like a `;` would. */
const SENDS_QUERY = /^(?:g|gx|gset|gexec|gdesc|crosstabview|watch)$/;
const META_AT = /^\\([^\s\\]*)/;

/**
 * Parses a snippet with the real PostgreSQL parser (the WASM libpg-query;
 * `loadSqlParser()` must have resolved). psql variables are understood by the
 * parser adapter. In `psql` text, backslash meta-commands are psql's own and
 * are blanked out before parsing (a command that sends the query, such as
 * `\gset`, becomes the `;` it stands for), and the data lines after
 * `COPY … FROM stdin` are skipped; in `sql` text each meta-command is a
 * problem of its own, since node-postgres would send it to the server.
 */
export function analyzeSql(
  code: string,
  language: "sql" | "psql",
): SqlAnalysis {
  let text = language === "psql" ? blankCopyData(code) : code;
  const problems: SqlProblem[] = [];
  const metaCommands: MetaCommand[] = [];
  // Each round removes one meta-command; a guard keeps a pathological text finite.
  for (let round = 0; round <= text.length; round++) {
    const result = parseSql(text);
    if (!("error" in result)) {
      const statements = result.statements.map((s) => ({
        text: s.text,
        line: s.line,
        column: s.column,
        tree: s.tree,
      }));
      return withLocate({
        statements,
        problems,
        metaCommands,
        text,
        parsedText: result.parsedText,
      });
    }
    const { error } = result;
    const meta =
      text.charCodeAt(error.offset) === 0x5c
        ? META_AT.exec(text.slice(error.offset))
        : null;
    if (!meta || !error.message.includes("meta-command")) {
      problems.push({
        rule: "sql-syntax",
        line: error.line,
        column: error.column,
        message: error.message,
      });
      break;
    }
    const command = meta[1] ?? "";
    const newline = text.indexOf("\n", error.offset);
    const end = newline < 0 ? text.length : newline;
    metaCommands.push({
      command,
      args: text.slice(error.offset + meta[0].length, end).trim(),
      line: error.line,
      column: error.column,
    });
    if (language === "sql") {
      problems.push({
        rule: "psql-meta-command",
        line: error.line,
        column: error.column,
        message: `\\${command} is a psql meta-command, not SQL: node-postgres would send it to the server`,
      });
    }
    text =
      text.slice(0, error.offset) +
      (SENDS_QUERY.test(command) ? ";" : " ") +
      " ".repeat(end - error.offset - 1) +
      text.slice(end);
  }
  return withLocate({ statements: [], problems, metaCommands, text });
}

/** Blanks the data lines psql reads after `COPY … FROM stdin` (up to `\.`): they are not SQL. */
function blankCopyData(code: string): string {
  if (!/\bfrom\s+p?stdin\b/i.test(code)) return code;
  const lines = code.split("\n");
  let inData = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (inData) {
      if (line.trim() === "\\.") inData = false;
      lines[i] = " ".repeat(line.length);
    } else if (
      /\bfrom\s+p?stdin\b/i.test(line) &&
      (/^\s*\\copy\b/i.test(line) || /;\s*$/.test(line))
    ) {
      inData = true;
    }
  }
  return lines.join("\n");
}
