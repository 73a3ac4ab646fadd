import { describe, expect, it } from "vitest";
import { harness, KEYS, logOf, md, runStart } from "./helpers.js";

const RUNBOOK = md(
  "# Night move",
  "",
  "## Say hello",
  "",
  "```sh",
  "echo hello",
  "```",
  "",
  "## Say bye",
  "",
  "```sh",
  "echo bye",
  "```",
);

/** The key bar: the last lines of the frame. */
const bar = (frame: string): string => frame.split("\n").slice(-3).join("\n");

function started(readOnly: boolean) {
  const h = harness(RUNBOOK, { readOnly });
  const s = h.runbook.steps[0]!;
  return {
    h,
    start: () =>
      h.emit(runStart(h.runbook), {
        type: "step-start",
        stepId: s.id,
        index: 1,
        total: 2,
        attempt: 1,
        log: logOf(s.id),
      }),
  };
}

describe("a follower's key bar promises only what it can do (SPEC 4)", () => {
  it("while a step runs: stop following, look at steps, help; never stop this step or pause", async () => {
    const { h, start } = started(true);
    await start();
    const keys = bar(h.frame());
    expect(keys).toContain("Ctrl-C/q stop following (the run goes on)");
    expect(keys).toContain("↑↓ steps");
    expect(keys).toContain("? help");
    expect(h.frame()).not.toContain("stop this step");
    expect(h.frame()).not.toContain("pause");
    // The driver's view of the same moment offers to stop the step.
    const driver = started(false);
    await driver.start();
    expect(bar(driver.h.frame())).toContain("Ctrl-C stop this step");
  });

  it("between steps and before the run: no key that answers or quits the run", async () => {
    const { h } = started(true);
    await h.settle();
    expect(bar(h.frame())).toContain("Ctrl-C/q stop following");
    expect(h.frame()).not.toMatch(/Ctrl-C quit\b/);
    await h.emit(runStart(h.runbook));
    expect(h.frame()).toContain("Following: the operator driving this run");
    expect(h.frame()).not.toMatch(/\bs skip|y\/Enter|resumable/);
  });

  it("its help lists only the keys that work here", async () => {
    const { h, start } = started(true);
    await start();
    await h.press("?");
    const frame = h.frame();
    expect(frame).toContain("stop following; the run goes on");
    expect(frame).not.toContain("skip the step");
    expect(frame).not.toContain("stop the running step");
  });

  it("q and Ctrl-C stop following at once, and stop no step", async () => {
    for (const key of ["q", KEYS.ctrlC]) {
      const { h, start } = started(true);
      await start();
      await h.press(key);
      expect(h.interrupter.quitSignal.aborted).toBe(true);
      expect(h.frame()).not.toContain("Stopping the step");
    }
  });

  it("the step browser still opens a step", async () => {
    const { h, start } = started(true);
    await start();
    await h.press("o");
    expect(bar(h.frame())).toContain("Esc back");
    // q closes the opened step, as it does for the driver; it does not leave.
    await h.press("q");
    expect(h.interrupter.quitSignal.aborted).toBe(false);
  });
});

describe("a step whose log the state keeps in PostgreSQL", () => {
  it("says where the whole output is instead of claiming nothing was printed", async () => {
    const h = harness(RUNBOOK, { readOnly: true, rows: 30 });
    const s = h.runbook.steps[0]!;
    const where =
      "the state database postgres://runbook:***@db.internal/ops, table runbook.output (run 20250101-000000-0001, step say-hello)";
    await h.emit(runStart(h.runbook), {
      type: "step-start",
      stepId: s.id,
      index: 1,
      total: 2,
      attempt: 1,
      log: where,
    });
    await h.press("o");
    const frame = h.frame().replace(/\s+/g, " ");
    expect(frame).not.toContain("nothing was printed");
    expect(frame).toContain("the whole output is kept in the state database");
  });
});
