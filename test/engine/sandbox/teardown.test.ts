import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  onTestFinished,
  test,
  vi,
} from "vitest";
import {
  SandboxError,
  startSandbox,
  type StartSandboxOptions,
} from "../../../engine/sandbox/index.js";
import {
  env,
  freePort,
  makeTempDir,
  processesMentioning,
  query,
  runAs,
} from "./helpers.js";

let dirs: ReturnType<typeof makeTempDir>;
let cacheDir: string;

beforeAll(() => {
  dirs = makeTempDir("teardown");
  cacheDir = join(dirs.path, "cache");
});
afterAll(() => dirs.remove());

/** A tmpDir of its own, so that "nothing left behind" can be checked exactly. */
function freshTmpDir(): string {
  const tmp = makeTempDir("sandboxes");
  onTestFinished(tmp.remove);
  return tmp.path;
}

function options(
  tmpDir: string,
  overrides: Partial<StartSandboxOptions> = {},
): StartSandboxOptions {
  return {
    clusters: ["source", "target"],
    env,
    cacheDir,
    tmpDir,
    ...overrides,
  };
}

describe("teardown", () => {
  test("stops every server and removes the directory, once however often it is called", async () => {
    const tmpDir = freshTmpDir();
    const sandbox = await startSandbox(options(tmpDir));
    onTestFinished(() => sandbox.teardown());
    const dataDirs = [...sandbox.clusters.values()].map(
      (cluster) => cluster.dataDir,
    );
    for (const dataDir of dataDirs)
      expect(processesMentioning(dataDir)).not.toEqual([]);

    await Promise.all([sandbox.teardown(), sandbox.teardown()]);
    await sandbox.teardown();

    expect(existsSync(sandbox.root)).toBe(false);
    expect(readdirSync(tmpDir)).toEqual([]);
    for (const dataDir of dataDirs)
      expect(processesMentioning(dataDir)).toEqual([]);
    await expect(
      sandbox.ensureDatabase({ cluster: "source", database: "x" }),
    ).rejects.toThrow(/has been torn down/);
  });

  test("does not mind a server a step already stopped", async () => {
    const sandbox = await startSandbox(
      options(freshTmpDir(), { clusters: ["stopped"] }),
    );
    onTestFinished(() => sandbox.teardown());
    const cluster = sandbox.clusters.get("stopped")!;
    runAs(cluster.osUser, join(cluster.binDir, "pg_ctl"), [
      "stop",
      "-D",
      cluster.dataDir,
      "-m",
      "fast",
      "-w",
    ]);

    await sandbox.teardown();

    expect(existsSync(sandbox.root)).toBe(false);
  });

  test("also stops a server a rehearsal started inside the sandbox (a replica from pg_basebackup)", async () => {
    const sandbox = await startSandbox(
      options(freshTmpDir(), { clusters: ["primary"] }),
    );
    onTestFinished(() => sandbox.teardown());
    const primary = sandbox.clusters.get("primary")!;
    const replicaDir = join(sandbox.root, "replica");
    const pgEnv = { PGPASSWORD: primary.password };
    // Replication over TCP authenticates with scram too.
    runAs(
      primary.osUser,
      join(primary.binDir, "pg_basebackup"),
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(primary.port),
        "-U",
        "postgres",
        "-D",
        replicaDir,
        "-R",
        "-c",
        "fast",
      ],
      pgEnv,
    );
    const replicaPort = await freePort();
    const replicaLog = join(sandbox.root, "replica.log");
    try {
      runAs(primary.osUser, join(primary.binDir, "pg_ctl"), [
        "start",
        "-D",
        replicaDir,
        "-w",
        "-l",
        replicaLog,
        "-o",
        `-p ${replicaPort} -k ${primary.socketDir}`,
      ]);
    } catch (error) {
      throw new Error(
        `the replica did not start:\n${readFileSync(replicaLog, "utf8")}`,
        { cause: error },
      );
    }
    expect(processesMentioning(replicaDir)).not.toEqual([]);
    const [row] = await query<{ recovering: boolean }>(
      {
        host: "127.0.0.1",
        port: replicaPort,
        user: "postgres",
        password: primary.password,
        database: "postgres",
      },
      "SELECT pg_is_in_recovery() AS recovering",
    );
    expect(row?.recovering).toBe(true);

    await sandbox.teardown();

    expect(processesMentioning(sandbox.root)).toEqual([]);
    expect(existsSync(sandbox.root)).toBe(false);
  });

  test("with keep, leaves the servers running and prints nothing", async () => {
    const stdout = vi.spyOn(process.stdout, "write");
    const stderr = vi.spyOn(process.stderr, "write");
    onTestFinished(() => {
      stdout.mockRestore();
      stderr.mockRestore();
    });
    const tmp = makeTempDir("kept");
    const sandbox = await startSandbox(
      options(tmp.path, { clusters: ["kept"], keep: true }),
    );
    const cluster = sandbox.clusters.get("kept")!;
    onTestFinished(() => {
      runAs(cluster.osUser, join(cluster.binDir, "pg_ctl"), [
        "stop",
        "-D",
        cluster.dataDir,
        "-m",
        "immediate",
        "-w",
      ]);
      tmp.remove();
    });

    await sandbox.teardown();

    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    expect(await query(cluster.url(), "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await sandbox.ensureDatabase({ cluster: "kept", database: "still_usable" });
  });
});

describe("startSandbox cleans up after itself", () => {
  test("when a later cluster fails to start, the ones that started are stopped and removed", async () => {
    const tmpDir = freshTmpDir();

    const error = await startSandbox(
      options(tmpDir, { clusters: ["good", "bad"] }),
      {
        clusterSettings: { bad: { shared_buffers: "plenty" } },
      },
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).message).toMatch(
      /^PostgreSQL for cluster "bad" exited while starting/,
    );
    expect((error as SandboxError).message).toContain(
      'invalid value for parameter "shared_buffers": "plenty"',
    );
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(processesMentioning(tmpDir)).toEqual([]);
  });

  test("when a server does not become ready in time, with its log in the error", async () => {
    const tmpDir = freshTmpDir();

    const error = await startSandbox(options(tmpDir, { clusters: ["slow"] }), {
      startTimeoutMs: 0,
    }).catch((caught: unknown) => caught);

    expect((error as SandboxError).message).toMatch(
      /^PostgreSQL for cluster "slow" did not accept connections in time \(last: .+\); the end of .*server\.log/,
    );
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(processesMentioning(tmpDir)).toEqual([]);
  });

  test("when aborted part-way", async () => {
    const tmpDir = freshTmpDir();
    const controller = new AbortController();

    const starting = startSandbox(
      options(tmpDir, { signal: controller.signal }),
    );
    controller.abort(new Error("operator pressed Ctrl-C"));
    const error = await starting.catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).message).toBe(
      "starting the sandbox was aborted",
    );
    expect((error as SandboxError).cause).toEqual(
      new Error("operator pressed Ctrl-C"),
    );
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(processesMentioning(tmpDir)).toEqual([]);
  });

  test("when the sandbox directory cannot be made", async () => {
    const notADir = join(freshTmpDir(), "file");
    writeFileSync(notADir, "");
    await expect(startSandbox(options(notADir))).rejects.toThrow(
      `cannot create the sandbox directory in ${notADir}`,
    );
  });
});
