import {
  closeSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  acquireRunLock,
  JournalWriteError,
  JournalWriter,
  latestUnfinishedRun,
  listRuns,
  newRunId,
  readJournal,
  runDir,
  runState,
  type JournalEntry,
} from "../../../engine/journal/index.js";
import { RunbookError } from "../../../engine/model/index.js";
import { tempDir } from "../../helpers/temp.js";

const run = (runId: string): JournalEntry => ({
  type: "run",
  v: 1,
  at: "2026-11-23T00:00:00.000Z",
  runId,
  file: "/x/rb.md",
  cwd: "/x",
  title: "T",
  mode: "live",
  user: "u",
  host: "h",
  pid: 1,
  selection: {},
  yes: "steps",
  params: [],
  sentinels: {},
  steps: [
    { id: "a", title: "A", hash: "h1" },
    { id: "b", title: "B", hash: "h2" },
  ],
});

describe("the journal", () => {
  it("appends one JSON line per entry in a 0700 folder, file 0600", () => {
    const state = tempDir();
    const dir = runDir(state, "r1");
    const w = JournalWriter.open(dir);
    w.append(run("r1"));
    w.append({ type: "step-start", at: "t", step: "a", attempt: 1 });
    w.close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(state, "runs")).mode & 0o777).toBe(0o700);
    expect(statSync(w.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(w.file, "utf8").split("\n")).toHaveLength(3);
  });

  it("reads back entries, ignoring a torn last line but not a damaged middle one", () => {
    const state = tempDir();
    const w = JournalWriter.open(runDir(state, "r1"));
    w.append(run("r1"));
    w.append({ type: "step-start", at: "t", step: "a", attempt: 1 });
    w.close();
    writeFileSync(w.file, `${readFileSync(w.file, "utf8")}{"type":"step-e`);
    const read = readJournal(w.file);
    expect(read.tornTail).toBe(true);
    expect(read.entries).toHaveLength(2);
    // The next writer cuts the torn line off before appending.
    const again = JournalWriter.open(runDir(state, "r1"));
    again.append({
      type: "step-end",
      at: "t",
      step: "a",
      state: "done",
      durationMs: 1,
    });
    again.close();
    expect(readJournal(w.file)).toMatchObject({
      tornTail: false,
      entries: { length: 3 },
    });
    writeFileSync(
      w.file,
      `${JSON.stringify(run("r1"))}\nnot json\n${JSON.stringify({ type: "resume" })}\n`,
    );
    expect(() => readJournal(w.file)).toThrow(/damaged at line 2/);
  });

  it("folds entries into step states: a start with no end is unknown", () => {
    const state = runState([
      run("r1"),
      { type: "step-start", at: "t", step: "a", attempt: 1 },
      { type: "step-end", at: "t", step: "a", state: "done", durationMs: 5 },
      {
        type: "capture",
        at: "t",
        step: "a",
        name: "port",
        secret: false,
        value: "5433",
      },
      {
        type: "capture",
        at: "t",
        step: "a",
        name: "db_password",
        secret: true,
      },
      { type: "step-start", at: "t", step: "b", attempt: 1 },
    ]);
    expect(
      Object.fromEntries([...state.steps].map(([id, s]) => [id, s.state])),
    ).toEqual({ a: "done", b: "unknown" });
    expect(Object.fromEntries(state.captures)).toEqual({
      port: { value: "5433", secret: false },
      db_password: { secret: true },
    });
    expect(state.finished).toBe(false);
  });

  it("keeps the process groups of a step's last attempt, with the host that started them", () => {
    const state = runState([
      run("r1"),
      { type: "step-start", at: "t1", step: "a", attempt: 1 },
      { type: "group", at: "t1", step: "a", pgid: 100 },
      { type: "step-end", at: "t2", step: "a", state: "failed", durationMs: 1 },
      {
        type: "resume",
        at: "t3",
        user: "u",
        host: "other",
        pid: 2,
        changed: [],
      },
      { type: "step-start", at: "t4", step: "a", attempt: 2 },
      { type: "group", at: "t4", step: "a", pgid: 200 },
      { type: "group", at: "t5", step: "a", pgid: 201 },
    ]);
    expect(state.steps.get("a")).toMatchObject({
      state: "unknown",
      attempts: 2,
      groups: [
        { pgid: 200, host: "other" },
        { pgid: 201, host: "other" },
      ],
    });
  });

  it("finds the latest unfinished run", () => {
    const state = tempDir();
    for (const [id, done] of [
      ["20261101-000000-aaaa", false],
      ["20261102-000000-bbbb", false],
      ["20261103-000000-cccc", true],
    ] as const) {
      const w = JournalWriter.open(runDir(state, id));
      w.append(run(id));
      if (done)
        w.append({
          type: "run-end",
          at: "t",
          status: "done",
          exitCode: 0,
          message: "ok",
        });
      w.close();
    }
    expect(latestUnfinishedRun(state)?.runId).toBe("20261102-000000-bbbb");
  });

  it("makes sortable run ids", () => {
    expect(newRunId(new Date("2026-11-23T13:14:15Z"))).toMatch(
      /^20261123-131415-[0-9a-f]{6}$/,
    );
  });

  it("orders run ids started in the same second exactly: by millisecond, then by start within this process", () => {
    const second = Date.parse("2026-11-23T13:14:15.000Z");
    // Every pair of neighbouring milliseconds of one second (a random suffix gets about half of them wrong).
    for (let ms = 0; ms < 999; ms++) {
      const earlier = newRunId(new Date(second + ms));
      const later = newRunId(new Date(second + ms + 1));
      expect(earlier < later, `${earlier} then ${later} (ms ${ms})`).toBe(true);
    }
    // The same instant (a fast machine, or a fixed clock): still in start order, never the same id.
    const ids = Array.from({ length: 200 }, () =>
      newRunId(new Date(second + 500)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^20261123-131415-[0-9a-f]{6}$/);
  });

  it("lists runs of the same second newest first, and resumes the latest unfinished one of them", () => {
    const state = tempDir();
    const second = Date.parse("2026-11-23T13:14:15.000Z");
    // Old ids (a random suffix) stay readable beside new ones.
    const old = "20261123-131414-ffff";
    const ids = [
      old,
      ...[3, 140, 141, 998].map((ms) => newRunId(new Date(second + ms))),
    ];
    for (const id of ids) {
      const w = JournalWriter.open(runDir(state, id));
      w.append(run(id));
      w.close();
    }
    expect(listRuns(state)).toEqual([...ids].reverse());
    expect(latestUnfinishedRun(state)?.runId).toBe(ids[4]);
  });

  it("locks a runbook by its identity; a dead holder's lock is taken over", () => {
    const state = path.join(tempDir(), "locks");
    const lock = acquireRunLock({
      dir: state,
      identity: "x/rb.md",
      label: "/x/rb.md",
      runId: "r1",
      pid: process.pid,
    });
    // Another live process (pid 1 is always alive) holds it: refused.
    lock.release();
    const held = acquireRunLock({
      dir: state,
      identity: "x/rb.md",
      label: "/x/rb.md",
      runId: "r2",
      pid: 1,
      user: "alice",
      now: () => new Date("2026-11-23T13:00:00Z"),
    });
    // The holder is named: run, user, host, pid, since when, and what to do.
    expect(() =>
      acquireRunLock({
        dir: state,
        identity: "x/rb.md",
        label: "/x/rb.md",
        runId: "r3",
        pid: process.pid,
        now: () => new Date("2026-11-23T13:05:00Z"),
      }),
    ).toThrow(
      /^another run of \/x\/rb\.md is in progress \(run r2, by alice on \S+, pid 1, since 2026-11-23T13:00:00\.000Z, 5 minutes ago\): wait for it to end, or stop it \(kill 1\)/,
    );
    writeFileSync(
      held.file,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: JSON.parse(readFileSync(held.file, "utf8")).host,
        runId: "dead",
        since: "t",
      }),
    );
    const taken = acquireRunLock({
      dir: state,
      identity: "x/rb.md",
      label: "/x/rb.md",
      runId: "r4",
      pid: process.pid,
    });
    expect(JSON.parse(readFileSync(taken.file, "utf8"))).toMatchObject({
      runId: "r4",
    });
    taken.release();
  });

  it("says why a folder cannot hold a lock, in an error the CLI reports as such (exit 1)", () => {
    const state = tempDir();
    const dir = path.join(state, "locks");
    writeFileSync(
      path.join(state, "locks"),
      "a file where the locks folder goes",
    );
    let error: unknown;
    try {
      acquireRunLock({
        dir,
        identity: "x/rb.md",
        label: "/x/rb.md",
        runId: "r1",
        pid: process.pid,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunbookError);
    expect((error as RunbookError).code).toBe("STOPPED");
    expect((error as Error).message).toMatch(
      /^cannot use the lock folder .*: .*locks: (file already exists|a part of the path is not a directory) \((EEXIST|ENOTDIR)\)$/,
    );
  });

  it("a journal write that fails cuts off the torn line and fails every later append the same way", () => {
    const state = tempDir();
    const w = JournalWriter.open(runDir(state, "r1"));
    w.append(run("r1"));
    // A write that fails, as on a full disk: writes to a read-only descriptor fail with EBADF.
    const fd = (w as unknown as { fd: number }).fd;
    const ro = openSync(path.join(runDir(state, "r1"), "journal.jsonl"), "r");
    (w as unknown as { fd: number }).fd = ro;
    expect(() =>
      w.append({ type: "step-start", at: "t", step: "a", attempt: 1 }),
    ).toThrow(JournalWriteError);
    let again: unknown;
    try {
      w.append({ type: "step-start", at: "t", step: "a", attempt: 1 });
    } catch (e) {
      again = e;
    }
    expect(again).toBeInstanceOf(JournalWriteError);
    expect((again as Error).message).toMatch(
      /^the journal cannot be written \(.*journal\.jsonl: .*\): the run stopped at once, and a step it was running is left unknown\. Fix that, then resume run r1$/,
    );
    // The engine names the run; cli/ words the command that continues it.
    expect((again as JournalWriteError).runId).toBe("r1");
    expect(
      (again as JournalWriteError).resumeWith("runbook resume r1 --state-dir s")
        .message,
    ).toMatch(
      /left unknown\. Fix that, then: runbook resume r1 --state-dir s$/,
    );
    closeSync(fd);
    w.close();
    expect(
      readJournal(path.join(runDir(state, "r1"), "journal.jsonl")).entries,
    ).toHaveLength(1);
  });
});
