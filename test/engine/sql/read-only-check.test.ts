import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadSqlParser,
  runReadOnlyCheck,
  type ReadOnlyClient,
} from "../../../engine/sql/index.js";
import { useSandbox } from "../../helpers/pg.js";

const pgEnv = useSandbox(["main"]);
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };
let client: pg.Client;

beforeAll(async () => {
  await loadSqlParser();
  client = new pg.Client({
    connectionString: pgEnv().sandbox.clusters.get("main")?.url("postgres"),
    types: TEXT_TYPES,
  });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

const vars = new Map([
  ["name", "pg_class"],
  ["evil", "1; COMMIT; CREATE TABLE escaped_by_var(x int)"],
  ["guc", "transaction_read_only"],
]);

async function tableExists(name: string): Promise<boolean> {
  const r = await client.query({
    text: "SELECT count(*) FROM pg_tables WHERE tablename = $1",
    values: [name],
    rowMode: "array",
  });
  return r.rows[0]?.[0] === "1";
}

const check = (sql: string) =>
  runReadOnlyCheck(client, sql, { vars, timeoutMs: 5000 });

describe("running a SQL check so that it cannot change anything (SPEC 1.4)", () => {
  it("returns the columns and rows of the last statement that has them, as text", async () => {
    const r = await check(
      "SELECT 1 AS one; SELECT count(*) AS n, true AS yes FROM pg_class WHERE relname = :'name';",
    );
    expect(r).toEqual({
      columns: ["n", "yes"],
      booleans: [false, true],
      rows: [["1", "t"]],
    });
    expect(client.getTransactionStatus()).toBe("I");
  });

  it("refuses transaction control before running any statement", async () => {
    await expect(
      check("COMMIT; CREATE TABLE escaped(x int); SELECT 1"),
    ).rejects.toThrow(/COMMIT/);
    expect(await tableExists("escaped")).toBe(false);
    expect(client.getTransactionStatus()).toBe("I");
  });

  it("refuses a raw :variable whose value adds statements, before running any", async () => {
    await expect(check("SELECT :evil")).rejects.toThrow(/:evil/);
    expect(await tableExists("escaped_by_var")).toBe(false);
  });

  it("refuses set_config of transaction_read_only that a variable names, before running anything", async () => {
    await expect(
      check("SELECT set_config(:'guc', 'off', false)"),
    ).rejects.toThrow(
      /with its psql variables substituted: set_config\('transaction_read_only', …\)/,
    );
  });

  it("cannot be made read-write by set_config with a name the parser cannot see", async () => {
    const sql =
      "SELECT set_config(name, 'off', false) FROM (VALUES ('transaction_read_only')) AS v(name); CREATE TABLE escaped_by_config(x int)";
    await expect(check(sql)).rejects.toThrow(
      /transaction read-write mode must be set before any query/,
    );
    expect(await tableExists("escaped_by_config")).toBe(false);
    expect(client.getTransactionStatus()).toBe("I");
  });

  it("runs in a read-only transaction: a write fails and nothing stays", async () => {
    await expect(check("CREATE TABLE written_by_check(x int)")).rejects.toThrow(
      /read-only transaction/,
    );
    expect(await tableExists("written_by_check")).toBe(false);
    expect(client.getTransactionStatus()).toBe("I");
  });

  it("leaves no session setting behind: the transaction is rolled back", async () => {
    await check("SELECT set_config('search_path', 'nowhere', false)");
    const r = await client.query({
      text: "SHOW search_path",
      rowMode: "array",
    });
    expect(r.rows[0]?.[0]).not.toBe("nowhere");
  });

  it("cancels a statement at its timeout and leaves the connection usable", async () => {
    await expect(
      runReadOnlyCheck(client, "SELECT pg_sleep(5)", { vars, timeoutMs: 200 }),
    ).rejects.toThrow(/statement timeout/);
    expect(client.getTransactionStatus()).toBe("I");
    expect((await check("SELECT 2 AS two")).rows).toEqual([["2"]]);
  });

  it("stops when a statement has left the transaction, and runs nothing after it (a raw :variable: one statement per message)", async () => {
    // A client whose server does not keep the transaction (as if a statement had committed it).
    const sent: string[] = [];
    let status = "I";
    const fake: ReadOnlyClient = {
      async query(config) {
        sent.push(config.text);
        status = config.text.startsWith("BEGIN") ? "T" : "I";
        return config.text.startsWith("BEGIN")
          ? [
              {},
              {},
              { fields: [{ name: "r", dataTypeID: 25 }], rows: [["on"]] },
            ]
          : { fields: [], rows: [] };
      },
      getTransactionStatus: () => status,
    };
    await expect(
      runReadOnlyCheck(fake, "SELECT 1; SELECT :n", {
        vars: new Map([["n", "2"]]),
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/left its read-only transaction/);
    expect(sent).toEqual([
      expect.stringMatching(/^BEGIN READ ONLY/),
      "SELECT 1",
      "ROLLBACK",
    ]);
  });

  it("sends each statement on its own, through the extended protocol, when a raw :variable pastes text into it", async () => {
    const modes: (string | undefined)[] = [];
    const spy: ReadOnlyClient = {
      query: (config) => {
        modes.push(config.queryMode);
        return client.query(config as pg.QueryArrayConfig);
      },
      getTransactionStatus: () => client.getTransactionStatus(),
    };
    expect(
      (
        await runReadOnlyCheck(spy, "SELECT 1; SELECT :n AS n", {
          vars: new Map([["n", "2"]]),
          timeoutMs: 1000,
        })
      ).rows,
    ).toEqual([["2"]]);
    expect(modes).toEqual([undefined, "extended", "extended", undefined]);
  });

  it("runs a check without raw :variables in one round trip: begin read-only, the statements and the rollback in one message", async () => {
    const sent: { text: string; mode: string | undefined }[] = [];
    const spy: ReadOnlyClient = {
      query: (config) => {
        sent.push({ text: config.text, mode: config.queryMode });
        return client.query(config as pg.QueryArrayConfig);
      },
      getTransactionStatus: () => client.getTransactionStatus(),
    };
    const r = await runReadOnlyCheck(
      spy,
      "SELECT 1 AS one; SELECT count(*) AS n FROM pg_catalog.:\"name\" WHERE relname = :'name'",
      { vars, timeoutMs: 1000 },
    );
    expect(r).toEqual({ columns: ["n"], booleans: [false], rows: [["1"]] });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toMatch(
      /^BEGIN READ ONLY;[^]*'pg_class'[^]*;\nROLLBACK$/,
    );
    expect(client.getTransactionStatus()).toBe("I");
  });

  it("refuses, in one message too, an answer in which a statement left the transaction, and rolls back", async () => {
    const sent: string[] = [];
    let status = "I";
    const fake: ReadOnlyClient = {
      async query(config) {
        sent.push(config.text);
        if (config.text === "ROLLBACK") {
          status = "I";
          return {};
        }
        // As if the server had read a COMMIT where the parser saw none, and then a new transaction began.
        status = "T";
        return [
          { command: "BEGIN" },
          { command: "SET" },
          {
            command: "SELECT",
            fields: [{ name: "r", dataTypeID: 25 }],
            rows: [["on"]],
          },
          { command: "COMMIT" },
          { command: "SELECT", fields: [], rows: [] },
          { command: "ROLLBACK" },
        ];
      },
      getTransactionStatus: () => status,
    };
    await expect(
      runReadOnlyCheck(fake, "SELECT 1; SELECT 2", { vars, timeoutMs: 1000 }),
    ).rejects.toThrow(
      /statement 1 of the check left its read-only transaction/,
    );
    expect(sent.at(-1)).toBe("ROLLBACK");
    expect(status).toBe("I");
  });

  it.each([
    [
      "a writable CTE",
      "WITH w AS (INSERT INTO check_target VALUES (1) RETURNING x) SELECT count(*) FROM w",
    ],
    ["a write after a read", "SELECT 1; INSERT INTO check_target VALUES (2)"],
    ["a function that writes", "SELECT nextval('check_seq')"],
    [
      "a write with a raw :variable (one statement per message)",
      "SELECT :n; UPDATE check_target SET x = 3",
    ],
  ])("refuses a write inside a check at run time: %s", async (_, sql) => {
    await client.query(
      "CREATE TABLE IF NOT EXISTS check_target(x int); CREATE SEQUENCE IF NOT EXISTS check_seq",
    );
    await client.query("TRUNCATE check_target");
    await client.query("INSERT INTO check_target VALUES (0)");
    await expect(
      runReadOnlyCheck(client, sql, {
        vars: new Map([["n", "1"]]),
        timeoutMs: 5000,
      }),
    ).rejects.toThrow(/read-only transaction/);
    const rows = await client.query({
      text: "SELECT x FROM check_target ORDER BY x",
      rowMode: "array",
    });
    expect(rows.rows).toEqual([["0"]]);
    const seq = await client.query({
      text: "SELECT last_value, is_called FROM check_seq",
      rowMode: "array",
    });
    expect(seq.rows).toEqual([["1", "f"]]);
    expect(client.getTransactionStatus()).toBe("I");
  });
});
