import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadSqlParser,
  parseSql,
  splitStatements,
  splitStatementsSync,
  SqlSyntaxError,
  type SqlParseError,
  type SqlStatement,
} from "../../../engine/sql/index.js";

/** [text, line, column] of each statement. */
function cut(sql: string): [string, number, number][] {
  return splitStatementsSync(sql).map((statement) => [
    statement.text,
    statement.line,
    statement.column,
  ]);
}

function errorOf(sql: string, variables?: string[]): SqlParseError {
  const result = parseSql(sql, variables === undefined ? {} : { variables });
  if (!("error" in result))
    throw new Error(
      `expected a syntax error, got ${result.statements.length} statements`,
    );
  return result.error;
}

function kind(statement: SqlStatement | undefined): string {
  return Object.keys(statement?.tree as object)[0] ?? "";
}

describe("loading the parser", () => {
  it("is needed before parsing synchronously", async () => {
    // Nothing in this file has loaded it yet: tests run in order.
    expect(() => parseSql("SELECT 1")).toThrow(/loadSqlParser/);
    await Promise.all([loadSqlParser(), loadSqlParser()]);
    expect(cut("SELECT 1")).toEqual([["SELECT 1", 1, 1]]);
  });

  it("is imported lazily, so importing engine/sql does not compile WebAssembly", () => {
    const folder = fileURLToPath(
      new URL("../../../engine/sql/", import.meta.url),
    );
    for (const file of readdirSync(folder).filter((name) =>
      name.endsWith(".ts"),
    )) {
      expect(readFileSync(`${folder}${file}`, "utf8"), file).not.toMatch(
        /^import[^;]*from 'libpg-query'/m,
      );
    }
  });
});

describe("splitStatements", () => {
  beforeAll(loadSqlParser);

  it("finds no statements in empty text or text with only comments", async () => {
    expect(await splitStatements("")).toEqual([]);
    expect(await splitStatements("  \n\t")).toEqual([]);
    expect(
      await splitStatements("-- nothing here\n/* nor /* here */ */\n;"),
    ).toEqual([]);
  });

  it("cuts statements and gives each one its offsets, line and column", async () => {
    const sql = "SELECT 1;\nSELECT 2;";
    const statements = await splitStatements(sql);
    expect(
      statements.map(({ text, start, end, line, column }) => ({
        text,
        start,
        end,
        line,
        column,
      })),
    ).toEqual([
      { text: "SELECT 1", start: 0, end: 8, line: 1, column: 1 },
      { text: "SELECT 2", start: 10, end: 18, line: 2, column: 1 },
    ]);
    for (const statement of statements)
      expect(sql.slice(statement.start, statement.end)).toBe(statement.text);
  });

  it("keeps a last statement without a semicolon, and drops a trailing comment", () => {
    expect(cut("SELECT 1;\nSELECT 2")).toEqual([
      ["SELECT 1", 1, 1],
      ["SELECT 2", 2, 1],
    ]);
    expect(cut("SELECT 1 -- done")).toEqual([["SELECT 1", 1, 1]]);
  });

  it("trims whitespace and comments around a statement but keeps those inside it", () => {
    expect(
      cut("  -- first\n  /* c */ SELECT 1 -- one\n + 2 /* tail */ ;"),
    ).toEqual([["SELECT 1 -- one\n + 2", 2, 11]]);
  });

  it("does not cut at semicolons inside strings, dollar quotes, identifiers or comments", () => {
    const sql =
      "SELECT ';' AS a; SELECT $$;$$; SELECT E'it\\'s; ok'; SELECT 1 /* ; */; SELECT \"a;b\" FROM t -- ;\n;";
    expect(cut(sql).map(([text]) => text)).toEqual([
      "SELECT ';' AS a",
      "SELECT $$;$$",
      "SELECT E'it\\'s; ok'",
      "SELECT 1",
      'SELECT "a;b" FROM t',
    ]);
  });

  it("keeps a function body with semicolons in one statement", () => {
    const sql = [
      "CREATE FUNCTION bump() RETURNS trigger AS $$",
      "BEGIN",
      "  NEW.updated_at := now();",
      "  RETURN NEW;",
      "END;",
      "$$ LANGUAGE plpgsql;",
      "SELECT 1;",
    ].join("\n");
    const statements = splitStatementsSync(sql);
    expect(statements.map(kind)).toEqual(["CreateFunctionStmt", "SelectStmt"]);
    expect(statements[0]?.text).toBe(sql.slice(0, sql.indexOf(";\nSELECT 1")));
    expect(statements[1]).toMatchObject({
      text: "SELECT 1",
      line: 7,
      column: 1,
    });
  });

  it("skips empty statements", () => {
    expect(cut("SELECT 1;;SELECT 2;;")).toEqual([
      ["SELECT 1", 1, 1],
      ["SELECT 2", 1, 11],
    ]);
  });

  it("gives columns of several statements on one line", () => {
    expect(cut("BEGIN; UPDATE t SET a = 1; COMMIT;")).toEqual([
      ["BEGIN", 1, 1],
      ["UPDATE t SET a = 1", 1, 8],
      ["COMMIT", 1, 28],
    ]);
  });

  it("handles CRLF text", () => {
    expect(cut("SELECT 1;\r\nSELECT\r\n  2;\r\n")).toEqual([
      ["SELECT 1", 1, 1],
      ["SELECT\r\n  2", 2, 1],
    ]);
  });

  it("converts the parser byte offsets to UTF-16 offsets after non-ASCII text", () => {
    const sql = "SELECT 'héllo 日本 😀' AS greeting; SELECT 'ü';\nSELECT 3";
    const statements = splitStatementsSync(sql);
    expect(statements.map((statement) => statement.text)).toEqual([
      "SELECT 'héllo 日本 😀' AS greeting",
      "SELECT 'ü'",
      "SELECT 3",
    ]);
    expect(statements.map((statement) => statement.start)).toEqual([
      0,
      sql.indexOf("SELECT 'ü'"),
      sql.indexOf("SELECT 3"),
    ]);
    expect(statements[1]).toMatchObject({
      line: 1,
      column: sql.indexOf("SELECT 'ü'") + 1,
    });
  });

  it("keeps offsets right after a lone surrogate", () => {
    const sql = "SELECT '\ud800'; SELECT 2";
    expect(
      splitStatementsSync(sql).map((statement) => statement.start),
    ).toEqual([0, sql.indexOf("SELECT 2")]);
  });

  it("parses psql variables in each form and keeps them in the statement text", () => {
    const sql =
      "UPDATE users SET full_name = :'last_write' WHERE id = :id;\nSELECT * FROM :\"tbl\" WHERE :{?debug};";
    const statements = splitStatementsSync(sql);
    expect(statements.map((statement) => statement.text)).toEqual([
      "UPDATE users SET full_name = :'last_write' WHERE id = :id",
      'SELECT * FROM :"tbl" WHERE :{?debug}',
    ]);
    expect(statements.map(kind)).toEqual(["UpdateStmt", "SelectStmt"]);
    expect(
      (statements[0]?.tree as { UpdateStmt: { whereClause?: unknown } })
        .UpdateStmt.whereClause,
    ).toBeDefined();
  });

  it("parses casts, which are not psql variables", () => {
    expect(
      cut("SELECT '1'::int, now()::date; SELECT x::text FROM t").map(
        ([text]) => text,
      ),
    ).toEqual(["SELECT '1'::int, now()::date", "SELECT x::text FROM t"]);
  });

  it("tries a raw variable as a number where a name cannot stand", () => {
    expect(
      cut(
        "SELECT arr[1:n] FROM t; ALTER ROLE app CONNECTION LIMIT :max_connections",
      ).map(([text]) => text),
    ).toEqual([
      "SELECT arr[1:n] FROM t",
      "ALTER ROLE app CONNECTION LIMIT :max_connections",
    ]);
  });

  it("leaves array slices alone, and only interpolates the variables given as defined", () => {
    expect(cut("SELECT arr[1:2] FROM t").map(([text]) => text)).toEqual([
      "SELECT arr[1:2] FROM t",
    ]);
    expect(cut("SELECT :'v'")).toEqual([["SELECT :'v'", 1, 1]]);
    expect(errorOf("SELECT :'v'", [])).toMatchObject({
      message: 'syntax error at or near ":"',
      offset: 7,
      line: 1,
      column: 8,
    });
    expect("statements" in parseSql("SELECT :'v'", { variables: ["v"] })).toBe(
      true,
    );
  });

  it("maps parse-tree locations (bytes of the text with placeholders) back to the original text", () => {
    const sql = "SELECT '日本', :'café',\n  x FROM t";
    const result = parseSql(sql);
    if (!("statements" in result)) throw new Error(result.error.message);
    const select = result.statements[0]?.tree as {
      SelectStmt: { targetList: { ResTarget: { location: number } }[] };
    };
    const x = select.SelectStmt.targetList[2]?.ResTarget.location ?? -1;
    expect(result.locate(x)).toEqual({
      offset: sql.indexOf("x FROM"),
      line: 2,
      column: 3,
    });
  });

  it("exposes the parse tree for lint", () => {
    const [drop, update] = splitStatementsSync(
      "DROP DATABASE app; UPDATE users SET admin = true",
    );
    expect(kind(drop)).toBe("DropdbStmt");
    expect(kind(update)).toBe("UpdateStmt");
    expect(
      (update?.tree as { UpdateStmt: { whereClause?: unknown } }).UpdateStmt
        .whereClause,
    ).toBeUndefined();
  });
});

describe("syntax errors", () => {
  beforeAll(loadSqlParser);

  it("reports the message and the place in the original text", () => {
    expect(errorOf("SELECT 1;\n  SELEC 2;")).toEqual({
      message: 'syntax error at or near "SELEC"',
      offset: 12,
      line: 2,
      column: 3,
    });
  });

  it("maps the place after non-ASCII text to UTF-16 columns", () => {
    const sql = "SELECT '日本 😀', 1;\nSELECT 'é' FROM WHERE";
    expect(errorOf(sql)).toMatchObject({
      message: 'syntax error at or near "WHERE"',
      offset: sql.indexOf("WHERE"),
      line: 2,
      column: 17,
    });
  });

  it("reports an unterminated string or comment where it starts", () => {
    expect(errorOf("SELECT 1;\nSELECT 'open")).toMatchObject({
      line: 2,
      column: 8,
      message: `unterminated quoted string at or near "'open"`,
    });
    expect(errorOf("SELECT 1 /* open")).toMatchObject({ line: 1, column: 10 });
  });

  it("quotes the original text, not the placeholder, when the error is at a psql variable", () => {
    expect(errorOf("SELECT :'a' :'b'")).toMatchObject({
      message: `syntax error at or near ":'b'"`,
      column: 13,
    });
    const raw = errorOf("SELECT * FROM t ORDER BY name :direction");
    expect(raw.message).toMatch(
      /^syntax error at or near ":direction" \(psql variable :direction is raw text/,
    );
    expect(raw).toMatchObject({ line: 1, column: 31 });
  });

  it("refuses psql meta-commands and NUL characters", () => {
    expect(errorOf("SELECT 1 \\gset")).toMatchObject({
      message: "psql meta-command \\gset is not SQL; run it in a psql block",
      line: 1,
      column: 10,
    });
    expect(errorOf("SELECT 1;\nSELECT 2\0")).toMatchObject({
      message: "SQL text cannot contain a NUL character",
      line: 2,
      column: 9,
    });
  });

  it("reports a character that only JavaScript finds blank", () => {
    expect(errorOf("\u00a0")).toMatchObject({
      message: 'syntax error at or near "\u00a0"',
      offset: 0,
    });
  });

  it("makes splitStatements reject with a SqlSyntaxError", async () => {
    const rejection = splitStatements("SELECT 1;\nSELEC 2");
    await expect(rejection).rejects.toBeInstanceOf(SqlSyntaxError);
    await expect(rejection).rejects.toMatchObject({
      message: 'syntax error at or near "SELEC" (line 2, column 1)',
      offset: 10,
      line: 2,
      column: 1,
    });
  });
});
