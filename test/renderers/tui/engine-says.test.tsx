import { describe, expect, it } from "vitest";
import { harness, logOf, md, runStart, stepEvents, stepOf } from "./helpers.js";

/** A question the test leaves unanswered: a later one replaces it, and its promise rejects by design. */
const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);

/** The secret param is short and common on purpose: a second masker in the UI would garble ordinary text with it. */
const BOOK = md(
  "---",
  "params:",
  "  year: { description: a value that is a secret, secret: true }",
  "---",
  "# Secrets",
  "",
  "## Write the config",
  "",
  "```conf {file=app.conf}",
  "password = ${year}",
  "```",
  "",
  "```sh",
  "psql -c \"ALTER ROLE app PASSWORD '$year'\"",
  'echo "set for 2024"',
  "```",
  "",
  '::check{sh="cat app.conf" expect="password = ${year}"}',
  "",
  "## Next",
  "",
  "```sh",
  "echo next",
  "```",
);

/**
 * Issue 12: reporters and the UI receive only redacted events and never mask
 * again. The UI masks only text it builds from the runbook itself (code and
 * prose with params filled in for display).
 */
describe("what the engine sent is shown exactly as it was sent", () => {
  it("check values, captures, failure messages, targets and output keep every character, also where the UI’s own masker would change them", async () => {
    const h = harness(BOOK, {
      columns: 120,
      rows: 40,
      params: { year: "2024" },
    });
    const s = stepOf(h.runbook, "write-the-config");
    await h.emit(runStart(h.runbook));
    await h.emit(
      ...stepEvents(s, {
        index: 1,
        total: 2,
        output: "set for 2024 (password ***)\n",
        targets: { 1: "postgres://app:***@db-2024:5432/app" },
        captures: { built: "release 2024.1" },
        // As the engine sends it: its recorder masked the secret (***) and left the rest alone.
        checks: [
          {
            kind: "pass",
            message: 'got "password = ***"',
            expected: "password = ***",
            actual: "password = ***",
            attempts: 1,
            durationMs: 2,
          },
        ],
      }),
    );
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "next")));
    await h.settle();
    const frame = h.frame();
    expect(frame).toContain("│ set for 2024 (password ***)");
    expect(frame).toContain('= built = "release 2024.1"');
    expect(frame).toContain("expected password = *** · actual password = ***");
    expect(frame).not.toContain("******");
    // The opened step shows the target and the check as the engine sent them.
    await h.press("\u001b[A", "\r");
    const opened = h.frame();
    expect(opened).toContain("→ postgres://app:***@db-2024:5432/app");
    expect(opened).toMatch(
      /expected: password = \*\*\*\n.*actual: {3}password = \*\*\*/,
    );
  });

  it("a failure message and a waiting check’s last value, as sent", async () => {
    const h = harness(
      md("# W", "", "## Wait", "", '::check{sh="cat lag" expect="0" wait=5m}'),
      { columns: 100, rows: 30 },
    );
    const s = stepOf(h.runbook, "wait");
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
      actual: "2024 bytes behind, token ***",
      message: 'expected "0", got "2024 bytes behind, token ***"',
      attempts: 7,
      elapsedMs: 12_000,
    });
    expect(h.frame()).toContain(
      "last got: 2024 bytes behind, token *** (try 7)",
    );
    await h.emit({
      type: "check-progress",
      stepId: s.id,
      index: 0,
      message: "connect ECONNREFUSED 127.0.0.1:5432",
      attempts: 8,
      elapsedMs: 14_000,
    });
    expect(h.frame()).toContain(
      "last try: connect ECONNREFUSED 127.0.0.1:5432 (try 8)",
    );
  });
});

describe("text the UI builds from the runbook itself", () => {
  it("shows a secret param as *** wherever the code, the file text or the values line would show it", async () => {
    const h = harness(BOOK, {
      columns: 120,
      rows: 40,
      params: { year: "hunter2024" },
    });
    await h.emit(runStart(h.runbook));
    quiet(h.interaction.confirmStep(stepOf(h.runbook, "write-the-config")));
    await h.settle();
    const frame = h.frame();
    expect(frame).toContain("password = ***");
    expect(frame).toMatch(/with {2}year=\*\*\*/);
    expect(frame).not.toContain("hunter2024");
  });
});

describe("a step the runbook changed during the run", () => {
  it("says so when its new text starts (the engine sends the old and new hashes), and shows the new text", async () => {
    const h = harness(
      md("# Fix", "", "## Load", "", "```sh", "echo old", "exit 3", "```"),
      { columns: 100, rows: 30 },
    );
    const s = stepOf(h.runbook, "load");
    await h.emit(
      runStart(h.runbook),
      ...stepEvents(s, {
        index: 1,
        total: 1,
        failAction: { index: 0, exitCode: 3, message: "exit status 3" },
      }),
    );
    // The operator fixed the runbook and pressed r: the engine read it again and hands the UI the new step.
    const fixed = harness(
      md("# Fix", "", "## Load", "", "```sh", 'echo "the new text"', "```"),
    ).runbook.steps[0]!;
    h.interaction.reread?.([fixed]);
    await h.emit({
      type: "step-start",
      stepId: "load",
      index: 1,
      total: 1,
      attempt: 2,
      log: logOf("load"),
      changed: { from: s.hash, to: fixed.hash },
    });
    const frame = h.frame();
    // Read across the pane's wrapped rows.
    const pane = frame.replace(/\n[^\n│]*│ +/g, " ");
    expect(pane).toContain(
      `✎ changed since the run started: running the step as the runbook says now (text ${s.hash.slice(0, 8)} → ${fixed.hash.slice(0, 8)})`,
    );
    expect(frame).toContain('echo "the new text"');
    expect(frame).not.toContain("exit 3");
  });
});
