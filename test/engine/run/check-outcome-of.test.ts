import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../../engine/journal/index.js";
import { checkOutcomeOf } from "../../../engine/run/replay.js";

type CheckEntry = Extract<JournalEntry, { type: "check" }>;

/** A `check` line as the version before the unions wrote it (the shape is unchanged: `ok` with optional values). */
function line(json: string): CheckEntry {
  return JSON.parse(json) as CheckEntry;
}

describe("a journal's check line read back as a check outcome", () => {
  it("a pass keeps what it expected and got", () => {
    expect(
      checkOutcomeOf(
        line(
          '{"type":"check","at":"2026-01-01T00:00:00.000Z","step":"count","index":0,"kind":"sql","line":12,"ok":true,"message":"got \\"3\\"","attempts":1,"durationMs":4,"expected":"3","actual":"3"}',
        ),
      ),
    ).toEqual({
      kind: "pass",
      message: 'got "3"',
      expected: "3",
      actual: "3",
      attempts: 1,
      durationMs: 4,
    });
  });

  it("a check not evaluated (only= the other kind of run) is a skip, not a pass", () => {
    expect(
      checkOutcomeOf(
        line(
          '{"type":"check","at":"2026-01-01T00:00:00.000Z","step":"s","index":1,"kind":"sh","line":9,"ok":true,"message":"only=live: not checked in a rehearsal run","attempts":0,"durationMs":0}',
        ),
      ).kind,
    ).toBe("skipped");
  });

  it("a failure with values is a mismatch, with a table a table mismatch, with neither an error", () => {
    const base =
      '"type":"check","at":"2026-01-01T00:00:00.000Z","step":"s","index":0,"ok":false,"attempts":2,"durationMs":9';
    expect(
      checkOutcomeOf(
        line(
          `{${base},"message":"expected \\"3\\", got \\"2\\"","expected":"3","actual":"2"}`,
        ),
      ),
    ).toMatchObject({ kind: "mismatch", expected: "3", actual: "2" });
    const table = {
      columns: ["status"],
      expected: [["paid"]],
      actual: [["shipped"]],
    };
    expect(
      checkOutcomeOf(
        line(
          `{${base},"message":"missing 1 row: paid","table":${JSON.stringify(table)}}`,
        ),
      ),
    ).toEqual({
      kind: "table-mismatch",
      message: "missing 1 row: paid",
      table,
      attempts: 2,
      durationMs: 9,
    });
    expect(
      checkOutcomeOf(line(`{${base},"message":"connection refused"}`)),
    ).toEqual({
      kind: "error",
      message: "connection refused",
      attempts: 2,
      durationMs: 9,
    });
  });

  it("a pass from a journal that did not record values says so instead of inventing them", () => {
    expect(
      checkOutcomeOf(
        line(
          '{"type":"check","at":"2026-01-01T00:00:00.000Z","step":"s","index":0,"ok":true,"message":"passed","attempts":1,"durationMs":1}',
        ),
      ),
    ).toMatchObject({
      kind: "pass",
      expected: "(not recorded)",
      actual: "(not recorded)",
    });
  });
});
