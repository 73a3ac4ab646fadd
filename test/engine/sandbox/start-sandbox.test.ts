import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  onTestFinished,
  test,
} from "vitest";
import {
  SandboxError,
  sandboxEnv,
  startSandbox,
  type Sandbox,
  type StartSandboxOptions,
} from "../../../engine/sandbox/index.js";
import { env, makeTempDir, query } from "./helpers.js";

const asRoot = process.getuid?.() === 0;
let dirs: ReturnType<typeof makeTempDir>;
let cacheDir: string;

beforeAll(() => {
  dirs = makeTempDir("start");
  cacheDir = join(dirs.path, "cache");
});
afterAll(() => dirs.remove());

async function start(
  clusters: readonly string[],
  options: Partial<StartSandboxOptions> = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({
    clusters,
    env,
    cacheDir,
    tmpDir: dirs.path,
    ...options,
  });
  onTestFinished(() => sandbox.teardown());
  return sandbox;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, Math.round(performance.now() - started)];
}

describe("startSandbox", () => {
  test("builds the template once (cold), then copies it (warm), and starts two clusters at once", async ({
    annotate,
  }) => {
    const [cold, coldMs] = await timed(() => start(["solo"]));
    const templates = readdirSync(cacheDir).filter((name) =>
      name.startsWith("template-"),
    );
    expect(templates).toEqual([
      `template-pg${cold.install.version}-${asRoot ? "postgres" : cold.clusters.get("solo")?.osUser}-v1`,
    ]);
    const templateDir = join(cacheDir, templates[0] ?? "");
    const builtAt = statSync(templateDir).ino;
    await cold.teardown();

    const [warm, warmMs] = await timed(() => start(["solo"]));
    const [pair, pairMs] = await timed(() => start(["source", "target"]));
    await annotate(
      `cold ${coldMs}ms, warm ${warmMs}ms, two clusters ${pairMs}ms`,
    );

    // The warm starts reused the cached template rather than running initdb again.
    expect(statSync(templateDir).ino).toBe(builtAt);
    expect(
      readdirSync(cacheDir).filter((name) => name.startsWith(".building-")),
    ).toEqual([]);
    expect(
      await query(warm.clusters.get("solo")!.url(), "SELECT 1 AS one"),
    ).toEqual([{ one: 1 }]);
    // How long they took is annotated above; the budget is held by `npm run bench` (bench/figures/sandbox.ts), not here.

    const source = pair.clusters.get("source")!;
    const target = pair.clusters.get("target")!;
    expect([...pair.clusters.keys()]).toEqual(["source", "target"]);
    expect(source.port).not.toBe(target.port);
    expect(source.dataDir).not.toBe(target.dataDir);
    // One password per sandbox: roles copied from one cluster to another keep working.
    expect(source.password).toBe(target.password);
    expect(source.password).not.toBe(warm.clusters.get("solo")!.password);
    const [sourceRow] = await query<{ port: string }>(
      source.url(),
      "SHOW port",
    );
    const [targetRow] = await query<{ port: string }>(
      target.url(),
      "SHOW port",
    );
    expect(sourceRow?.port).toBe(String(source.port));
    expect(targetRow?.port).toBe(String(target.port));
  });

  test("two sandboxes racing to build the template both succeed and leave one template", async () => {
    const raceCache = join(dirs.path, "race-cache");
    const [first, second] = await Promise.all([
      start(["a"], { cacheDir: raceCache }),
      start(["b"], { cacheDir: raceCache }),
    ]);
    expect(
      await query(first.clusters.get("a")!.url(), "SELECT 1 AS one"),
    ).toEqual([{ one: 1 }]);
    expect(
      await query(second.clusters.get("b")!.url(), "SELECT 1 AS one"),
    ).toEqual([{ one: 1 }]);
    expect(readdirSync(raceCache)).toEqual([
      expect.stringMatching(/^template-pg/),
    ]);
  });

  test("host connections need the generated password (scram-sha-256)", async () => {
    const sandbox = await start(["auth"]);
    const cluster = sandbox.clusters.get("auth")!;
    expect(cluster.password).toMatch(/^[\w-]{32}$/);
    expect(cluster.url()).toBe(
      `postgres://postgres:${cluster.password}@127.0.0.1:${cluster.port}/postgres`,
    );

    const [row] = await query<{ user: string; method: string }>(
      {
        host: "127.0.0.1",
        port: cluster.port,
        user: "postgres",
        password: cluster.password,
        database: "postgres",
      },
      "SELECT current_user AS user, (SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres') AS method",
    );
    expect(row?.user).toBe("postgres");
    expect(row?.method).toMatch(/^SCRAM-SHA-256\$4096:/);

    const wrong = {
      host: "127.0.0.1",
      port: cluster.port,
      user: "postgres",
      password: "not-the-password",
      database: "postgres",
    };
    await expect(query(wrong, "SELECT 1")).rejects.toMatchObject({
      code: "28P01",
    });
    // Not even `trust` over TCP for another role name.
    await expect(
      query({ ...wrong, user: "nobody" }, "SELECT 1"),
    ).rejects.toMatchObject({ code: "28P01" });
  });

  test("runs with the rehearsal settings, on 127.0.0.1 and a private socket", async () => {
    const sandbox = await start(["settings"]);
    const cluster = sandbox.clusters.get("settings")!;
    const rows = await query<{ name: string; setting: string }>(
      cluster.url(),
      `SELECT name, setting FROM pg_settings WHERE name IN ('listen_addresses', 'password_encryption', 'fsync',
         'synchronous_commit', 'full_page_writes', 'wal_level', 'max_wal_senders', 'max_replication_slots',
         'shared_buffers', 'logging_collector', 'unix_socket_directories') ORDER BY name`,
    );
    expect(
      Object.fromEntries(rows.map((row) => [row.name, row.setting])),
    ).toEqual({
      fsync: "off",
      full_page_writes: "off",
      listen_addresses: "127.0.0.1",
      logging_collector: "off",
      max_replication_slots: "10",
      max_wal_senders: "10",
      password_encryption: "scram-sha-256",
      shared_buffers: "2048", // 8kB pages: 16MB
      synchronous_commit: "off",
      unix_socket_directories: cluster.socketDir,
      wal_level: "logical",
    });
    const hba = await query<{
      type: string;
      database: string[];
      address: string | null;
      auth_method: string;
    }>(
      cluster.url(),
      "SELECT type, database, address, auth_method FROM pg_hba_file_rules ORDER BY line_number",
    );
    expect(hba.filter((rule) => rule.type === "host")).toEqual([
      {
        type: "host",
        database: ["all"],
        address: "127.0.0.1",
        auth_method: "scram-sha-256",
      },
      {
        type: "host",
        database: ["replication"],
        address: "127.0.0.1",
        auth_method: "scram-sha-256",
      },
    ]);

    const serverUser = asRoot ? "postgres" : cluster.osUser;
    expect(cluster.osUser).toBe(serverUser);
    for (const dir of [cluster.socketDir, cluster.dataDir]) {
      const info = statSync(dir);
      expect(info.mode & 0o777).toBe(0o700);
      expect(info.uid).toBe(statSync(cluster.dataDir).uid);
    }
    if (asRoot) expect(statSync(cluster.dataDir).uid).not.toBe(0);
    expect(cluster.binDir).toBe(sandbox.install.binDir);
    expect(statSync(cluster.logFile).size).toBeGreaterThan(0);
    // The password is a secret: not in the cluster's JSON.
    expect(JSON.stringify(cluster)).not.toContain(cluster.password);
  });

  test("sandboxEnv tells steps where each cluster is", async () => {
    const sandbox = await start(["app-db", "source", "app-db"]);
    const appDb = sandbox.clusters.get("app-db")!;
    expect(sandbox.clusters.size).toBe(2);
    const variables = sandboxEnv(sandbox);
    expect(variables).toMatchObject({
      RUNBOOK_SANDBOX_DIR: sandbox.root,
      RUNBOOK_CLUSTER_APP_DB_HOST: "127.0.0.1",
      RUNBOOK_CLUSTER_APP_DB_PORT: String(appDb.port),
      RUNBOOK_CLUSTER_APP_DB_PGDATA: appDb.dataDir,
      RUNBOOK_CLUSTER_APP_DB_SOCKET: appDb.socketDir,
      RUNBOOK_CLUSTER_APP_DB_USER: appDb.osUser,
      RUNBOOK_CLUSTER_SOURCE_PORT: String(sandbox.clusters.get("source")!.port),
    });
    expect(Object.keys(variables)).toHaveLength(1 + 2 * 5);
    expect(JSON.stringify(variables)).not.toContain(appDb.password);
    expect(appDb.dataDir.startsWith(`${sandbox.root}/`)).toBe(true);
  });

  test("url() encodes the database name", async () => {
    const sandbox = await start(["encode"]);
    const cluster = sandbox.clusters.get("encode")!;
    expect(cluster.url("my db/ü")).toBe(
      `postgres://postgres:${cluster.password}@127.0.0.1:${cluster.port}/my%20db%2F%C3%BC`,
    );
  });

  test("finds another port when the chosen one is taken", async () => {
    const { createServer } = await import("node:net");
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, "127.0.0.1", resolve),
    );
    onTestFinished(
      () => new Promise<void>((resolve) => blocker.close(() => resolve())),
    );
    const taken = (blocker.address() as { port: number }).port;

    const sandbox = await startSandbox(
      { clusters: ["busy"], env, cacheDir, tmpDir: dirs.path },
      { ports: [taken] },
    );
    onTestFinished(() => sandbox.teardown());

    const cluster = sandbox.clusters.get("busy")!;
    expect(cluster.port).not.toBe(taken);
    expect(await query(cluster.url(), "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  test("rejects cluster names that cannot be directories or variable names", async () => {
    await expect(start(["../escape"])).rejects.toThrow(SandboxError);
    await expect(start(["a-b", "a_b"])).rejects.toThrow(
      /"a-b" and "a_b" would share the variables RUNBOOK_CLUSTER_A_B_\*/,
    );
  });
});
