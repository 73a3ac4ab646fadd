import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type * as Journal from "../../../engine/journal/index.js";
import { waitFor } from "../../helpers/cli.js";
import { useSandbox } from "../../helpers/pg.js";
import { tempDir } from "../../helpers/temp.js";

/**
 * The contract of a state store (SPEC 2 "State can be shared"), run against
 * both: files under a state dir, and a real PostgreSQL cluster. The stores
 * come from the build (`npm test` builds first): the PostgreSQL store's
 * writing connection is a worker thread, which runs compiled JavaScript.
 */
const DIST = path.resolve(
  import.meta.dirname,
  "../../../dist/engine/journal/index.js",
);
const journal = (): Promise<typeof Journal> =>
  import(DIST) as Promise<typeof Journal>;
const pg = useSandbox(["state"]);

function stateUrl(): string {
  const c = pg().sandbox.clusters.get("state");
  if (!c) throw new Error("no state cluster");
  return `postgres://postgres:${encodeURIComponent(c.password)}@${c.host}:${c.port}/postgres`;
}

interface Backend {
  readonly name: string;
  /** A store over the same state as every other store this backend opens in the test (another machine, another process). */
  open(): Promise<Journal.StateStore>;
  /** The `state` argument of a child process that opens the same state. */
  spec(): string;
}

function files(): Backend {
  const dir = tempDir();
  const spec = path.join(dir, "state");
  const locks = path.join(dir, "machine-locks");
  return {
    name: "files",
    spec: () => spec,
    open: async () =>
      (await journal()).openStateStore({
        state: spec,
        cwd: dir,
        machineLockDir: locks,
      }),
  };
}

function postgres(): Backend {
  // Each test its own database: runs listed are only this test's.
  const db = `contract_${Math.random().toString(36).slice(2, 10)}`;
  const created = (async () => {
    const { default: PG } = await import("pg");
    const admin = new PG.Client({ connectionString: stateUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
  })();
  const spec = (): string => stateUrl().replace(/\/postgres$/, `/${db}`);
  return {
    name: "postgres",
    spec,
    open: async () => {
      await created;
      return (await journal()).openStateStore({ state: spec(), cwd: "/" });
    },
  };
}

function header(runId: string, at: string): Journal.JournalEntry {
  return {
    type: "run",
    v: 1,
    at,
    runId,
    file: "/repo/runbooks/rb.md",
    identity: "runbooks/rb.md",
    repoPath: "runbooks/rb.md",
    cwd: "/repo",
    title: "RB",
    mode: "live",
    user: "alice",
    host: "a",
    pid: 1,
    selection: {},
    yes: "steps",
    params: [{ name: "p", secret: false, value: "v", source: "set" }],
    sentinels: { s: "tok" },
    steps: [
      { id: "one", title: "One", hash: "h1" },
      { id: "two", title: "Two", hash: "h2" },
    ],
  };
}

async function using(backend: Backend): Promise<Journal.StateStore> {
  const store = await backend.open();
  onTestFinished(() => store.close());
  return store;
}

describe.each([{ make: files }, { make: postgres }])(
  "state store contract: $make.name",
  ({ make }) => {
    it("keeps every appended entry, in order, for any reader; lists runs newest first with their outcome", async () => {
      const backend = make();
      const store = await using(backend);
      for (const [runId, at, end] of [
        ["20260101-000000-aaaa", "2026-01-01T00:00:00.000Z", "done"],
        ["20260102-000000-bbbb", "2026-01-02T00:00:00.000Z", undefined],
      ] as const) {
        const sink = store.openJournal(runId);
        const entries: Journal.JournalEntry[] = [
          header(runId, at),
          { type: "step-start", at, step: "one", attempt: 1 },
          { type: "group", at, step: "one", pgid: 42 },
          {
            type: "capture",
            at,
            step: "one",
            name: "x",
            secret: false,
            value: "nul \u0000 and ünïcode",
          },
          { type: "step-end", at, step: "one", state: "done", durationMs: 3 },
        ];
        if (end)
          entries.push({
            type: "run-end",
            at,
            status: end,
            exitCode: 0,
            message: "all done",
          });
        for (const e of entries) sink.append(e);
        sink.close();
        // Another process (another machine) reads exactly what was written.
        const other = await using(backend);
        expect((await other.readJournal(runId)).entries).toEqual(entries);
      }
      const runs = await store.listRuns();
      expect(
        runs.map((r) => [r.runId, r.runbook, r.user, r.host, r.outcome]),
      ).toEqual([
        ["20260102-000000-bbbb", "runbooks/rb.md", "alice", "a", "unfinished"],
        ["20260101-000000-aaaa", "runbooks/rb.md", "alice", "a", "done"],
      ]);
      expect((await store.latestUnfinished())?.runId).toBe(
        "20260102-000000-bbbb",
      );
      await expect(store.readJournal("20990101-000000-none")).rejects.toThrow(
        /no run 20990101-000000-none/,
      );
    });

    it("a resumed run appends after what is there", async () => {
      const backend = make();
      const runId = "20260101-000000-cccc";
      const first = await using(backend);
      const a = first.openJournal(runId);
      a.append(header(runId, "2026-01-01T00:00:00.000Z"));
      a.append({
        type: "run-end",
        at: "t",
        status: "stopped",
        exitCode: 1,
        message: "stopped",
      });
      a.close();
      const second = await using(backend);
      const b = second.openJournal(runId);
      b.append({
        type: "resume",
        at: "t2",
        user: "bob",
        host: "b",
        pid: 2,
        changed: [],
      });
      b.close();
      expect(
        (await second.readJournal(runId)).entries.map((e) => e.type),
      ).toEqual(["run", "run-end", "resume"]);
      expect((await second.listRuns())[0]?.outcome).toBe("unfinished");
    });

    it("saves a step's output whole, in order, and reads a huge one as head and tail; a follower gets entries and output since its cursor", async () => {
      const backend = make();
      const store = await using(backend);
      const runId = "20260101-000000-dddd";
      const sink = store.openJournal(runId);
      sink.append(header(runId, "2026-01-01T00:00:00.000Z"));
      sink.append({ type: "step-start", at: "t", step: "one", attempt: 1 });
      const log = store.outputLog(runId, "one");
      log.header("── one attempt 1\n");
      const line = `${"x".repeat(99)}\n`;
      for (let i = 0; i < 3000; i++) log.write(line);
      log.write("the end ✓\n");
      await log.close();
      expect(log.failure).toBeUndefined();
      const whole = await store.readLog(runId, "one", {
        max: 1 << 20,
        head: 1000,
      });
      expect(whole?.text).toBe(
        `── one attempt 1\n${line.repeat(3000)}the end ✓\n`,
      );
      const cut = await store.readLog(runId, "one", {
        max: 10_000,
        head: 4_000,
      });
      expect(cut?.omittedBytes).toBe(
        Buffer.byteLength(whole?.text ?? "") - 10_000,
      );
      expect(cut?.text.startsWith("── one attempt 1\n")).toBe(true);
      expect(cut?.text.endsWith("the end ✓\n")).toBe(true);
      expect(await store.readLog(runId, "two")).toBeUndefined();

      const follower = await using(backend);
      const seen = await follower.poll(runId, undefined);
      expect(seen.entries.map((e) => e.type)).toEqual(["run", "step-start"]);
      expect(seen.output.map((o) => o.text).join("")).toBe(whole?.text);
      sink.append({
        type: "step-end",
        at: "t",
        step: "one",
        state: "done",
        durationMs: 1,
      });
      sink.append({ type: "step-start", at: "t", step: "two", attempt: 1 });
      const two = store.outputLog(runId, "two");
      two.write("more\n");
      await two.close();
      const next = await follower.poll(runId, seen.cursor);
      expect(next.entries.map((e) => e.type)).toEqual([
        "step-end",
        "step-start",
      ]);
      expect(next.output).toEqual([{ step: "two", text: "more\n" }]);
      expect((await follower.poll(runId, next.cursor)).entries).toEqual([]);
    });

    it("refuses a second holder of a runbook's lock anywhere, naming it, and frees it when released", async () => {
      const backend = make();
      const a = await using(backend);
      const b = await using(backend);
      const request = {
        identity: "runbooks/rb.md",
        label: "runbooks/rb.md",
        user: "alice",
        host: "machine-a",
      };
      const lock = await a.acquireLock({
        ...request,
        runId: "r1",
        pid: 1111,
        now: () => new Date("2026-01-01T10:00:00Z"),
      });
      let refused: unknown;
      try {
        await b.acquireLock({
          ...request,
          user: "bob",
          host: "machine-b",
          runId: "r2",
          pid: 2222,
        });
      } catch (error) {
        refused = error;
      }
      const { LockedError } = await journal();
      expect(refused).toBeInstanceOf(LockedError);
      expect((refused as Error).message).toMatch(
        /^another run of runbooks\/rb\.md is in progress \(run r1, by alice on machine-a, pid 1111, since 2026-01-01T10:00:00\.000Z/,
      );
      expect(
        await b.lockHolder("runbooks/rb.md", { pid: 2222, host: "machine-b" }),
      ).toMatchObject({
        runId: "r1",
        user: "alice",
        host: "machine-a",
        pid: 1111,
      });
      // Another runbook is not held.
      await (
        await b.acquireLock({
          ...request,
          identity: "other.md",
          runId: "r3",
          pid: 2222,
        })
      ).release();
      lock.release();
      expect(
        await b.lockHolder("runbooks/rb.md", { pid: 2222, host: "machine-b" }),
      ).toBeUndefined();
      (await b.acquireLock({ ...request, runId: "r4", pid: 2222 })).release();
    });

    it("a holder that died (kill -9) frees the lock", async () => {
      const backend = make();
      // A real process takes the lock, says so, and is killed.
      const script = `const j = await import(${JSON.stringify(DIST)});
      const s = await j.openStateStore({ state: process.argv[1], cwd: '/', machineLockDir: process.argv[2] });
      await s.acquireLock({ identity: 'rb.md', label: 'rb.md', runId: 'dying', pid: process.pid, user: 'alice', host: (await import('node:os')).hostname() });
      console.log('locked'); setInterval(() => {}, 1000);`;
      const child = spawn(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          script,
          backend.spec(),
          path.join(path.dirname(backend.spec()), "machine-locks"),
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      onTestFinished(() => void child.kill("SIGKILL"));
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      await waitFor(() => out.includes("locked"), 30_000);
      const store = await using(backend);
      const me = {
        pid: process.pid,
        host: (await import("node:os")).hostname(),
      };
      expect((await store.lockHolder("rb.md", me))?.runId).toBe("dying");
      await expect(
        store.acquireLock({
          identity: "rb.md",
          label: "rb.md",
          runId: "next",
          pid: process.pid,
          user: "bob",
          host: me.host,
        }),
      ).rejects.toThrow(/run dying/);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      // The database notices the closed connection (at once on one machine): poll, never a fixed wait.
      let lock: Journal.RunLock | undefined;
      const until = Date.now() + 30_000;
      while (!lock) {
        lock = await store
          .acquireLock({
            identity: "rb.md",
            label: "rb.md",
            runId: "next",
            pid: process.pid,
            user: "bob",
            host: me.host,
          })
          .catch((error: unknown) => {
            if (Date.now() > until) throw error;
            return undefined;
          });
        if (!lock) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      lock.release();
    });
  },
);
