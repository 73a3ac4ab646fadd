import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  SandboxError,
  startSandbox,
  type Sandbox,
} from "../../../engine/sandbox/index.js";
import { env, makeTempDir, query } from "./helpers.js";

let dirs: ReturnType<typeof makeTempDir>;
let sandbox: Sandbox;

beforeAll(async () => {
  dirs = makeTempDir("seed");
  sandbox = await startSandbox({
    clusters: ["source"],
    env,
    cacheDir: join(dirs.path, "cache"),
    tmpDir: dirs.path,
  });
});
afterAll(async () => {
  await sandbox.teardown();
  dirs.remove();
});

function seedFile(name: string, sql: string): string {
  const dir = join(dirs.path, "fixtures");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), sql);
  return join(dir, name);
}

describe("loadSeed", () => {
  test("creates the database, then loads the file with psql (\\i relative to the seed)", async () => {
    seedFile(
      "customers.sql",
      "INSERT INTO customers (name) VALUES ('Ada'), ('Grace');\n",
    );
    const file = seedFile(
      "app.sql",
      "CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);\n\\i customers.sql\n",
    );

    await sandbox.loadSeed({ cluster: "source", database: "app", file });

    const cluster = sandbox.clusters.get("source")!;
    expect(
      await query(cluster.url("app"), "SELECT name FROM customers ORDER BY id"),
    ).toEqual([{ name: "Ada" }, { name: "Grace" }]);
  });

  test("loads into an existing database too", async () => {
    const file = seedFile(
      "existing.sql",
      "CREATE TABLE seeded_twice (n int);\n",
    );
    await sandbox.ensureDatabase({ cluster: "source", database: "existing" });
    await sandbox.loadSeed({ cluster: "source", database: "existing", file });
    const rows = await query(
      sandbox.clusters.get("source")!.url("existing"),
      "SELECT to_regclass('seeded_twice')::text AS t",
    );
    expect(rows).toEqual([{ t: "seeded_twice" }]);
  });

  test("stops at the first error and rejects with psql’s stderr", async () => {
    const file = seedFile(
      "broken.sql",
      "CREATE TABLE before_error (n int);\nSELEC 1;\nCREATE TABLE after_error (n int);\n",
    );

    const error = await sandbox
      .loadSeed({ cluster: "source", database: "broken", file })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SandboxError);
    const { message, output } = error as SandboxError;
    expect(message).toContain(
      `seed ${file} failed on cluster "source", database "broken"`,
    );
    expect(output).toMatch(/syntax error at or near "SELEC"/);
    expect(message).toContain("syntax error");
    expect(message).not.toContain(sandbox.clusters.get("source")!.password);
    const tables = await query<{ t: string | null }>(
      sandbox.clusters.get("source")!.url("broken"),
      "SELECT to_regclass('before_error')::text AS t UNION ALL SELECT to_regclass('after_error')::text",
    );
    expect(tables).toEqual([{ t: "before_error" }, { t: null }]);
  });

  test("names a missing seed file and an unknown cluster", async () => {
    await expect(
      sandbox.loadSeed({
        cluster: "source",
        database: "app",
        file: join(dirs.path, "nope.sql"),
      }),
    ).rejects.toThrow(
      /seed file .*nope\.sql for cluster "source" cannot be read/,
    );
    await expect(
      sandbox.loadSeed({ cluster: "target", database: "app", file: "x.sql" }),
    ).rejects.toThrow(
      'no sandbox cluster "target"; this sandbox has "source".',
    );
  });
});

describe("ensureDatabase", () => {
  test("creates a database once, however often and concurrently it is asked", async () => {
    const ask = () =>
      sandbox.ensureDatabase({ cluster: "source", database: 'Mixed "Case"' });
    await ask();
    await Promise.all([ask(), ask(), ask()]);
    const rows = await query(
      sandbox.clusters.get("source")!.url(),
      `SELECT datname FROM pg_database WHERE datname = 'Mixed "Case"'`,
    );
    expect(rows).toEqual([{ datname: 'Mixed "Case"' }]);
  });
});
