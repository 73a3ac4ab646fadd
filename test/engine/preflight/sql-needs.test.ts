import { beforeAll, describe, expect, it } from "vitest";
import {
  analyzeStatement,
  runbookNeeds,
  whyNotOnlyReads,
} from "../../../engine/preflight/index.js";
import { loadSqlParser, parseSql } from "../../../engine/sql/index.js";
import { md, parse } from "../../helpers/parse.js";

beforeAll(async () => {
  await loadSqlParser();
});

function tree(sql: string): unknown {
  const parsed = parseSql(sql);
  if ("error" in parsed) throw new Error(parsed.error.message);
  return parsed.statements[0]?.tree;
}

describe("what only reads (the read-only prefix)", () => {
  it.each([
    "SELECT 1",
    "SELECT current_setting('server_version_num')",
    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()",
    "SHOW hba_file",
    "EXPLAIN SELECT * FROM orders",
    "SELECT (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM orders', false, true, '')))[1]",
    "SELECT :'x'::int > 3",
  ])("%s only reads", (sql) => {
    expect(whyNotOnlyReads(tree(sql))).toBeUndefined();
  });

  it.each([
    ["CREATE TABLE t (id int)", /CREATE TABLE is not a read/],
    ["SELECT * INTO copy FROM orders", /INTO creates a table/],
    ["SELECT * FROM orders FOR UPDATE", /locks rows/],
    [
      "WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone",
      /data-modifying WITH \(DELETE\)/,
    ],
    ["SELECT nextval('orders_id_seq')", /nextval\(\) changes the server/],
    ["SELECT pg_reload_conf()", /pg_reload_conf\(\)/],
    [
      "SELECT pg_create_physical_replication_slot('s')",
      /pg_create_physical_replication_slot\(\)/,
    ],
    ["SELECT set_config('transaction_read_only', 'off', false)", /set_config/],
    ["SELECT pg_terminate_backend(42)", /pg_terminate_backend/],
    ["SELECT lo_export(1, '/tmp/x')", /lo_export/],
    ["SELECT app.refresh_totals()", /not a built-in function/],
    [
      "SELECT query_to_xml(format('SELECT %s', 1), false, true, '')",
      /SQL built at run time/,
    ],
    [
      "SELECT query_to_xml('DELETE FROM orders RETURNING 1', false, true, '')",
      /changes things/,
    ],
    ["EXPLAIN ANALYZE DELETE FROM orders", /DELETE is not a read/],
    ["SET statement_timeout = 0", /SET is not a read/],
    ["VACUUM orders", /VACUUM/],
    ["BEGIN", /transaction control/],
  ])("%s does not only read", (sql, why) => {
    expect(whyNotOnlyReads(tree(sql))).toMatch(why);
  });
});

describe("what a statement needs of its role, read from the parse tree", () => {
  const needs = (sql: string, namesKnown = true) =>
    analyzeStatement(tree(sql), namesKnown);

  it("CREATE DATABASE needs CREATEDB, OWNER needs membership, and the database is then made", () => {
    expect(needs("CREATE DATABASE shop OWNER app")).toEqual({
      needs: [
        {
          kind: "attribute",
          attribute: "createdb",
          what: "CREATE DATABASE shop",
        },
        {
          kind: "role-member",
          role: "app",
          what: "CREATE DATABASE shop OWNER app",
        },
      ],
      creates: [{ kind: "database", name: "shop" }],
    });
  });

  it("roles: CREATEROLE, and a superuser (before 16) to hand out REPLICATION; a new password is remembered", () => {
    expect(needs("CREATE ROLE app LOGIN PASSWORD 'x'").needs).toEqual([
      { kind: "attribute", attribute: "createrole", what: "CREATE ROLE app" },
    ]);
    expect(needs("CREATE ROLE r WITH REPLICATION LOGIN").needs).toEqual([
      {
        kind: "grant-attributes",
        attributes: ["REPLICATION"],
        what: "CREATE ROLE r",
      },
    ]);
    expect(needs("ALTER ROLE app PASSWORD 'y'")).toEqual({
      needs: [
        { kind: "attribute", attribute: "createrole", what: "ALTER ROLE app" },
      ],
      creates: [{ kind: "password", name: "app" }],
    });
    expect(needs("ALTER ROLE CURRENT_USER PASSWORD 'y'")).toEqual({
      needs: [],
      creates: [],
    });
  });

  it("DDL on an existing table needs its ownership; DML its privilege; slots need REPLICATION", () => {
    expect(needs("ALTER TABLE public.orders ADD COLUMN x int").needs).toEqual([
      {
        kind: "table-owner",
        table: { schema: "public", name: "orders" },
        what: "ALTER TABLE on public.orders",
      },
    ]);
    expect(needs("CREATE INDEX ON orders (id)").needs).toEqual([
      {
        kind: "table-owner",
        table: { name: "orders" },
        what: "CREATE INDEX on orders",
      },
    ]);
    expect(
      needs(
        "INSERT INTO orders VALUES (1) ON CONFLICT (id) DO UPDATE SET id = 2",
      ).needs,
    ).toEqual([
      {
        kind: "table-privilege",
        table: { name: "orders" },
        privilege: "INSERT",
        what: "INSERT on orders",
      },
    ]);
    expect(
      needs("SELECT pg_create_physical_replication_slot('s', true)").needs,
    ).toEqual([
      {
        kind: "attribute",
        attribute: "replication",
        what: "pg_create_physical_replication_slot()",
      },
    ]);
    expect(needs("SELECT pg_reload_conf()").needs).toEqual([
      {
        kind: "functions",
        names: ["pg_reload_conf"],
        what: "pg_reload_conf()",
      },
    ]);
  });

  it("publications, subscriptions, extensions, ALTER SYSTEM, grants on databases", () => {
    expect(needs("CREATE PUBLICATION p FOR ALL TABLES").needs).toEqual([
      {
        kind: "attribute",
        attribute: "superuser",
        what: "CREATE PUBLICATION p FOR ALL TABLES",
      },
    ]);
    expect(
      needs("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p").needs,
    ).toEqual([{ kind: "subscription", what: "CREATE SUBSCRIPTION s" }]);
    expect(needs("CREATE EXTENSION IF NOT EXISTS pg_trgm").needs).toEqual([
      { kind: "extension", name: "pg_trgm", what: "CREATE EXTENSION pg_trgm" },
    ]);
    expect(needs("ALTER SYSTEM SET wal_level = 'logical'").needs).toEqual([
      {
        kind: "alter-system",
        parameter: "wal_level",
        what: "ALTER SYSTEM SET wal_level",
      },
    ]);
    expect(needs("REVOKE ALL ON DATABASE shop FROM PUBLIC").needs).toEqual([
      {
        kind: "database-owner",
        database: "shop",
        what: "REVOKE ON DATABASE shop",
      },
    ]);
    expect(
      needs("ALTER DATABASE shop SET default_transaction_read_only = on").needs,
    ).toEqual([
      { kind: "database-owner", database: "shop", what: "ALTER DATABASE shop" },
    ]);
  });

  it("says nothing about names only the run knows", () => {
    expect(needs('CREATE DATABASE :"db_from_a_capture"', false)).toEqual({
      needs: [
        { kind: "attribute", attribute: "createdb", what: "CREATE DATABASE" },
      ],
      creates: [],
    });
    expect(needs('INSERT INTO :"t" VALUES (1)', false).needs).toEqual([]);
  });
});

describe("what every step needs, across the runbook", () => {
  const runbook = (body: string) =>
    parse(
      md(
        "---",
        "params:",
        "  app_db: { default: shop }",
        "  app_user: { default: app }",
        "databases:",
        '  admin: { url: "postgres://postgres@db:5432/postgres" }',
        '  app: { url: "postgres://${app_user}@db:5432/${app_db}" }',
        "---",
      ) + body,
    ).runbook;

  it('fills in params (CREATE DATABASE :"app_db" makes shop) and asks nothing of what an earlier step made', () => {
    const r = runbookNeeds(
      runbook(
        md(
          "## Create",
          "```sql {db=admin}",
          'CREATE ROLE :"app_user" LOGIN;',
          'CREATE DATABASE :"app_db" OWNER :"app_user";',
          "```",
          "## Fill",
          "```sql {db=app}",
          "CREATE TABLE items (id int);",
          "INSERT INTO items VALUES (1);",
          "INSERT INTO orders VALUES (1);",
          "```",
          "## Only in a rehearsal",
          "```sql {db=app only=rehearsal}",
          "DROP TABLE orders;",
          "```",
        ),
      ),
      new Map([
        ["app_db", "shop"],
        ["app_user", "app"],
      ]),
    );
    expect(r.made.map((m) => [m.step, m.creation])).toEqual([
      ["create", { kind: "role", name: "app" }],
      ["create", { kind: "database", name: "shop" }],
      ["fill", { kind: "table", table: { name: "items" } }],
    ]);
    expect(
      r.needs.map((n) => [n.step, n.db, n.needs.map((x) => x.what)]),
    ).toEqual([
      ["create", "admin", ["CREATE ROLE app", "CREATE DATABASE shop"]],
      ["fill", "app", ["CREATE TABLE items", "INSERT on orders"]],
    ]);
  });

  it("reads the PostgreSQL programs shell blocks call with db=, and restores of a dump", () => {
    const r = runbookNeeds(
      runbook(
        md(
          "## Dump",
          "```bash {db=admin}",
          "pg_dumpall --quote-all-identifiers | gzip > all.sql.gz",
          "```",
          "## Base backup",
          "```sh {db=admin user=postgres}",
          "pg_basebackup -D /srv/copy -X stream",
          "```",
          "## Restore",
          "```sh {db=app}",
          "gunzip -c all.sql.gz | psql -X -d postgres",
          "```",
        ),
      ),
      new Map(),
    );
    expect(r.needs.map((n) => [n.step, n.needs.map((x) => x.kind)])).toEqual([
      ["dump", ["client-version", "attribute"]],
      ["base-backup", ["client-version", "replication-connection"]],
    ]);
    expect(r.needs[1]?.needs[1]).toMatchObject({
      kind: "replication-connection",
      place: { user: "postgres" },
    });
    expect(r.restores.map((x) => x.step)).toEqual(["restore"]);
  });
});
