import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { md } from "../../helpers/parse.js";
import { useSandbox } from "../../helpers/pg.js";
import { runMarkdown, stepEnds, type RunResult } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";
import { screens, stateFiles } from "./leak-places.js";

/** Issue 12's password: `/`, `%` and `@` all need percent-encoding in a URL. */
const SECRET = "DbPw/09%87@zz";
const pgEnv = useSandbox(["main"]);

async function superuser(sql: string): Promise<void> {
  const client = new pg.Client({
    connectionString: pgEnv().sandbox.clusters.get("main")?.url("postgres"),
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await superuser(`CREATE ROLE rails_url LOGIN PASSWORD '${SECRET}'`);
  await superuser("CREATE DATABASE app_url OWNER rails_url");
}, 60_000);
afterAll(async () => {
  await superuser("DROP DATABASE IF EXISTS app_url");
  await superuser("DROP ROLE IF EXISTS rails_url");
});

const STEPS = md(
  "## Shell",
  "```bash {db=primary}",
  'test "$PGPASSWORD" = "$rails_password"',
  "psql -XAtc \"SELECT current_user || '@' || current_database()\"",
  "```",
  "## Sql",
  "```sql {db=primary}",
  "SELECT current_user || '@' || current_database() AS who",
  "```",
  "## Psql",
  "```psql {db=primary}",
  "SELECT 'psql as ' || current_user;",
  "```",
);

function expectNothingInClear(r: RunResult): void {
  const places = {
    screen: screens(r.events),
    state: stateFiles(r.stateDir),
    events: JSON.stringify(r.events),
  };
  for (const [where, text] of Object.entries(places)) {
    for (const form of [SECRET, encodeURIComponent(SECRET), "DbPw", "%87@zz"])
      expect(text.includes(form), `"${form}" in ${where}`).toBe(false);
  }
}

describe("a database URL built from params (SPEC 1.1)", () => {
  it("percent-encodes the password, so libpq, node-postgres and psql all log in; the step header shows it masked", async () => {
    const { port } = pgEnv().sandbox.clusters.get("main") ?? { port: 0 };
    const fm = md(
      "---",
      "params:",
      `  rails_password: { default: "${SECRET}" }`,
      `  db_port: { default: "${port}" }`,
      "databases:",
      '  primary: { url: "postgres://rails_url:${rails_password}@127.0.0.1:${db_port}/app_url" }',
      "---",
    );
    const r = await runMarkdown(fm + STEPS, { dir: tempDir() });
    expect(stepEnds(r.events)).toEqual([
      ["shell", "done"],
      ["sql", "done"],
      ["psql", "done"],
    ]);
    expect(r.output).toContain("rails_url@app_url");
    expect(r.output).toContain("psql as rails_url");
    const targets = r.events.flatMap((e) =>
      e.type === "action-start" && e.target ? [e.target] : [],
    );
    expect(targets).toEqual(
      Array(3).fill(`postgres://rails_url:***@127.0.0.1:${port}/app_url`),
    );
    const screen = screens(r.events);
    expect(screen).toContain(
      `  sh → postgres://rails_url:***@127.0.0.1:${port}/app_url`,
    );
    expect(screen).toContain(
      `"target":"postgres://rails_url:***@127.0.0.1:${port}/app_url"`,
    );
    expectNothingInClear(r);
  });

  it("keeps user and password when a rehearsal points the URL at its cluster, and masks the cluster's own password", async () => {
    const { binding, secrets } = pgEnv();
    const fm = md(
      "---",
      "params:",
      `  rails_password: { rehearsal: "${SECRET}" }`,
      "databases:",
      '  primary: { url: "postgres://rails_url:${rails_password}@db.internal:5432/app_url", sandbox: { cluster: main } }',
      '  admin: { url: "postgres://postgres@db.internal:5432/postgres", sandbox: { cluster: main } }',
      "---",
    );
    const su = md(
      "## Superuser",
      "```sh {db=admin}",
      'echo "su=$PGPASSWORD url=$DATABASE_URL"',
      "```",
    );
    const r = await runMarkdown(fm + STEPS + su, {
      dir: tempDir(),
      mode: "rehearsal",
      sandbox: binding,
      secrets,
    });
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output).toContain("rails_url@app_url");
    expect(r.output).toMatch(
      /su=\*\*\* url=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres/,
    );
    expect(r.events.find((e) => e.type === "action-start")).toMatchObject({
      target: expect.stringMatching(
        /^postgres:\/\/rails_url:\*\*\*@127\.0\.0\.1:\d+\/app_url$/,
      ),
    });
    expectNothingInClear(r);
    const cluster = pgEnv().sandbox.clusters.get("main")?.password ?? "";
    expect(cluster.length).toBeGreaterThan(8);
    for (const text of [
      screens(r.events),
      stateFiles(r.stateDir),
      JSON.stringify(r.events),
    ])
      expect(text).not.toContain(cluster);
  });
});
