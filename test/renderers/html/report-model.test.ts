import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../../engine/journal/index.js";
import { foldJournal, splitLog } from "../../../renderers/html/index.js";

const run: JournalEntry = {
  type: "run",
  v: 1,
  at: "2026-01-01T10:00:00.000Z",
  runId: "r1",
  file: "/rb.md",
  cwd: "/",
  title: "T",
  mode: "live",
  user: "ann",
  host: "h1",
  pid: 1,
  selection: {},
  yes: "none",
  params: [],
  sentinels: {},
  steps: [
    { id: "a", title: "A", hash: "x" },
    { id: "b", title: "B", hash: "y" },
    { id: "c", title: "C", hash: "z" },
  ],
};
const at = (s: number): string =>
  new Date(Date.parse("2026-01-01T10:00:00.000Z") + s * 1000).toISOString();

describe("foldJournal", () => {
  it("marks a started step with no end as unknown, and the run as unfinished", () => {
    const r = foldJournal([
      run,
      { type: "step-start", at: at(1), step: "a", attempt: 1 },
      {
        type: "step-end",
        at: at(2),
        step: "a",
        state: "done",
        durationMs: 1000,
      },
      { type: "step-start", at: at(3), step: "b", attempt: 1 },
    ]);
    expect(r.status).toBe("unfinished");
    expect(r.steps.map((s) => s.state)).toEqual(["done", "unknown", "pending"]);
    expect(r.steps[1]?.attempts[0]?.unknown).toBe(true);
  });

  it("closes open attempts at a resume, then records what the operator decided", () => {
    const r = foldJournal([
      run,
      { type: "step-start", at: at(1), step: "a", attempt: 1 },
      {
        type: "run-end",
        at: at(2),
        status: "interrupted",
        exitCode: 130,
        message: "interrupted",
      },
      {
        type: "resume",
        at: at(10),
        user: "bob",
        host: "h2",
        pid: 2,
        changed: [],
      },
      {
        type: "step-end",
        at: at(10),
        step: "a",
        state: "done",
        durationMs: 0,
        assumed: true,
        message: "marked done",
      },
      {
        type: "step-end",
        at: at(11),
        step: "b",
        state: "skipped",
        durationMs: 0,
        message: "skipped by the operator",
      },
      { type: "step-start", at: at(12), step: "c", attempt: 1 },
      {
        type: "gate",
        at: at(12),
        step: "c",
        kind: "confirm",
        prompt: "Sure?",
        answer: "yes",
        by: "operator",
        user: "bob",
      },
      {
        type: "check",
        at: at(13),
        step: "c",
        index: 0,
        ok: false,
        message: 'expected "1", got "2"',
        expected: "1",
        actual: "2",
        attempts: 3,
        durationMs: 900,
      },
      {
        type: "step-end",
        at: at(13),
        step: "c",
        state: "failed",
        durationMs: 1000,
        message: "check failed",
      },
      {
        type: "run-end",
        at: at(14),
        status: "failed",
        exitCode: 1,
        message: 'step "c" failed',
      },
    ]);
    expect(r.status).toBe("failed");
    expect(r.sessions.map((s) => [s.kind, s.user, s.end?.status])).toEqual([
      ["run", "ann", "interrupted"],
      ["resume", "bob", "failed"],
    ]);
    const [a, b, c] = r.steps;
    expect(a?.attempts.map((x) => [x.unknown, x.end?.assumed])).toEqual([
      [true, undefined],
      [false, true],
    ]);
    expect(a?.attempts[0]?.end).toBeUndefined();
    expect(a?.state).toBe("done");
    expect(a?.assumed).toBe(true);
    expect(b?.state).toBe("skipped");
    expect(c?.attempts[0]?.gates[0]?.user).toBe("bob");
    expect(c?.attempts[0]?.checks[0]?.actual).toBe("2");
    expect(c?.attempts[0]?.session).toBe(1);
  });

  it("an attempt open when the session ended normally stays unknown too", () => {
    const r = foldJournal([
      run,
      { type: "step-start", at: at(1), step: "a", attempt: 1 },
      {
        type: "resume",
        at: at(5),
        user: "ann",
        host: "h1",
        pid: 3,
        changed: ["a"],
      },
    ]);
    expect(r.steps[0]?.attempts[0]?.unknown).toBe(true);
    expect(r.sessions[1]?.changed).toEqual(["a"]);
    expect(r.status).toBe("unfinished");
  });
});

describe("splitLog", () => {
  it("cuts a step log at its attempt headers", () => {
    const parts = splitLog(
      "── a attempt 1 at 2026-01-01T10:00:01.000Z\none\n\n── a attempt 2 at 2026-01-01T10:00:05.000Z\ntwo\n",
    );
    expect(parts).toEqual([
      { header: "── a attempt 1 at 2026-01-01T10:00:01.000Z", body: "one" },
      { header: "── a attempt 2 at 2026-01-01T10:00:05.000Z", body: "two" },
    ]);
  });
});
