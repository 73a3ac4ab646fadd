import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { Runbook } from "../../../engine/model/index.js";
import { resolveParams } from "../../../engine/params/index.js";
import { runPreflight, type Probe } from "../../../engine/preflight/index.js";
import { md, parse } from "../../helpers/parse.js";
import { useSandbox } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/temp.js";
import { snapshot } from "./live-like.js";

const pgEnv = useSandbox(["main"]);
const CLERK_PASSWORD = "clerk-pw-7Qx2";

async function admin(sql: string, database = "postgres"): Promise<void> {
  const client = new pg.Client({
    connectionString: pgEnv().sandbox.clusters.get("main")?.url(database),
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE ROLE clerk LOGIN PASSWORD '${CLERK_PASSWORD}'`);
  await admin("CREATE DATABASE shopdb");
  await admin(
    "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1); GRANT SELECT ON orders TO clerk;",
    "shopdb",
  );
  await admin(
    "CREATE FUNCTION touch_things() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1'",
  );
});

function frontMatter(): string {
  const c = pgEnv().sandbox.clusters.get("main");
  return md(
    "---",
    "params:",
    "  admin_password: { secret: true }",
    "  clerk_password: { secret: true }",
    "  new_db: { default: fresh_db }",
    "databases:",
    `  admin: { url: "postgres://postgres:\${admin_password}@127.0.0.1:${c?.port ?? 0}/postgres" }`,
    `  shop:  { url: "postgres://clerk:\${clerk_password}@127.0.0.1:${c?.port ?? 0}/shopdb" }`,
    `  fresh: { url: "postgres://postgres:\${admin_password}@127.0.0.1:${c?.port ?? 0}/\${new_db}" }`,
    `  later: { url: "postgres://postgres:\${admin_password}@127.0.0.1:\${late_port}/postgres" }`,
    "---",
  );
}

async function preflight(
  body: string,
  set: Record<string, string> = {},
): Promise<{
  probes: Probe[];
  prefix: { steps: readonly string[]; end?: { step: string; why: string } };
  ok: boolean;
  runbook: Runbook;
}> {
  const { runbook, diagnostics } = parse(frontMatter() + body);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new Error(errors.map((d) => d.message).join("; "));
  const password = pgEnv().sandbox.clusters.get("main")?.password ?? "";
  const resolved = resolveParams(runbook, {
    set: { admin_password: password, clerk_password: CLERK_PASSWORD, ...set },
    env: {},
    mode: "live",
  });
  const result = await runPreflight({
    runbook,
    params: resolved.values,
    env: { PATH: process.env["PATH"], HOME: process.env["HOME"] },
    cwd: tempDir(),
    isRoot: process.getuid?.() === 0,
    signal: new AbortController().signal,
  });
  return {
    probes: [...result.probes],
    prefix: result.prefix,
    ok: result.ok,
    runbook,
  };
}

describe("runbook preflight, against a real server", () => {
  it("checks the role against what the steps need, runs the read-only prefix and the probes, and changes nothing", async () => {
    const body = md(
      "# Trial",
      "## Look",
      "```sql {db=shop capture=n}",
      "SELECT count(*) FROM orders;",
      "```",
      '::check{db=shop sql="SELECT count(*) FROM orders" expect="1"}',
      "## Wait for it",
      '::check{db=shop sql="SELECT count(*) FROM orders" expect="2" wait=5m}',
      "## Write",
      "```sql {db=shop}",
      "ALTER TABLE orders ADD COLUMN note text;",
      "INSERT INTO orders VALUES (2);",
      "SELECT pg_create_physical_replication_slot('s1');",
      "CREATE DATABASE other_db;",
      "```",
      "## Create",
      "```sql {db=admin capture=late_port}",
      'CREATE DATABASE :"new_db";',
      "SELECT 1;",
      "```",
      "## A probe that writes",
      "```sql {db=admin probe}",
      "CREATE TABLE sneaky (id int);",
      "```",
      "## A shell probe that writes through psql",
      "```sh {db=admin probe}",
      'psql -X -q -v ON_ERROR_STOP=1 -c "CREATE TABLE sneaky_too (id int)"',
      "```",
      "## Probes further on",
      '::check{db=shop sql="SELECT :\'n\'::int + 1" expect="2" probe}',
      "::check{db=admin sql=\"SELECT :'late_port'\" probe}",
      "::check{sh='test -n \"$n\"' probe}",
    );
    const before = snapshot({ sandbox: pgEnv().sandbox, paths: [] });
    const r = await preflight(body);
    expect(snapshot({ sandbox: pgEnv().sandbox, paths: [] })).toBe(before);

    const by = (subject: string): Probe[] =>
      r.probes.filter((p) => p.subject === subject);
    expect(by("database admin")[0]).toMatchObject({
      state: "pass",
      why: expect.stringMatching(
        /PostgreSQL 15\.\d+, role postgres \(superuser\)/,
      ),
    });
    expect(by("database shop")[0]).toMatchObject({
      state: "pass",
      why: expect.stringMatching(/role clerk$/),
    });
    expect(by("database fresh")[0]).toMatchObject({
      state: "pass",
      why: expect.stringMatching(
        /database fresh_db does not exist yet, step create creates it/,
      ),
    });
    expect(by("database later")[0]).toMatchObject({
      state: "skip",
      why: expect.stringMatching(/\$\{late_port\} \(captured by step create\)/),
    });

    const write = by("step write on shop")[0];
    expect(write?.state).toBe("fail");
    expect(write?.why).toMatch(
      /ALTER TABLE on orders needs to own orders, which belongs to postgres/,
    );
    expect(write?.why).toMatch(
      /INSERT on orders: clerk has no INSERT privilege on orders/,
    );
    expect(write?.why).toMatch(
      /pg_create_physical_replication_slot\(\) needs REPLICATION or a superuser/,
    );
    expect(write?.why).toMatch(
      /CREATE DATABASE other_db needs CREATEDB or a superuser/,
    );
    expect(write?.fix).toMatch(/GRANT INSERT ON orders TO clerk/);
    expect(by("step create on admin")[0]).toMatchObject({ state: "pass" });

    expect(r.prefix).toEqual({
      steps: ["look", "wait-for-it"],
      end: {
        step: "write",
        why: expect.stringMatching(/ALTER TABLE is not a read/),
      },
    });
    const blocks = r.probes.filter(
      (p) => p.kind === "block" || p.kind === "check",
    );
    expect(blocks.map((p) => [p.step, p.state])).toEqual([
      ["look", "pass"],
      ["look", "pass"],
      ["wait-for-it", "pending"],
      ["a-probe-that-writes", "fail"],
      ["a-shell-probe-that-writes-through-psql", "fail"],
      ["probes-further-on", "pass"],
      ["probes-further-on", "skip"],
      ["probes-further-on", "pass"],
    ]);
    expect(blocks[0]?.why).toBe('n = "1"');
    expect(blocks[2]?.why).toMatch(
      /not yet: expected "2", got "1" \(the run waits up to 5m for it\)/,
    );
    expect(blocks[3]).toMatchObject({
      why: expect.stringMatching(/read-only transaction/),
      fix: "this block writes: remove probe from it",
    });
    expect(blocks[4]?.why).toMatch(
      /exit 1, expected 0: .*cannot execute CREATE TABLE in a read-only transaction/,
    );
    expect(blocks[6]?.why).toMatch(
      /needs :late_port \(captured by step create\)/,
    );
    expect(r.ok).toBe(false);

    const text = JSON.stringify(r.probes);
    expect(text).not.toContain(CLERK_PASSWORD);
    expect(text).not.toContain(pgEnv().sandbox.clusters.get("main")?.password);
  });

  it("a database the run creates must not exist yet", async () => {
    const r = await preflight(
      md(
        "## Create",
        "```sql {db=admin}",
        'CREATE DATABASE :"new_db";',
        "```",
        '::check{db=fresh sql="SELECT 1"}',
      ),
      { new_db: "shopdb" },
    );
    expect(r.probes.find((p) => p.subject === "database fresh")).toMatchObject({
      state: "fail",
      why: expect.stringMatching(
        /database shopdb already exists .* but step create creates it/,
      ),
    });
  });

  it("a volatile function of the database ends the read-only prefix: the text alone cannot tell it reads", async () => {
    const r = await preflight(
      md(
        "## Count",
        "```sql {db=admin}",
        "SELECT count(*) FROM pg_database;",
        "```",
        "## Report",
        "```sql {db=admin}",
        "SELECT touch_things();",
        "```",
      ),
    );
    expect(r.prefix).toEqual({
      steps: ["count"],
      end: {
        step: "report",
        why: expect.stringMatching(
          /public\.touch_things\(\) .* a volatile function/,
        ),
      },
    });
    expect(
      r.probes.filter((p) => p.kind === "block").map((p) => p.step),
    ).toEqual(["count"]);
  });

  it("a wrong password, with what to do", async () => {
    const { runbook } = parse(
      frontMatter() + md("## Look", "```sql {db=shop}", "SELECT 1;", "```"),
    );
    const resolved = resolveParams(runbook, {
      set: { admin_password: "nope", clerk_password: "wrong-one" },
      env: {},
      mode: "live",
    });
    const r = await runPreflight({
      runbook,
      params: resolved.values,
      env: {},
      cwd: tempDir(),
      isRoot: false,
      signal: new AbortController().signal,
    });
    expect(r.probes.find((p) => p.subject === "database shop")).toMatchObject({
      state: "fail",
      why: expect.stringMatching(
        /password authentication failed for user "clerk"/,
      ),
      fix: expect.stringMatching(/~\/.pgpass/),
    });
    expect(r.probes.find((p) => p.kind === "block")).toMatchObject({
      state: "skip",
      why: "database shop was not reached",
    });
    expect(JSON.stringify(r)).not.toContain("wrong-one");
    expect(r.ok).toBe(false);
  });
});
