import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automatic } from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { useSandbox } from "../../helpers/pg.js";
import { checkResults, runMarkdown, stepEnds } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";
import { screens, stateFiles } from "./leak-places.js";

/** SPEC clauses docs/conformance.md listed as gaps, against a real cluster. */

const pgEnv = useSandbox(["main"]);
/** Every character a URL's user or password must have encoded (issue 11's example), in both. */
const USER = "ops@x:1/a%b";
const PASSWORD = "p@ss/w%rd:1";

async function query(
  sql: string,
  values: unknown[] = [],
): Promise<unknown[][]> {
  const client = new pg.Client({
    connectionString: pgEnv().sandbox.clusters.get("main")?.url("postgres"),
  });
  await client.connect();
  try {
    return (await client.query({ text: sql, values, rowMode: "array" })).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await query(`CREATE ROLE "${USER}" LOGIN PASSWORD '${PASSWORD}'`);
}, 60_000);
afterAll(async () => {
  await query(`DROP ROLE IF EXISTS "${USER}"`);
});

describe("database URLs (SPEC 1.1)", () => {
  it("resolves a URL when a step first uses it, from a port an earlier step captured, and percent-encodes user and password", async () => {
    const port = pgEnv().sandbox.clusters.get("main")?.port ?? 0;
    const markdown = md(
      "---",
      "params:",
      `  db_user: { default: "${USER}" }`,
      `  db_password: { default: "${PASSWORD}" }`,
      "databases:",
      '  app: { url: "postgres://${db_user}:${db_password}@127.0.0.1:${db_port}/postgres" }',
      "---",
      "## Find the port",
      "```sh {capture=db_port}",
      `echo ${port}`,
      "```",
      "## As the role, through node-postgres",
      "```sql {db=app}",
      "SELECT current_user AS who",
      "```",
      "::check{db=app sql=\"SELECT current_user = :'db_user'\" expect=t}",
      "## Through psql",
      "```psql {db=app}",
      "SELECT 'psql as ' || current_user;",
      "```",
      "## Through the shell",
      "```bash {db=app}",
      "psql -XAtc \"SELECT 'libpq as ' || current_user\"",
      'psql -XAt "$DATABASE_URL" -c "SELECT \'url as \' || current_user"',
      "```",
    );
    const r = await runMarkdown(markdown, { dir: tempDir() });
    expect(stepEnds(r.events), r.output).toEqual([
      ["find-the-port", "done"],
      ["as-the-role-through-node-postgres", "done"],
      ["through-psql", "done"],
      ["through-the-shell", "done"],
    ]);
    expect(r.output).toContain(USER);
    expect(r.output).toContain(`psql as ${USER}`);
    expect(r.output).toContain(`libpq as ${USER}`);
    expect(r.output).toContain(`url as ${USER}`);
    const targets = r.events.flatMap((e) =>
      e.type === "action-start" && e.target ? [e.target] : [],
    );
    expect(targets[0]).toBe(
      `postgres://${encodeURIComponent(USER)}:***@127.0.0.1:${port}/postgres`,
    );
    for (const text of [screens(r.events), stateFiles(r.stateDir)]) {
      for (const form of [PASSWORD, encodeURIComponent(PASSWORD)])
        expect(text).not.toContain(form);
    }
  });

  it("in a rehearsal, a URL with no user becomes the cluster superuser, with its own database name kept", async () => {
    const { binding, secrets } = pgEnv();
    await query("CREATE DATABASE kept_name");
    try {
      const markdown = md(
        "---",
        "databases:",
        '  app: { url: "postgres://db.internal/kept_name", sandbox: { cluster: main } }',
        "---",
        "## Who",
        "```sql {db=app capture=who}",
        "SELECT current_user || '@' || current_database()",
        "```",
      );
      const r = await runMarkdown(markdown, {
        dir: tempDir(),
        mode: "rehearsal",
        sandbox: binding,
        secrets,
      });
      expect(r.outcome.exitCode, r.output).toBe(0);
      expect(r.events.find((e) => e.type === "capture")).toMatchObject({
        name: "who",
        value: "postgres@kept_name",
      });
    } finally {
      await query("DROP DATABASE kept_name");
    }
  });
});

describe("the engine never rewrites SQL (SPEC 1.1, 1.3)", () => {
  it("${name} in sql and psql blocks and in sql= reaches PostgreSQL as written; :'name' carries the hostile value as data", async () => {
    const { binding, secrets } = pgEnv();
    const hostile = "x'); DROP TABLE rewrites; --";
    const markdown = md(
      "---",
      "params:",
      "  target: { default: harmless }",
      "databases:",
      '  app: { url: "postgres://postgres@h/postgres", sandbox: { cluster: main } }',
      "---",
      "## Sql",
      "```sql {db=app}",
      "CREATE TABLE rewrites (via text, raw text, quoted text);",
      "INSERT INTO rewrites VALUES ('sql', '${target}', :'target');",
      "```",
      "::check{db=app sql=\"SELECT count(*) FROM rewrites WHERE raw = '${target}'\" expect=1}",
      "## Psql",
      "```psql {db=app}",
      "INSERT INTO rewrites VALUES ('psql', '${target}', :'target');",
      "```",
    );
    const r = await runMarkdown(markdown, {
      dir: tempDir(),
      mode: "rehearsal",
      sandbox: binding,
      secrets,
      set: { target: hostile },
    });
    try {
      expect(r.outcome.exitCode, r.output).toBe(0);
      expect(checkResults(r.events)).toEqual([
        expect.objectContaining({ ok: true }),
      ]);
      expect(
        await query("SELECT via, raw, quoted FROM rewrites ORDER BY via"),
      ).toEqual([
        ["psql", "${target}", hostile],
        ["sql", "${target}", hostile],
      ]);
    } finally {
      await query("DROP TABLE IF EXISTS rewrites");
    }
  });
});

describe("check results compared as text (SPEC 1.4)", () => {
  it("a table whose header names other columns fails, even with the same values; NULL is an empty cell", async () => {
    const { binding, secrets } = pgEnv();
    const interaction = {
      ...automatic({ yes: "all" }),
      failed: async () => "skip" as const,
    };
    const markdown = md(
      "---",
      "databases:",
      '  app: { url: "postgres://postgres@h/postgres", sandbox: { cluster: main } }',
      "---",
      "## Other names",
      ":::check{db=app}",
      "```sql",
      "SELECT * FROM (VALUES ('nut', 25), ('bolt', 10)) AS t(name, qty)",
      "```",
      "",
      "| sku  | qty |",
      "| ---- | --- |",
      "| nut  | 25  |",
      "| bolt | 10  |",
      ":::",
      "## Nulls",
      ":::check{db=app ordered}",
      "```sql",
      "SELECT * FROM (VALUES (1, NULL::text, true), (2, 'x', NULL::boolean)) AS t(id, note, ok)",
      "```",
      "",
      "| id | note | ok |",
      "| -- | ---- | -- |",
      "| 1  |      | t  |",
      "| 2  | x    | NULL |",
      ":::",
    );
    const r = await runMarkdown(markdown, {
      dir: tempDir(),
      mode: "rehearsal",
      sandbox: binding,
      secrets,
      interaction,
    });
    expect(stepEnds(r.events)).toEqual([
      ["other-names", "failed"],
      ["other-names", "skipped"],
      ["nulls", "done"],
    ]);
    expect(checkResults(r.events)[0]).toMatchObject({
      ok: false,
      message: "expected columns sku, qty, got name, qty",
    });
  });
});
