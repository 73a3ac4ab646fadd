import pg from "pg";
import { describe, expect, it } from "vitest";
import { md } from "../../helpers/parse.js";
import { useSandbox } from "../../helpers/pg.js";
import { checkResults, runMarkdown, stepEnds } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

const pgEnv = useSandbox(["main"]);
const FM = (extra = ""): string =>
  md(
    "---",
    "params:",
    `  nickname: { default: "x'); DROP TABLE people; --" }`,
    `  weird: { default: 'back\\\\slash "dq" $$dollar$$ ''q''' }`,
    extra,
    "databases:",
    '  app: { url: "postgres://postgres@127.0.0.1:5432/postgres", sandbox: { cluster: main } }',
    '  other: { url: "postgres://postgres@127.0.0.1:5432/other_db", sandbox: { cluster: main } }',
    "---",
  );

async function run(body: string, extra = "", set: Record<string, string> = {}) {
  const { binding, secrets } = pgEnv();
  return runMarkdown(FM(extra) + body, {
    dir: tempDir(),
    sandbox: binding,
    secrets,
    mode: "rehearsal",
    set,
  });
}

async function query(db: string, sql: string): Promise<unknown[][]> {
  const { sandbox } = pgEnv();
  const client = new pg.Client({
    connectionString: sandbox.clusters.get("main")?.url(db),
  });
  await client.connect();
  try {
    return (await client.query({ text: sql, rowMode: "array" })).rows;
  } finally {
    await client.end();
  }
}

describe("sql actions", () => {
  it("runs statements one by one in autocommit, so CREATE DATABASE works, and shows results", async () => {
    const r = await run(
      md(
        "## Make",
        "```sql {db=app}",
        "CREATE DATABASE other_db;",
        "SELECT 'a;b' AS x, 2 AS y;",
        "```",
        "## Use",
        "```sql {db=other}",
        "CREATE TABLE t (id int);",
        "INSERT INTO t VALUES (1), (2);",
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).toMatch(/ x\s+\| y\n-+\+-+\n a;b \| 2\n\(1 row\)/);
    expect(r.output).toContain("INSERT 0 2");
    expect(r.output).toContain("CREATE DATABASE");
    expect(await query("other_db", "SELECT count(*) FROM t")).toEqual([["2"]]);
    await query("postgres", "DROP DATABASE other_db");
  });

  it("passes params as psql variables, quoted, so hostile values stay data", async () => {
    const r = await run(
      md(
        "## Q",
        "```sql {db=app}",
        "CREATE TABLE people (nickname text, w text);",
        "INSERT INTO people VALUES (:'nickname', :'weird');",
        'CREATE TABLE :"nickname" (id int);',
        "```",
        "::check{db=app sql=\"SELECT count(*) FROM people WHERE nickname = :'nickname' AND w = :'weird'\" expect=1}",
        "::check{db=app sql=\"SELECT count(*) FROM pg_tables WHERE tablename = :'nickname'\" expect=1}",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(await query("postgres", "SELECT nickname, w FROM people")).toEqual([
      [
        "x'); DROP TABLE people; --",
        String.raw`back\\slash "dq" $$dollar$$ 'q'`,
      ],
    ]);
    await query(
      "postgres",
      `DROP TABLE people; DROP TABLE "x'); DROP TABLE people; --"`,
    );
  });

  it("captures the first column of the first row", async () => {
    const r = await run(
      md(
        "## C",
        "```sql {db=app capture=answer}",
        "SELECT 40 + 2, 7",
        "```",
        "## Use",
        "```sh",
        'test "$answer" = 42',
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.events.find((e) => e.type === "capture")).toMatchObject({
      name: "answer",
      value: "42",
    });
  });

  it("stops at the first failing statement and says which line", async () => {
    const r = await run(
      md(
        "## F",
        "```sql {db=app}",
        "CREATE TABLE fail_here (id int);",
        "SELECT * FROM no_such_table;",
        "CREATE TABLE never_made (id int);",
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      message: expect.stringMatching(
        /line 2 of the block: relation "no_such_table" does not exist/,
      ),
    });
    expect(
      await query(
        "postgres",
        "SELECT count(*) FROM pg_tables WHERE tablename IN ('fail_here', 'never_made')",
      ),
    ).toEqual([["1"]]);
    await query("postgres", "DROP TABLE fail_here");
  });

  it("cancels a statement at its timeout", async () => {
    // The statement would outlast the test: only the timeout ends it.
    const r = await run(
      md(
        "## T",
        "```sql {db=app timeout=300ms}",
        "SELECT pg_sleep(1000)",
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
      message: expect.stringContaining("statement timeout"),
    });
  });

  it("masks the cluster password and secrets in shown targets and output", async () => {
    const r = await run(
      md("## P", "```sql {db=app}", "SELECT :'db_password' AS leaked", "```"),
      '  db_password: { default: "Sup3r-Secret-Value" }',
    );
    expect(r.output).not.toContain("Sup3r-Secret-Value");
    expect(r.output).toContain("***");
    const target = r.events.find((e) => e.type === "action-start");
    expect(target).toMatchObject({
      target: expect.stringMatching(
        /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres$/,
      ),
    });
  });
});

describe("psql actions", () => {
  it("feeds the real psql with ON_ERROR_STOP, meta-commands and variables", async () => {
    const r = await run(
      md(
        "## P",
        "```psql {db=app}",
        "CREATE DATABASE psql_db;",
        "\\c psql_db",
        "CREATE TABLE notes (body text);",
        "INSERT INTO notes VALUES (:'nickname');",
        "\\dt",
        "```",
        '::check{db=app sql="SELECT 1" expect=1}',
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).toContain("notes");
    expect(await query("psql_db", "SELECT body FROM notes")).toEqual([
      ["x'); DROP TABLE people; --"],
    ]);
    await query("postgres", "DROP DATABASE psql_db");
  });

  it("stops at the first error", async () => {
    const r = await run(
      md(
        "## P",
        "```psql {db=app}",
        "SELECT * FROM nope;",
        "CREATE TABLE psql_never (id int);",
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(1);
    expect(r.output).toMatch(/relation "nope" does not exist/);
    expect(
      await query(
        "postgres",
        "SELECT count(*) FROM pg_tables WHERE tablename = 'psql_never'",
      ),
    ).toEqual([["0"]]);
  });
});

describe("sql checks", () => {
  it("compares values as text: expect, match, rows, empty, booleans, NULL", async () => {
    const r = await run(
      md(
        "## Checks",
        "```sql {db=app}",
        "CREATE TABLE kv (k text, v text, b boolean);",
        "INSERT INTO kv VALUES ('a', '1', true), ('b', NULL, false);",
        "```",
        "::check{db=app sql=\"SELECT v FROM kv WHERE k = 'a'\" expect=1}",
        "::check{db=app sql=\"SELECT b FROM kv WHERE k = 'a'\" expect=true}",
        "::check{db=app sql=\"SELECT b FROM kv WHERE k = 'b'\" expect=f}",
        "::check{db=app sql=\"SELECT v FROM kv WHERE k = 'b'\" expect=NULL}",
        '::check{db=app sql="SELECT now()::date" match="^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}',
        '::check{db=app sql="SELECT * FROM kv" rows=2}',
        '::check{db=app sql="SELECT * FROM kv" rows=">1"}',
        "::check{db=app sql=\"SELECT * FROM kv WHERE k = 'z'\" empty}",
        "::check{db=app sql=\"SELECT k = 'a' FROM kv ORDER BY k\"}",
      ),
    );
    expect(checkResults(r.events).map((c) => c.ok)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(r.outcome.exitCode).toBe(0);
    await query("postgres", "DROP TABLE kv");
  });

  it("compares a GFM table as a multiset, or in order with `ordered`", async () => {
    const table = [
      "| sku  | qty |",
      "| ---- | --- |",
      "| nut  | 25  |",
      "| bolt | 10  |",
    ];
    const ok = await run(
      md(
        "## T",
        "```sql {db=app}",
        "CREATE TABLE inv (sku text, qty int);",
        "INSERT INTO inv VALUES ('bolt', 10), ('nut', 25);",
        "```",
        ":::check{db=app}",
        "```sql",
        "SELECT sku, qty FROM inv ORDER BY sku",
        "```",
        "",
        ...table,
        ":::",
      ),
    );
    expect(checkResults(ok.events)).toEqual([
      { ok: true, message: "2 rows as expected" },
    ]);
    const ordered = await run(
      md(
        "## T2",
        ":::check{db=app ordered}",
        "```sql",
        "SELECT sku, qty FROM inv ORDER BY sku",
        "```",
        "",
        ...table,
        ":::",
      ),
    );
    expect(checkResults(ordered.events)[0]).toMatchObject({
      ok: false,
      message: "row 1: expected nut | 25, got bolt | 10",
    });
    const wrong = await run(
      md(
        "## T3",
        ":::check{db=app}",
        "```sql",
        "SELECT sku, qty FROM inv",
        "```",
        "",
        "| sku | qty |",
        "| --- | --- |",
        "| bolt | 11 |",
        "| nut | 25 |",
        ":::",
      ),
    );
    expect(checkResults(wrong.events)[0]).toMatchObject({
      ok: false,
      message: "missing 1 row: bolt | 11; unexpected 1 row: bolt | 10",
    });
    const end = wrong.events.find((e) => e.type === "check-end");
    expect(
      end?.type === "check-end" &&
        end.outcome.kind === "table-mismatch" &&
        end.outcome.table.actual,
    ).toEqual([
      ["bolt", "10"],
      ["nut", "25"],
    ]);
    await query("postgres", "DROP TABLE inv");
  });

  it("runs checks read-only: a check cannot change data", async () => {
    const r = await run(
      md(
        "## RO",
        "```sql {db=app}",
        "CREATE TABLE ro (id int);",
        "```",
        '::check{db=app sql="INSERT INTO ro VALUES (1) RETURNING id" expect=1}',
      ),
    );
    expect(checkResults(r.events)[0]).toMatchObject({
      ok: false,
      message: expect.stringContaining("read-only transaction"),
    });
    expect(await query("postgres", "SELECT count(*) FROM ro")).toEqual([["0"]]);
    await query("postgres", "DROP TABLE ro");
  });

  it('polls with wait/every, counting errors as "not yet"', async () => {
    const r = await run(
      md(
        "## Later",
        "```sh {db=app}",
        "( sleep 1; psql -X -q -c 'CREATE TABLE later (id int); INSERT INTO later VALUES (7)' ) > /dev/null 2>&1 &",
        "```",
        '::check{db=app sql="SELECT id FROM later" expect=7 wait=20s every=200ms}',
      ),
    );
    const end = r.events.find((e) => e.type === "check-end");
    expect(end?.type === "check-end" && end.outcome.kind).toBe("pass");
    expect(end?.type === "check-end" && end.outcome.attempts).toBeGreaterThan(
      1,
    );
    await query("postgres", "DROP TABLE later");
  });

  it("reports the last error when the wait runs out", async () => {
    const r = await run(
      md(
        "## Never",
        '::check{db=app sql="SELECT id FROM never_there" expect=1 wait=600ms every=100ms}',
      ),
    );
    expect(stepEnds(r.events)).toEqual([["never", "failed"]]);
    expect(checkResults(r.events)[0]?.message).toMatch(
      /relation "never_there" does not exist.*still failing after \d+ tries/,
    );
  });
});

describe("sql output", () => {
  it("prints the server command tags like psql, also after a statement timeout is set", async () => {
    const r = await run(
      md(
        "## Tags",
        "```sql {db=app timeout=5s}",
        "CREATE TABLE tagged (id int);",
        "INSERT INTO tagged VALUES (1), (2);",
        "DROP TABLE tagged;",
        "```",
      ),
    );
    expect(r.output).toBe("CREATE TABLE\nINSERT 0 2\nDROP TABLE\n");
  });
});

describe("shell blocks with db=", () => {
  it("get PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and DATABASE_URL, and psql/pg_dump just work", async () => {
    const r = await run(
      md(
        "## Env",
        "```sh {db=app}",
        'echo "$PGHOST|$PGPORT|$PGUSER|$PGDATABASE|${PGPASSWORD:+pw}|${DATABASE_URL%%:*}"',
        'psql -X -At -c "SELECT current_database()"',
        'pg_dump --schema-only "$PGDATABASE" > /dev/null && echo dumped',
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    const port = pgEnv().sandbox.clusters.get("main")?.port;
    expect(r.output).toContain(
      `127.0.0.1|${port}|postgres|postgres|pw|postgres`,
    );
    expect(r.output).toContain("dumped");
  });
});
