import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  harness,
  KEYS,
  md,
  runStart,
  stepEvents,
  stepOf,
  logOf,
} from "./helpers.js";

/** A question the test leaves unanswered: a later one replaces it, and its promise rejects by design. */
const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);

const RUN_ID = "20250101-000000-0001";

const BOOK = md(
  "# Move orders",
  "",
  "## Count the orders",
  "",
  "How many orders are there before we start?",
  "",
  "```sql {db=old capture=orders_before}",
  "SELECT count(*) FROM orders;",
  "```",
  "",
  '::check{sh="echo 3" expect="3"}',
  "",
  '::check{sh="echo paid" match="^pa"}',
  "",
  "## Copy the orders",
  "",
  "This step copies every order from the old server to the new one. It may take a while on a big",
  "shop: the copy runs in one transaction, so nothing is half-copied if it fails. Watch the output",
  "for the number of rows, and compare it with the count captured before.",
  "",
  "If it fails, the new server is left as it was: retry it.",
  "",
  "A third paragraph, so that the prose is longer than the three rows a step waiting for its answer",
  "shows before its code, the end.",
  "",
  "```sh",
  "echo copying",
  "```",
  "",
  "## Verify",
  "",
  "```sh",
  "echo ok",
  "```",
);

/** A state dir with the output logs the engine would have written. */
function stateDir(logs: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-tui-logs-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, "runs", RUN_ID, "output");
  mkdirSync(out, { recursive: true });
  for (const [id, text] of Object.entries(logs))
    writeFileSync(path.join(out, `${id}.log`), text);
  return dir;
}

describe("what just happened stays on screen", () => {
  it("the step that passed keeps its last output lines, captures and every check with expected and actual beside the next question", async () => {
    const h = harness(BOOK, { columns: 120, rows: 40 });
    const count = stepOf(h.runbook, "count-the-orders");
    await h.emit(runStart(h.runbook));
    await h.emit(
      ...stepEvents(count, {
        index: 1,
        total: 3,
        output: `${Array.from({ length: 30 }, (_, i) => `progress ${i + 1}`).join("\n")}\n count \n-------\n     3\n(1 row)\n`,
        captures: { orders_before: "3" },
        checks: [
          {
            kind: "pass",
            message: 'got "3"',
            actual: "3",
            expected: "3",
            attempts: 1,
            durationMs: 2,
          },
          {
            kind: "pass",
            message: 'got "paid"',
            actual: "paid",
            expected: "/^pa/",
            attempts: 1,
            durationMs: 2,
          },
        ],
      }),
    );
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "copy-the-orders")));
    await h.settle();
    const frame = h.frame();
    expect(frame).toContain("Just finished: step 1 · Count the orders");
    expect(frame).toContain("✔ done 25ms");
    expect(frame).toContain('= orders_before = "3"');
    expect(frame).toContain("✓ check 1 (line 11)  expected 3 · actual 3");
    expect(frame).toContain(
      "✓ check 2 (line 13)  expected /^pa/ · actual paid",
    );
    // The last lines of its output, with a count of the ones above.
    expect(frame).toContain("│ (1 row)");
    expect(frame).toMatch(/⋮ \d+ earlier lines/);
    expect(frame).not.toContain("progress 1\n");
    // And the next step, with its question.
    expect(frame).toContain("Step 2 of 3 · Copy the orders");
    expect(frame).toContain('? Run step 2 of 3, "Copy the orders"?');
    expect(frame.split("\n").length).toBeLessThanOrEqual(39);
  });

  it("a finished step that failed its checks shows the values it got", async () => {
    const h = harness(BOOK, { columns: 120, rows: 40 });
    const count = stepOf(h.runbook, "count-the-orders");
    await h.emit(runStart(h.runbook));
    await h.emit(
      ...stepEvents(count, {
        index: 1,
        total: 3,
        checks: [
          {
            kind: "mismatch",
            message: 'expected "3", got "4"',
            expected: "3",
            actual: "4",
            attempts: 1,
            durationMs: 2,
          },
        ],
      }),
    );
    await h.emit({
      type: "step-end",
      stepId: count.id,
      state: "skipped",
      durationMs: 0,
      message: "skipped after a failure",
    });
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "copy-the-orders")));
    await h.settle();
    expect(h.frame()).toContain("✗ check 1 (line 11)  expected 3 · actual 4");
    expect(h.frame()).toMatch(/↷ Count the orders +unproven/);
  });

  it("fits 80x24 with the finished step above the next one", async () => {
    const h = harness(BOOK, { columns: 80, rows: 24 });
    const count = stepOf(h.runbook, "count-the-orders");
    await h.emit(runStart(h.runbook));
    await h.emit(
      ...stepEvents(count, {
        index: 1,
        total: 3,
        output: " count \n-------\n     3\n(1 row)\n",
        captures: { orders_before: "3" },
        checks: [
          {
            kind: "pass",
            message: 'got "3"',
            actual: "3",
            expected: "3",
            attempts: 1,
            durationMs: 2,
          },
          {
            kind: "pass",
            message: 'got "paid"',
            actual: "paid",
            expected: "/^pa/",
            attempts: 1,
            durationMs: 2,
          },
        ],
      }),
    );
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "copy-the-orders")));
    await h.settle();
    const lines = h.frame().split("\n");
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(h.frame()).toContain("Just finished: step 1");
    expect(h.frame()).toContain('= orders_before = "3"');
    expect(h.frame()).toContain("✓ check 1 (line 11)  expected 3 · actual 3");
    expect(h.frame()).toContain(
      "✓ check 2 (line 13)  expected /^pa/ · actual paid",
    );
    expect(h.frame()).toContain('? Run step 2 of 3, "Copy the orders"?');
  });
});

describe("long prose", () => {
  it("is cut with a key that shows it whole, and cut again", async () => {
    const h = harness(BOOK, { columns: 80, rows: 24 });
    await h.emit(runStart(h.runbook));
    await h.emit(
      ...stepEvents(stepOf(h.runbook, "count-the-orders"), {
        index: 1,
        total: 3,
        output: `${"progress\n".repeat(20)}`,
        captures: { orders_before: "3" },
      }),
    );
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "copy-the-orders")));
    await h.settle();
    expect(h.frame()).toMatch(/⋮ \d+ more lines \(e: show more\)/);
    expect(h.frame()).toContain("e more prose");
    expect(h.frame()).not.toContain("the end.");
    await h.press("e");
    expect(h.frame()).toContain("the end.");
    expect(h.frame()).toContain("e less prose");
    await h.press("e");
    expect(h.frame()).not.toContain("the end.");
  });
});

describe("the step browser", () => {
  async function twoStepsDone(
    options: { columns?: number; rows?: number; log?: string } = {},
  ) {
    const log =
      options.log ??
      `── count-the-orders attempt 1 at 2025-01-01T00:00:00Z\n${Array.from({ length: 500 }, (_, i) => `log line ${i + 1}`).join("\n")}\n`;
    const dir = stateDir({ "count-the-orders": log });
    const h = harness(BOOK, {
      columns: options.columns ?? 120,
      rows: options.rows ?? 40,
      cwd: dir,
    });
    await h.emit(runStart(h.runbook, { stateDir: dir }));
    await h.emit(
      ...stepEvents(stepOf(h.runbook, "count-the-orders"), {
        index: 1,
        total: 3,
        stateDir: dir,
        output: "log line 499\nlog line 500\n",
        captures: { orders_before: "3" },
        checks: [
          {
            kind: "pass",
            message: 'got "3"',
            actual: "3",
            expected: "3",
            attempts: 1,
            durationMs: 2,
          },
          {
            kind: "pass",
            message: 'got "paid"',
            actual: "paid",
            expected: "/^pa/",
            attempts: 1,
            durationMs: 2,
          },
        ],
      }),
    );
    await h.emit(
      ...stepEvents(stepOf(h.runbook, "copy-the-orders"), {
        index: 2,
        total: 3,
        stateDir: dir,
        output: "copying\n",
      }),
    );
    let answer: string | undefined;
    quiet(
      h.interaction
        .confirmStep(stepOf(h.runbook, "verify"))
        .then((a) => (answer = a)),
    );
    await h.settle();
    return { h, dir, answer: () => answer };
  }

  it("arrows move a selection through the list; Enter opens that step instead of running the current one", async () => {
    const { h, answer } = await twoStepsDone();
    expect(h.frame()).toMatch(/›○ Verify/);
    await h.press(KEYS.up, KEYS.up);
    expect(h.frame()).toMatch(/▸✔ Count the orders/);
    expect(h.frame()).toMatch(/›○ Verify/);
    expect(h.frame()).toContain('Enter open "Count the orders"');
    await h.press(KEYS.enter);
    expect(answer()).toBeUndefined();
    const opened = h.frame();
    expect(opened).toContain("Step 1 of 3 · Count the orders");
    expect(opened).toContain(
      "log: runs/20250101-000000-0001/output/count-the-orders.log",
    );
    expect(opened).toContain("How many orders are there before we start?");
    expect(opened).toMatch(/◇ check 1 · sh · expect=3 · line 11 +✓ passed/);
    expect(opened).toMatch(/expected: 3\n.*actual: {3}3/);
    expect(opened).toContain(
      "↑↓ scroll  ·  PgUp/PgDn page  ·  Home/End  ·  o output  ·  ←→ other steps  ·  Esc back",
    );
    // The question is still there; its keys wait until the operator is back.
    expect(opened).toContain('? Run step 3 of 3, "Verify"?');
    await h.press("y");
    expect(answer()).toBeUndefined();
  });

  it("an opened step reads its whole output from the log, a page at a time", async () => {
    const { h } = await twoStepsDone();
    await h.press(KEYS.up, KEYS.up, "o");
    expect(h.frame()).toContain('= orders_before = "3"');
    await h.press("o");
    let frame = h.frame();
    expect(frame).toMatch(/── output · 501 lines · [\d.]+ kB · lines 1–\d+ ─/);
    expect(frame).toContain(
      "── count-the-orders attempt 1 at 2025-01-01T00:00:00Z",
    );
    expect(frame).toContain("│ log line 1\n");
    await h.press(KEYS.pageDown);
    frame = h.frame();
    expect(frame).not.toContain("│ log line 1\n");
    expect(frame).toMatch(/│ log line 4\d\n/);
    await h.press(KEYS.end);
    frame = h.frame();
    expect(frame).toContain("│ log line 500");
    expect(frame).not.toContain("│ log line 400\n");
    await h.press(KEYS.home);
    expect(h.frame()).toContain("How many orders are there before we start?");
    // ←/→ open the steps around it.
    await h.press(KEYS.right);
    expect(h.frame()).toContain("Step 2 of 3 · Copy the orders");
    expect(h.frame()).toContain(
      "(no output: nothing was printed, or the step has not run)",
    );
    await h.press(KEYS.escape);
    expect(h.frame()).toContain('? Run step 3 of 3, "Verify"?');
    expect(h.frame()).not.toContain("↑↓ scroll");
  });

  it("Esc in the list puts the selection back on the current step, where Enter runs it", async () => {
    const { h, answer } = await twoStepsDone();
    await h.press(KEYS.up);
    expect(h.frame()).toMatch(/▸✔ Copy the orders/);
    await h.press(KEYS.escape);
    expect(h.frame()).not.toContain("▸");
    await h.press(KEYS.enter);
    expect(answer()).toBe("run");
  });

  it("a pending step can be opened too: its prose and code, not run yet", async () => {
    const dir = stateDir({});
    const h = harness(BOOK, { columns: 120, rows: 40, cwd: dir });
    await h.emit(runStart(h.runbook, { stateDir: dir }));
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "count-the-orders")));
    await h.press(KEYS.down, KEYS.down, KEYS.enter);
    expect(h.frame()).toContain("Step 3 of 3 · Verify");
    expect(h.frame()).toContain("not run yet");
    expect(h.frame()).toContain("│ echo ok");
  });

  it("memory stays bounded: a log of 200,000 lines is paged, never read whole", async () => {
    const big = `${Array.from({ length: 200_000 }, (_, i) => `line ${i + 1} ${"x".repeat(40)}`).join("\n")}\n`;
    const { h } = await twoStepsDone({ log: big });
    await h.press(KEYS.up, KEYS.up, KEYS.enter, KEYS.end);
    // The log is indexed from disk a slice at a time: wait for the frame that shows its end.
    const frame = await h.waitFor((f) => f.includes("│ line 200000 "));
    expect(frame).toContain("200,000 lines");
    expect(frame).toContain("│ line 200000 ");
  });

  it("while a step runs, Enter opens it and the opened view follows its log at the end", async () => {
    const dir = stateDir({ "copy-the-orders": "copying 1\ncopying 2\n" });
    const h = harness(BOOK, { columns: 120, rows: 40, cwd: dir });
    await h.emit(runStart(h.runbook, { stateDir: dir }), {
      type: "step-start",
      stepId: "copy-the-orders",
      index: 2,
      total: 3,
      attempt: 1,
      log: logOf("copy-the-orders", dir),
    });
    await h.press(KEYS.enter, KEYS.end);
    expect(h.frame()).toContain("│ copying 2");
    writeFileSync(
      path.join(dir, "runs", RUN_ID, "output", "copy-the-orders.log"),
      "copying 1\ncopying 2\ncopying 3\n",
    );
    await h.advance(600);
    expect(h.frame()).toContain("│ copying 3");
  });
});

describe("a waiting check", () => {
  it("shows the value it last got when the engine reports its tries (check-progress)", async () => {
    const h = harness(
      md(
        "# W",
        "",
        "## Wait for replication",
        "",
        '::check{sh="cat lag" expect="0" wait=5m every=5s}',
      ),
      { columns: 100, rows: 30 },
    );
    const s = stepOf(h.runbook, "wait-for-replication");
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: s.id,
        index: 1,
        total: 1,
        attempt: 1,
        log: logOf(s.id),
      },
      {
        type: "check-start",
        stepId: s.id,
        index: 0,
        kind: "sh",
        code: "cat lag",
        waitMs: 300_000,
      },
    );
    await h.emit({
      type: "check-progress",
      stepId: s.id,
      index: 0,
      actual: "42",
      message: 'expected "0", got "42"',
      attempts: 3,
      elapsedMs: 15_000,
    });
    await h.advance(15_000);
    expect(h.frame()).toContain("waiting up to 5m, 15s");
    expect(h.frame()).toContain("last got: 42 (try 3)");
    await h.emit({
      type: "check-progress",
      stepId: s.id,
      index: 0,
      message: "connection refused",
      attempts: 4,
      elapsedMs: 20_000,
    });
    expect(h.frame()).toContain("last try: connection refused (try 4)");
  });
});

describe("without colour", () => {
  it("the selected step is marked by a symbol, not only by inverse video", async () => {
    const h = harness(BOOK, { color: false });
    await h.emit(runStart(h.runbook));
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "verify")));
    await h.press(KEYS.up);
    expect(h.frame()).toMatch(/^▸○ Copy the orders/m);
    expect(h.frame()).toMatch(/^›○ Verify/m);
  });
});
