import { describe, expect, it } from "vitest";
import { found, lintMarkdown, md } from "./lint-helpers.js";

/** Front matter of 5 lines: database `app`, params `pw` (secret), `name`, `col` (raw). */
const FM = md(
  "---",
  'databases: { app: "postgres://postgres@127.0.0.1:5432/app" }',
  "params: { pw: { secret: true }, name: { default: x }, col: { raw: true, default: id } }",
  "---",
  "",
);
const sql = (...lines: string[]): string =>
  md(
    "## Step",
    "",
    "```sql {db=app}",
    ...lines,
    "```",
    "",
    '::check{db=app sql="SELECT 1" expect=1}',
  );
// The first line of a block made by sql() is line 9 of FM + sql().

describe("sql-syntax", () => {
  it("reports what the Postgres parser rejects at the line and column inside the block", async () => {
    const d = await lintMarkdown(
      FM + sql("SELECT 1;", "SELEC name FROM users;"),
    );
    expect(found(d, "sql-syntax")).toEqual(["10:1 error sql-syntax"]);
    expect(d.find((x) => x.rule === "sql-syntax")?.message).toContain(
      'syntax error at or near "SELEC"',
    );
  });

  it("reports inside leaf sql= checks and :::check containers", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## Step",
          "",
          '::check{db=app sql="SELECT FROM WHERE" expect=1}',
          "",
          ":::check{db=app}",
          "```sql",
          "SELECT 1",
          "FROM FROM",
          "```",
          ":::",
        ),
    );
    expect(found(d, "sql-syntax")).toEqual([
      "8:33 error sql-syntax",
      "13:6 error sql-syntax",
    ]);
  });

  it("understands psql variables, casts and colons in strings", async () => {
    const d = await lintMarkdown(
      FM +
        sql(
          "SELECT :'name', :\"name\" FROM t WHERE c = :col AND t.ts::date = '10:30'::time;",
        ),
    );
    expect(found(d, "sql-syntax", "undefined-variable")).toEqual([]);
  });

  it("accepts psql meta-commands in psql blocks, including \\gset and COPY data", async () => {
    const psql = md(
      "## Step",
      "",
      "```psql {db=app}",
      "CREATE DATABASE app2;",
      "\\c app2",
      "SELECT 1 AS one \\gset",
      "\\dt",
      "COPY t (a, b) FROM stdin;",
      "1\tfirst row, not SQL",
      "\\.",
      "\\echo :'name'",
      "```",
      "",
      '::check{db=app sql="SELECT 1" expect=1}',
    );
    const d = await lintMarkdown(FM + psql);
    expect(found(d, "sql-syntax", "psql-meta-command")).toEqual([]);
  });

  it("knows the variables a psql block defines itself, and psql's own", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## P",
          "```psql {db=app}",
          "\\set n 5",
          "SELECT :n AS five;",
          "\\echo :nope :'DBNAME'",
          "SELECT count(*) AS c FROM pg_class \\gset",
          "\\echo :c",
          "```",
          '::check{db=app sql="SELECT 1" expect=1}',
        ),
    );
    // After \gset any name may be set (one per column of the result), so only :nope, before it, is reported.
    expect(found(d, "undefined-variable")).toEqual([
      "10:7 error undefined-variable",
    ]);
  });

  it("still finds SQL errors between meta-commands of a psql block", async () => {
    const d = await lintMarkdown(
      FM + md("## Step", "", "```psql {db=app}", "\\c app", "SELEC 1;", "```"),
    );
    expect(found(d, "sql-syntax")).toEqual(["10:1 error sql-syntax"]);
  });

  it("says how to write a variable when ${name} broke the SQL", async () => {
    const d = await lintMarkdown(
      FM + sql("SELECT * FROM t WHERE name = ${name};"),
    );
    expect(found(d, "sql-syntax")).toEqual(["9:30 error sql-syntax"]);
    expect(d.find((x) => x.rule === "sql-syntax")?.message).toContain(
      `write :'name' for a value`,
    );
  });

  it("reports psql meta-commands in sql blocks and SQL checks", async () => {
    const d = await lintMarkdown(
      FM +
        sql("\\c app", "SELECT 1;") +
        md("", '::check{db=app sql="SELECT 1 \\gset" expect=1}'),
    );
    expect(found(d, "psql-meta-command")).toEqual([
      "9:1 error psql-meta-command",
      "15:30 error psql-meta-command",
    ]);
  });
});

describe("destructive-sql", () => {
  it.each([
    ["DROP DATABASE app;", "DROP DATABASE"],
    ["DROP TABLE IF EXISTS users CASCADE;", "DROP TABLE"],
    ["DROP SCHEMA app CASCADE;", "DROP SCHEMA"],
    ["TRUNCATE users;", "TRUNCATE"],
    ["DELETE FROM users;", "DELETE without WHERE"],
    ["UPDATE users SET name = 'x';", "UPDATE without WHERE"],
    [
      "WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*) FROM gone;",
      "DELETE without WHERE",
    ],
  ])("reports %s without a confirmation", async (statement, what) => {
    const d = await lintMarkdown(FM + sql("SELECT 1;", statement));
    expect(found(d, "destructive-sql")).toEqual(["10:1 error destructive-sql"]);
    expect(d.find((x) => x.rule === "destructive-sql")?.message).toContain(
      what,
    );
  });

  it.each([
    ["UPDATE users SET name = 'x' WHERE id = 1;"],
    ["DELETE FROM users WHERE created < now() - interval '1 year';"],
    ["SELECT 'DROP TABLE users; TRUNCATE t' AS text;"],
    ["-- DROP DATABASE app;\nSELECT 1;"],
    ["DROP INDEX users_name_idx;"],
  ])("does not report %s", async (statement) => {
    const d = await lintMarkdown(FM + sql(statement));
    expect(found(d, "destructive-sql")).toEqual([]);
  });

  it("accepts a block with confirm, a ::confirm gate before it, or only=rehearsal", async () => {
    const d = await lintMarkdown(
      FM +
        md("## A", "```sql {db=app confirm}", "DROP TABLE a;", "```") +
        md(
          "## B",
          '::confirm{type="app_production"}',
          "```sql {db=app}",
          "DROP TABLE b;",
          "```",
        ) +
        md("## C", "```sql {db=app only=rehearsal}", "DROP TABLE c;", "```"),
    );
    expect(found(d, "destructive-sql")).toEqual([]);
  });

  it("does not count a gate that comes after the block", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sql {db=app}",
          "DROP TABLE a;",
          "```",
          '::confirm{prompt="Done?"}',
        ),
    );
    expect(found(d, "destructive-sql")).toEqual(["8:1 error destructive-sql"]);
  });

  it("reads psql blocks too", async () => {
    const d = await lintMarkdown(
      FM + md("## A", "```psql {db=app}", "\\c app", "TRUNCATE t;", "```"),
    );
    expect(found(d, "destructive-sql")).toEqual(["9:1 error destructive-sql"]);
  });
});

describe("literal-password in SQL", () => {
  it("reports PASSWORD with a literal in CREATE USER, ALTER ROLE and OPTIONS", async () => {
    const d = await lintMarkdown(
      FM +
        sql(
          "CREATE USER rails WITH PASSWORD 'hunter2';",
          "ALTER ROLE rails ENCRYPTED PASSWORD 'x';",
          "CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password 'p');",
        ),
    );
    expect(found(d, "literal-password")).toEqual([
      "9:33 error literal-password",
      "10:37 error literal-password",
      "11:68 error literal-password",
    ]);
  });

  it("accepts a password given as a psql variable, NULL, or a SCRAM hash", async () => {
    const d = await lintMarkdown(
      FM +
        sql(
          "ALTER ROLE rails PASSWORD :'pw';",
          "ALTER ROLE rails PASSWORD NULL;",
          "ALTER ROLE rails PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a2V5:c2VydmVy';",
        ),
    );
    expect(found(d, "literal-password")).toEqual([]);
  });

  it("reports a password in a connection string, not a comparison with a password column", async () => {
    const d = await lintMarkdown(
      FM +
        sql(
          "CREATE SUBSCRIPTION s CONNECTION 'host=10.0.0.5 dbname=app password=s3cret' PUBLICATION p;",
          "SELECT 1 FROM users WHERE password = 'x';",
        ),
    );
    expect(found(d, "literal-password")).toEqual([
      "9:69 error literal-password",
    ]);
  });
});

describe("db-change-without-check", () => {
  it("warns when a step changes a database and has no check", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sql {db=app}",
          "SELECT 1;",
          "CREATE TABLE t (id int);",
          "```",
        ),
    );
    expect(found(d, "db-change-without-check")).toEqual([
      "9:1 warning db-change-without-check",
    ]);
    expect(d[0]?.message).toContain("CREATE TABLE");
  });

  it("is quiet with a check, for reads, and for psql blocks that only look", async () => {
    const d = await lintMarkdown(
      FM +
        sql("CREATE TABLE t (id int);") +
        md(
          "## Read",
          "```sql {db=app capture=n}",
          "SELECT count(*) FROM t;",
          "```",
        ) +
        md(
          "## Look",
          "```psql {db=app}",
          "\\dt",
          "SHOW server_version;",
          "```",
        ),
    );
    expect(found(d, "db-change-without-check")).toEqual([]);
  });

  it("counts a sentinel write as checked when a check verifies the sentinel", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "::sentinel{#last_write}",
          "## Write",
          "```sql {db=app}",
          "UPDATE t SET v = :'last_write' WHERE id = 1;",
          "```",
          "## Verify",
          '::check{db=app sql="SELECT v FROM t WHERE id = 1" expect="${last_write}"}',
        ),
    );
    expect(found(d)).toEqual([]);
  });

  it("reports side effects hidden in a SELECT and psql includes", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sql {db=app}",
          "SELECT pg_promote();",
          "```",
          "## B",
          "```psql {db=app}",
          "\\i schema.sql",
          "```",
        ),
    );
    expect(found(d, "db-change-without-check")).toEqual([
      "8:1 warning db-change-without-check",
      "12:1 warning db-change-without-check",
    ]);
  });
});

describe("check-not-read-only", () => {
  it("warns about a check that writes", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sh",
          "true",
          "```",
          '::check{db=app sql="DELETE FROM jobs WHERE done RETURNING 1" rows=">0"}',
          "::check{db=app sql=\"SELECT nextval('s')\" expect=1}",
        ),
    );
    expect(found(d, "check-not-read-only")).toEqual([
      "10:21 warning check-not-read-only",
      "11:21 warning check-not-read-only",
    ]);
  });

  it("accepts reads", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sh",
          "true",
          "```",
          '::check{db=app sql="SELECT count(*) FROM pg_stat_replication" expect=1}',
        ),
    );
    expect(found(d, "check-not-read-only")).toEqual([]);
  });
});

describe("check-read-only", () => {
  it("is an error for a check that could leave its read-only transaction, at the statement", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sh",
          "true",
          "```",
          '::check{db=app sql="COMMIT; CREATE TABLE escaped(x int); SELECT 1"}',
          ":::check{db=app}",
          "```sql",
          "SELECT 1;",
          "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;",
          "```",
          ":::",
        ),
    );
    expect(found(d, "check-read-only", "check-not-read-only")).toEqual([
      "10:21 error check-read-only",
      "10:29 warning check-not-read-only",
      "14:1 error check-read-only",
    ]);
    expect(d.find((x) => x.rule === "check-read-only")?.message).toMatch(
      /^COMMIT would end the check's read-only transaction/,
    );
  });

  it("reports DO and CALL once, as an error, not also as a change", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sh",
          "true",
          "```",
          '::check{db=app sql="CALL refresh()"}',
          "::check{db=app sql='DO $$ BEGIN END $$'}",
        ),
    );
    expect(found(d, "check-read-only", "check-not-read-only")).toEqual([
      "10:21 error check-read-only",
      "11:21 error check-read-only",
    ]);
  });

  it("does not concern sql blocks, which may control transactions", async () => {
    const d = await lintMarkdown(
      FM + sql("BEGIN;", "UPDATE t SET a = 1 WHERE id = 2;", "COMMIT;"),
    );
    expect(found(d, "check-read-only")).toEqual([]);
  });
});

describe("raw-psql-param", () => {
  it("warns when a param is pasted raw without raw: true", async () => {
    const d = await lintMarkdown(FM + sql("SELECT * FROM t LIMIT :name;"));
    expect(found(d, "raw-psql-param")).toEqual(["9:23 warning raw-psql-param"]);
  });

  it("accepts :'x', :\"x\", raw: true params and meta-command arguments", async () => {
    const d = await lintMarkdown(
      FM +
        sql("SELECT :'name', :\"name\", :col FROM t;") +
        md(
          "## P",
          "```psql {db=app}",
          "\\c :name",
          "SELECT 1;",
          "```",
          '::check{db=app sql="SELECT 1" expect=1}',
        ),
    );
    expect(found(d, "raw-psql-param")).toEqual([]);
  });
});
