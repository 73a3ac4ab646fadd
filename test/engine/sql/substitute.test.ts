import { beforeAll, describe, expect, it } from "vitest";
import {
  loadSqlParser,
  parseSql,
  PsqlVariableError,
  quoteIdentifier,
  quoteLiteral,
  substitutePsqlVariables,
  type SqlStatement,
} from "../../../engine/sql/index.js";

const HOSTILE = [
  "x'); DROP TABLE people; --",
  "it's",
  "'",
  "''",
  'a"b',
  "back\\slash",
  "\\'; DROP TABLE people; --",
  "\\",
  "$$; DROP TABLE people; $$",
  "$tag$",
  "line one\nline two\r\n",
  "-- not a comment",
  "/* not a comment",
  ":other :'x' :\"y\"",
  "héllo 日本 ☃ 😀",
] as const;

function only(statements: SqlStatement[]): Record<string, unknown> {
  expect(statements).toHaveLength(1);
  return (statements[0] as SqlStatement).tree as Record<string, unknown>;
}

describe("quoteLiteral and quoteIdentifier", () => {
  it("quote like PQescapeLiteral: doubled quotes, and the E form with a leading space when there is a backslash", () => {
    expect(quoteLiteral("plain")).toBe("'plain'");
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral("a\\b")).toBe(" E'a\\\\b'");
    expect(quoteLiteral("'\\")).toBe(" E'''\\\\'");
    expect(quoteLiteral("")).toBe("''");
  });

  it("quote identifiers like PQescapeIdentifier", () => {
    expect(quoteIdentifier("Users")).toBe('"Users"');
    expect(quoteIdentifier('a"b\\c')).toBe('"a""b\\c"');
  });
});

describe("substitutePsqlVariables", () => {
  it("substitutes the three forms from a Map or a record", () => {
    const sql = "UPDATE :\"tbl\" SET name = :'name' WHERE id = :id";
    const expected = `UPDATE "users" SET name = 'O''Brien' WHERE id = 1803`;
    expect(
      substitutePsqlVariables(sql, {
        tbl: "users",
        name: "O'Brien",
        id: "1803",
      }),
    ).toBe(expected);
    expect(
      substitutePsqlVariables(
        sql,
        new Map([
          ["tbl", "users"],
          ["name", "O'Brien"],
          ["id", "1803"],
        ]),
      ),
    ).toBe(expected);
  });

  it("replaces :{?name} by TRUE or FALSE", () => {
    expect(substitutePsqlVariables("SELECT :{?a}, :{?b}", { a: "" })).toBe(
      "SELECT TRUE, FALSE",
    );
  });

  it("leaves text where psql would not substitute alone", () => {
    const sql = "SELECT ':v', $$:v$$, \"x:v\", x::int -- :v\n/* :v */";
    expect(substitutePsqlVariables(sql, { v: "VALUE", int: "VALUE" })).toBe(
      sql,
    );
  });

  it("keeps undefined variables as written by default, like psql", () => {
    expect(
      substitutePsqlVariables("SELECT :a, :'b', :\"c\", arr[1:2]", {}),
    ).toBe("SELECT :a, :'b', :\"c\", arr[1:2]");
  });

  it("with onUndefined: error, names the undefined variable and its place, but keeps implausible names", () => {
    expect(
      substitutePsqlVariables("SELECT arr[1:2]", {}, { onUndefined: "error" }),
    ).toBe("SELECT arr[1:2]");
    let thrown: unknown;
    try {
      substitutePsqlVariables(
        "SELECT 1,\n  :missing",
        {},
        { onUndefined: "error" },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PsqlVariableError);
    expect(thrown).toMatchObject({ variable: "missing", line: 2, column: 3 });
    expect((thrown as Error).message).toBe(
      "psql variable :missing is not defined (line 2, column 3)",
    );
  });

  it("does not take names from the prototype of a record", () => {
    const sql = "SELECT :constructor, :toString, :__proto__";
    expect(substitutePsqlVariables(sql, {}, { onUndefined: "keep" })).toBe(sql);
    expect(() =>
      substitutePsqlVariables(sql, {}, { onUndefined: "error" }),
    ).toThrow(PsqlVariableError);
  });

  it("refuses a NUL character or a lone surrogate, without printing the value", () => {
    expect(() =>
      substitutePsqlVariables("SELECT :'pw'", { pw: "sec\0ret" }),
    ).toThrow(
      /psql variable :pw contains a NUL character, which PostgreSQL cannot store/,
    );
    expect(() =>
      substitutePsqlVariables("SELECT :pw", { pw: "sec\0ret" }),
    ).toThrow(PsqlVariableError);
    expect(() =>
      substitutePsqlVariables("SELECT :'pw'", { pw: "sec\ud800ret" }),
    ).toThrow(/not valid Unicode/);
    try {
      substitutePsqlVariables("SELECT :'pw'", { pw: "sec\0ret" });
    } catch (error) {
      expect((error as Error).message).not.toContain("sec");
    }
  });

  it("substitutes raw values as they are", () => {
    expect(
      substitutePsqlVariables("SELECT * FROM t LIMIT :n", { n: "10 OFFSET 5" }),
    ).toBe("SELECT * FROM t LIMIT 10 OFFSET 5");
  });

  describe("keeps hostile values as data (checked with the real PostgreSQL parser)", () => {
    beforeAll(loadSqlParser);

    it.each(HOSTILE)("as a literal: %j", (value) => {
      const sql = substitutePsqlVariables("SELECT :'v' AS v", { v: value });
      const result = parseSql(sql, { variables: [] });
      if ("error" in result) throw new Error(result.error.message);
      const select = only(result.statements) as {
        SelectStmt: { targetList: { ResTarget: { val: unknown } }[] };
      };
      expect(select.SelectStmt.targetList).toHaveLength(1);
      expect(select.SelectStmt.targetList[0]?.ResTarget.val).toMatchObject({
        A_Const: { sval: { sval: value } },
      });
    });

    it.each(HOSTILE)("as an identifier: %j", (value) => {
      const sql = substitutePsqlVariables('SELECT 1 FROM :"v"', { v: value });
      const result = parseSql(sql, { variables: [] });
      if ("error" in result) throw new Error(result.error.message);
      const select = only(result.statements) as {
        SelectStmt: { fromClause: { RangeVar: { relname: string } }[] };
      };
      expect(select.SelectStmt.fromClause).toHaveLength(1);
      expect(select.SelectStmt.fromClause[0]?.RangeVar.relname).toBe(value);
    });
  });
});
