import { describe, expect, it } from "vitest";
import {
  scanPsqlVariables,
  type PsqlVarUse,
} from "../../../engine/sql/index.js";

/** `name:syntax` of every use, for compact expectations. */
function names(sql: string): string[] {
  return scanPsqlVariables(sql).map(
    (use) => `${use.name}:${use.syntax.replace("psql-", "")}`,
  );
}

describe("scanPsqlVariables", () => {
  it("finds the three forms with their offsets, lines and columns", () => {
    const sql = "SELECT :'last_write', :\"tbl\",\n  :limit FROM t";
    const uses = scanPsqlVariables(sql);
    expect(uses).toEqual<PsqlVarUse[]>([
      {
        name: "last_write",
        syntax: "psql-literal",
        start: 7,
        end: 20,
        line: 1,
        column: 8,
        plausible: true,
        inMetaCommand: false,
      },
      {
        name: "tbl",
        syntax: "psql-identifier",
        start: 22,
        end: 28,
        line: 1,
        column: 23,
        plausible: true,
        inMetaCommand: false,
      },
      {
        name: "limit",
        syntax: "psql-raw",
        start: 32,
        end: 38,
        line: 2,
        column: 3,
        plausible: true,
        inMetaCommand: false,
      },
    ]);
    for (const use of uses)
      expect(sql.slice(use.start, use.end).startsWith(":")).toBe(true);
  });

  it("finds the :{?name} test", () => {
    expect(names("SELECT :{?debug}")).toEqual(["debug:defined"]);
  });

  it.each([
    ["a standard string", "SELECT ':a', 'it''s :a', :b"],
    ["an E string with backslash escapes", "SELECT E'it\\'s :a', e'\\\\', :b"],
    [
      "B, X, N and U& strings",
      "SELECT B'1:a', X'f:a', N':a', U&':a', U&\":a\", :b",
    ],
    ["a dollar-quoted string", "SELECT $$ :a $$, :b"],
    [
      "a tagged dollar-quoted string with a different tag inside",
      "SELECT $fn$ :a $x$ :a $fn$, :b",
    ],
    ["a double-quoted identifier", 'SELECT "col:a", "say ""x:a""", :b'],
    ["a line comment", "SELECT 1 -- :a\n, :b"],
    ["a nested block comment", "SELECT /* :a /* :a */ :a */ :b"],
    ["a comment that starts inside an operator", "SELECT 1 +-- :a\n :b"],
    ["casts", "SELECT x::int, now()::date, '1'::text, :b"],
    ["an assignment and named arguments", "SELECT f(a := 1, b => 2), :b"],
    ["a backslash-escaped colon", "SELECT \\:a, :b"],
  ])("ignores colons inside %s", (_what, sql) => {
    expect(names(sql)).toEqual(["b:raw"]);
  });

  it("does not take a $ inside an identifier for a dollar quote", () => {
    expect(names("SELECT foo$$ :a, b$x$ :c")).toEqual(["a:raw", "c:raw"]);
    expect(names("SELECT $1:a")).toEqual(["a:raw"]);
  });

  it("finds a variable right after a cast, as psql does", () => {
    expect(names("SELECT x:::t")).toEqual(["t:raw"]);
  });

  it("reports array slices as candidates that are not plausible", () => {
    const uses = scanPsqlVariables("SELECT arr[1:2], arr[1:n], arr[:3]");
    expect(uses.map((use) => [use.name, use.plausible])).toEqual([
      ["2", false],
      ["n", true],
      ["3", false],
    ]);
  });

  it("ignores incomplete quoted forms, whose quote then opens a string as in psql", () => {
    expect(
      names("SELECT :'bad name', :'', :\"\", :{?x, :b, :'open :c"),
    ).toEqual(["b:raw"]);
  });

  it("takes non-ASCII letters as name characters, like psql", () => {
    expect(names("SELECT :'café', :日本")).toEqual([
      "café:literal",
      "日本:raw",
    ]);
  });

  it("counts columns in UTF-16 units and lines across CRLF and CR", () => {
    const uses = scanPsqlVariables("SELECT 'héllo 日本', :a;\r\nSELECT\r:b");
    expect(uses.map((use) => [use.name, use.line, use.column])).toEqual([
      ["a", 1, 20],
      ["b", 3, 1],
    ]);
  });

  it("finds variables in meta-command arguments, except quoted ones and whole-line commands", () => {
    const sql =
      "\\set greeting :'name'\n\\c :db\n\\echo ':x' \":x\" `echo :x` :y\n\\! echo :x\nSELECT :z \\gset\n";
    expect(
      scanPsqlVariables(sql).map((use) => [
        use.name,
        use.syntax,
        use.inMetaCommand,
      ]),
    ).toEqual([
      ["name", "psql-literal", true],
      ["db", "psql-raw", true],
      ["y", "psql-raw", true],
      ["z", "psql-raw", false],
    ]);
  });

  it("resumes SQL after \\\\ ends a meta-command", () => {
    expect(
      scanPsqlVariables("\\x on \\\\ SELECT :a").map(
        (use) => use.inMetaCommand,
      ),
    ).toEqual([false]);
  });

  it("returns nothing for text without variables", () => {
    expect(scanPsqlVariables("")).toEqual([]);
    expect(scanPsqlVariables("SELECT 1; -- done")).toEqual([]);
  });
});
