import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ConfirmAction } from "../../../engine/model/index.js";
import { harness, md, runStart, stepEvents, stepOf, logOf } from "./helpers.js";

const DEMO = readFileSync(
  path.resolve(import.meta.dirname, "../../../examples/demo.md"),
  "utf8",
);
const TOKEN = "rb-last_write-Q2xvc2VkIGJ5IG";

/** The demo, run to the end with every step passing (as the engine would report it). */
async function demoRun(
  options: {
    columns?: number;
    skip?: "by-choice" | "after-failure";
    sentinelCheck?: "pass" | "fail";
  } = {},
) {
  const h = harness(DEMO, { columns: options.columns ?? 120, rows: 40 });
  const step = (id: string) => stepOf(h.runbook, id);
  await h.emit(runStart(h.runbook, { mode: "rehearsal" }));
  const total = h.runbook.steps.length;
  let i = 0;
  for (const s of h.runbook.steps) {
    i++;
    if (s.id === "stop-writes") {
      if (options.skip === "by-choice") {
        await h.emit({
          type: "step-end",
          stepId: s.id,
          state: "skipped",
          durationMs: 0,
          message: "skipped by the operator",
        });
        continue;
      }
      const gate = h.interaction.confirmStep(s);
      await h.press("y");
      await gate;
      await h.emit({
        type: "step-start",
        stepId: s.id,
        index: i,
        total,
        attempt: 1,
        log: logOf(s.id),
      });
      await h.interaction.gate({
        step: s,
        kind: "confirm",
        prompt: "Is the application in maintenance mode?",
        action: s.actions[0] as ConfirmAction,
      });
      await h.emit({
        type: "step-end",
        stepId: s.id,
        state: "done",
        durationMs: 900,
      });
      continue;
    }
    if (s.id === "dump-the-old-server" && options.skip === "after-failure") {
      await h.emit(
        ...stepEvents(s, {
          index: i,
          total,
          failAction: { index: 0, exitCode: 1, message: "exit status 1" },
        }),
      );
      await h.emit({
        type: "step-end",
        stepId: s.id,
        state: "skipped",
        durationMs: 0,
        message: "skipped after a failure",
      });
      continue;
    }
    const sentinelOk = options.sentinelCheck !== "fail";
    await h.emit(
      ...stepEvents(s, {
        index: i,
        total,
        output: "ok\n",
        ...(s.id === "write-the-sentinel-on-the-old-server"
          ? { targets: { 0: "postgres://postgres:***@127.0.0.1:41234/shop" } }
          : {}),
        ...(s.id === "look-at-the-old-server"
          ? { captures: { orders_before: "3" } }
          : {}),
        checks:
          s.id === "prove-nothing-was-lost"
            ? [
                sentinelOk
                  ? {
                      kind: "pass",
                      message: `got "${TOKEN}"`,
                      expected: TOKEN,
                      actual: TOKEN,
                      attempts: 1,
                      durationMs: 3,
                    }
                  : {
                      kind: "mismatch",
                      message: `expected "${TOKEN}", got "old note"`,
                      expected: TOKEN,
                      actual: "old note",
                      attempts: 1,
                      durationMs: 3,
                    },
                {
                  kind: "pass",
                  message: 'got "3"',
                  expected: "3",
                  actual: "3",
                  attempts: 1,
                  durationMs: 3,
                },
                {
                  kind: "pass",
                  message: "2 rows as expected",
                  expected: "the table of 2 rows",
                  actual: "2 rows",
                  table: {
                    columns: ["status", "orders"],
                    expected: [
                      ["paid", "2"],
                      ["shipped", "1"],
                    ],
                    actual: [
                      ["paid", "2"],
                      ["shipped", "1"],
                    ],
                  },
                  attempts: 1,
                  durationMs: 3,
                },
              ]
            : [
                {
                  kind: "pass",
                  message: 'got "1"',
                  expected: "1",
                  actual: "1",
                  attempts: 1,
                  durationMs: 3,
                },
              ],
      }),
    );
    if (s.id === "prove-nothing-was-lost" && !sentinelOk) {
      await h.emit({
        type: "run-end",
        unproven: [],
        status: "failed",
        exitCode: 1,
        durationMs: 31_000,
        message:
          'step "prove-nothing-was-lost" failed: check at line 66 failed',
      });
      return { h, step };
    }
  }
  // As the engine ends such a run (run-loop.ts): a step skipped after a failure makes it incomplete.
  await h.emit(
    options.skip === "after-failure"
      ? {
          type: "run-end",
          unproven: ["dump-the-old-server"],
          status: "incomplete",
          exitCode: 1,
          durationMs: 31_000,
          message: `incomplete: 1 of ${total} steps skipped unproven (dump-the-old-server): they failed or were interrupted, and nothing proves what they did`,
        }
      : {
          type: "run-end",
          unproven: [],
          status: "done",
          exitCode: 0,
          durationMs: 31_000,
          message: `all ${total} steps done`,
        },
  );
  return { h, step };
}

describe("the proof summary at the end of the run", () => {
  it("shows every check with its values, where the sentinel was written and where it was found, and the outcome", async () => {
    const { h } = await demoRun();
    const frame = h.frame();
    expect(frame).toMatch(
      /^✔ Demo — move a table to a new server, proving the last write arrived {2}done$/m,
    );
    expect(frame).toContain("all 7 steps done · 31s");
    expect(frame).toContain("Checks  4 passed");
    expect(frame).toContain(
      "✔ Create the database on the new server › check 1 (line 53)  expected 1 · got 1",
    );
    expect(frame).toContain(
      `✔ Prove nothing was lost › check 1 (line 66)  expected ${TOKEN} · got ${TOKEN}`,
    );
    expect(frame).toContain(
      "✔ Prove nothing was lost › check 2 (line 72)  expected 3 · got 3",
    );
    expect(frame).toContain(
      "✔ Prove nothing was lost › check 3 (line 74)  expected the table of 2 rows · got 2 rows",
    );
    expect(frame).toContain(
      "Sentinel last_write  ✔ proven: written, then found",
    );
    expect(frame).toContain(`token    ${TOKEN}`);
    expect(frame).toMatch(
      /written {2}step 3 "Write the sentinel on the old server" · sql block, line 36 on\s+postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:41234\/shop · ✔ ran/,
    );
    expect(frame).toContain(
      'found    step 7 "Prove nothing was lost" · check 1, line 66 on db new · ✔ got the token',
    );
    expect(frame).not.toContain("Skipped");
    expect(frame).toMatch(/✔ Prove nothing was lost +25ms/);
  });

  it("a step skipped by choice before it ran is listed, and the run is still done", async () => {
    const { h } = await demoRun({ skip: "by-choice" });
    expect(h.frame()).toMatch(/^✔ Demo .* {2}done$/m);
    expect(h.frame()).toContain(
      "Skipped\n  ↷ Stop writes — by choice, before it ran",
    );
  });

  it("a step skipped after it failed: the run is incomplete, as the engine says, naming the step", async () => {
    const { h } = await demoRun({ skip: "after-failure" });
    const frame = h.frame();
    expect(frame).toMatch(/^✘ Demo .* {2}incomplete$/m);
    expect(frame).toContain("steps skipped unproven (dump-the-old-server)");
    expect(frame).toContain(
      "↷ Dump the old server — unproven: skipped after a failure",
    );
    expect(frame).toMatch(/↷ Dump the old server +unproven/);
  });

  it("a sentinel that was not found says so, with what was found instead, and the run failed", async () => {
    const { h } = await demoRun({ sentinelCheck: "fail" });
    const frame = h.frame();
    expect(frame).toMatch(/^✘ Demo .* {2}failed$/m);
    expect(frame).toContain(
      `✘ Prove nothing was lost › check 1 (line 66)  expected ${TOKEN} · got old note`,
    );
    expect(frame).toContain("Sentinel last_write  ✘ not proven");
    expect(frame).toContain("✘ got old note");
    expect(frame).toContain(
      "a sandbox run cannot be resumed: its clusters were removed",
    );
  });

  it('a quit or an interrupt is "stopped"', async () => {
    for (const status of ["stopped", "interrupted"] as const) {
      const h = harness(md("# T", "", "## A", "", "```sh", "echo a", "```"));
      await h.emit(runStart(h.runbook), {
        type: "run-end",
        unproven: [],
        status,
        exitCode: status === "stopped" ? 1 : 130,
        durationMs: 10,
        message:
          status === "stopped" ? "stopped by the operator" : "interrupted",
        resumeHint: "runbook resume 20250101-000000-0001",
      });
      expect(h.frame()).toMatch(/^✘ T {2}stopped$/m);
      expect(h.frame()).toContain(
        "to continue: runbook resume 20250101-000000-0001",
      );
    }
  });

  it("stays whole and readable at 80 columns without colour", async () => {
    const { h } = await demoRun({ columns: 80 });
    const lines = h.frame().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(h.frame()).toContain(
      "Sentinel last_write  ✔ proven: written, then found",
    );
    expect(h.frame()).toContain(
      'found    step 7 "Prove nothing was lost" · check 1, line 66 on db new',
    );
  });
});

describe("the run’s outcome word", () => {
  it("uses `incomplete` when the engine reports it", async () => {
    const h = harness(md("# T", "", "## A", "", "```sh", "echo a", "```"));
    await h.emit(runStart(h.runbook), {
      type: "run-end",
      unproven: [],
      status: "incomplete" as never,
      exitCode: 1,
      durationMs: 10,
      message: "1 step skipped unproven",
    });
    expect(h.frame()).toMatch(/^✘ T {2}incomplete$/m);
  });

  it("says the engine's status and names as unproven the steps its run-end names, guessing nothing from the rows", async () => {
    const h = harness(
      md(
        "# T",
        "",
        "## A",
        "",
        "```sh",
        "false",
        "```",
        "",
        "## B",
        "",
        "```sh",
        "echo b",
        "```",
      ),
    );
    const skipped = (stepId: string, unproven: boolean) => ({
      type: "step-end" as const,
      stepId,
      state: "skipped" as const,
      durationMs: 0,
      message: unproven ? "skipped after it failed" : "skipped by the operator",
      ...(unproven ? { unproven: true } : {}),
    });
    await h.emit(runStart(h.runbook), skipped("a", true), skipped("b", false), {
      type: "run-end",
      status: "incomplete",
      exitCode: 1,
      durationMs: 10,
      unproven: ["a"],
      message: "incomplete: 1 of 2 steps skipped unproven (a)",
    });
    const frame = h.frame();
    expect(frame).toMatch(/^✘ T {2}incomplete$/m);
    expect(frame).toContain("incomplete: 1 of 2 steps skipped unproven (a)");
    expect(frame).toMatch(/↷ A — unproven: /);
    expect(frame).toMatch(/↷ B — by choice, before it ran/);
  });

  it("does not turn the engine's `done` into `incomplete` on its own", async () => {
    const h = harness(md("# T", "", "## A", "", "```sh", "false", "```"));
    await h.emit(runStart(h.runbook), {
      type: "run-end",
      status: "done",
      exitCode: 0,
      durationMs: 10,
      unproven: [],
      message: "all 1 step done",
    });
    expect(h.frame()).toMatch(/^✔ T {2}done$/m);
  });
});

describe("a resumed run’s proof", () => {
  it('does not call the checks of steps done in an earlier session "not run"', async () => {
    const h = harness(DEMO, { columns: 120, rows: 40 });
    const start = runStart(h.runbook, { resumed: true });
    const doneBefore = new Set([
      "look-at-the-old-server",
      "stop-writes",
      "write-the-sentinel-on-the-old-server",
      "dump-the-old-server",
      "create-the-database-on-the-new-server",
    ]);
    await h.emit({
      ...start,
      steps: start.steps.map((s) => ({
        ...s,
        state: doneBefore.has(s.id) ? ("done" as const) : s.state,
      })),
    });
    await h.emit({
      type: "run-end",
      unproven: [],
      status: "stopped",
      exitCode: 1,
      durationMs: 10,
      message: "stopped by the operator",
      resumeHint: "runbook resume 20250101-000000-0001",
    });
    expect(h.frame()).toContain(
      "Checks  1 passed in an earlier session (see the journal), 3 not run",
    );
  });
});
