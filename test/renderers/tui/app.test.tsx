import { describe, expect, it } from "vitest";
import type {
  ConfirmAction,
  ManualAction,
} from "../../../engine/model/index.js";
import { RunbookError } from "../../../engine/model/index.js";
import { harness, KEYS, md, runStart, logOf } from "./helpers.js";

/** A question the test leaves unanswered: a later one replaces it, and its promise rejects by design. */
const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);

const NIGHT = md(
  "---",
  "title: Night shift",
  "params:",
  '  primary_ip: { description: Private IP of the new primary, pattern: "^[0-9.]+$" }',
  "  app_token: { description: API token }",
  "---",
  "# Night shift",
  "",
  "Context for the first step.",
  "",
  "## Say hello",
  "",
  "Prints a greeting with `echo`.",
  "",
  "```sh",
  'echo "hello $primary_ip"',
  "```",
  "",
  "## Stop traffic",
  "",
  '::confirm{prompt="Is all traffic stopped?"}',
  "",
  "## Drop staging",
  "",
  '::confirm{type="app_production"}',
  "",
  "```sh {confirm}",
  "echo dropped",
  "```",
  "",
  "## Tell the on-call",
  "",
  ":::manual",
  "Post in the ops channel.",
  ":::",
  "",
  "## Verify",
  "",
  '::check{sh="echo 3" expect="2"}',
  "",
  ":::check",
  "```sh",
  'printf "paid\\nshipped\\n"',
  "```",
  "",
  "| output  |",
  "| ------- |",
  "| paid    |",
  "| pending |",
  ":::",
);

function step(h: ReturnType<typeof harness>, id: string) {
  const s = h.runbook.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

describe("the terminal UI: before the run", () => {
  it("says it is preparing, with the steps listed as pending", async () => {
    const h = harness(NIGHT);
    await h.settle();
    expect(h.frame()).toContain("preparing the run…");
    expect(h.frame()).toContain("○ Say hello");
    expect(h.frame()).toContain("Ctrl-C quit");
  });

  it("shows a status line (starting clusters) before the run starts", async () => {
    const h = harness(NIGHT);
    h.reporter.onNotice({
      type: "notice",
      level: "info",
      message: "starting throwaway PostgreSQL clusters…",
    });
    await h.settle();
    expect(h.frame()).toContain("starting throwaway PostgreSQL clusters…");
  });
});

describe("param prompts", () => {
  it("validates the pattern as the operator types, refuses a bad value, takes a good one", async () => {
    const h = harness(NIGHT);
    const answer = h.interaction.askParam(h.runbook.params[0]!);
    await h.press("1", "0", ".", "x");
    expect(h.frame()).toContain(
      "? Param 1 of 2: primary_ip — Private IP of the new primary",
    );
    expect(h.frame()).toContain("› 10.x█  ✗ does not match ^[0-9.]+$");
    await h.press(KEYS.enter);
    expect(h.frame()).toMatch(/does not match/);
    await h.press(KEYS.backspace);
    expect(h.frame()).toContain("› 10.█  ✓ matches");
    await h.press("5", KEYS.enter);
    await expect(answer).resolves.toBe("10.5");
  });

  it("masks a secret as it is typed and never shows it afterwards", async () => {
    const h = harness(NIGHT);
    const answer = h.interaction.askParam(h.runbook.params[1]!);
    await h.press(..."s3cr3t-v4lue".split(""));
    expect(h.frame()).toContain("(secret: not shown)");
    expect(h.frame()).toContain("› ••••••••••••█");
    expect(h.frame()).not.toContain("s3cr3t");
    await h.press(KEYS.enter);
    await expect(answer).resolves.toBe("s3cr3t-v4lue");
    await h.emit(runStart(h.runbook));
    quiet(h.interaction.confirmStep(step(h, "say-hello")));
    await h.settle();
    expect(h.frame()).not.toContain("s3cr3t");
  });

  it("refuses an empty value; Ctrl-U clears the line", async () => {
    const h = harness(NIGHT);
    const answer = h.interaction.askParam(h.runbook.params[1]!);
    await h.press(KEYS.enter);
    expect(h.frame()).toContain("a value is needed");
    await h.press("a", "b", KEYS.ctrlU, "c", "d", "e", KEYS.enter);
    await expect(answer).resolves.toBe("cde");
  });

  it("Esc stops the run, Ctrl-C interrupts it", async () => {
    const h = harness(NIGHT);
    const first = h.interaction.askParam(h.runbook.params[0]!);
    const firstError = first.catch((e: unknown) => e);
    await h.press(KEYS.escape);
    const stopped = await firstError;
    expect(stopped).toBeInstanceOf(RunbookError);
    expect((stopped as RunbookError).code).toBe("STOPPED");
    const second = h.interaction
      .askParam(h.runbook.params[0]!)
      .catch((e: unknown) => e);
    await h.press(KEYS.ctrlC);
    expect(((await second) as RunbookError).code).toBe("INTERRUPTED");
  });
});

describe("confirming a step", () => {
  it("shows the step: prose, highlighted code with params resolved, and the keys", async () => {
    const h = harness(NIGHT, { params: { primary_ip: "10.0.0.5" } });
    await h.emit(runStart(h.runbook));
    quiet(h.interaction.confirmStep(step(h, "say-hello")));
    await h.settle();
    expect(h.frame()).toMatchInlineSnapshot(`
      "runbook Night shift                         live · run 20250101-000000-0001 · 0s
      ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ 0/5 steps
      ›○ Say hello            │ Step 1 of 5 · Say hello  say-hello           ○ pending
       ○ Stop traffic         │ Night shift
       ○ Drop staging         │
       ○ Tell the on-call     │ Context for the first step.
       ○ Verify               │
                              │ Prints a greeting with \`echo\`.
                              │ sh
                              │ │ echo "hello $primary_ip"
                              │   with  primary_ip=10.0.0.5
                              │
                              │
                              │
                              │
                              │
                              │
                              │
                              │
                              │
      ? Run step 1 of 5, "Say hello"?
      y/Enter run  ·  c continue  ·  s skip  ·  q quit (resumable)  ·  ? help
      ↑↓ steps  ·  o open"
    `);
  });

  it.each([
    ["y", "run"],
    ["Y", "run"],
    [KEYS.enter, "run"],
    ["s", "skip"],
    ["q", "quit"],
    [KEYS.ctrlC, "quit"],
  ])("key %j answers %s", async (key, answer) => {
    const h = harness(NIGHT);
    await h.emit(runStart(h.runbook));
    const decision = h.interaction.confirmStep(step(h, "say-hello"));
    await h.press(key);
    await expect(decision).resolves.toBe(answer);
  });

  it("says which keys work when another key is pressed, and does nothing", async () => {
    const h = harness(NIGHT);
    await h.emit(runStart(h.runbook));
    let settled = false;
    quiet(
      h.interaction
        .confirmStep(step(h, "say-hello"))
        .then(() => (settled = true)),
    );
    await h.press("x");
    expect(h.frame()).toContain(
      '"x" does nothing here: press y, Enter, c, s, q, or ? for help',
    );
    expect(settled).toBe(false);
  });

  it("ignores a key pressed right after the question appeared (a double Enter)", async () => {
    const h = harness(NIGHT, { guardMs: 150 });
    await h.emit(runStart(h.runbook));
    let answer: string | undefined;
    quiet(
      h.interaction.confirmStep(step(h, "say-hello")).then((a) => (answer = a)),
    );
    await h.press(KEYS.enter);
    expect(answer).toBeUndefined();
    await h.advance(200);
    await h.press(KEYS.enter);
    expect(answer).toBe("run");
  });

  it("? shows the help and hides it again; Esc also closes it", async () => {
    const h = harness(NIGHT);
    await h.emit(runStart(h.runbook));
    quiet(h.interaction.confirmStep(step(h, "say-hello")));
    await h.press("?");
    expect(h.frame()).toContain(
      "Keys  (the ones shown at the bottom work now)",
    );
    expect(h.frame()).toContain("Ctrl-C");
    expect(h.frame()).toContain("✘ failed");
    await h.press("?");
    expect(h.frame()).not.toContain("Keys  (the ones");
    await h.press("?", KEYS.escape);
    expect(h.frame()).not.toContain("Keys  (the ones");
  });
});

describe("a running step", () => {
  it("shows a spinner, the elapsed time, the action target and the last lines of output", async () => {
    const h = harness(NIGHT);
    const s = step(h, "say-hello");
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: s.id,
        index: 1,
        total: 5,
        attempt: 1,
        log: logOf(s.id),
      },
      {
        type: "action-start",
        stepId: s.id,
        index: 0,
        kind: "sh",
        code: s.actions[0]!.kind,
        target: "root@10.0.0.5",
        attempt: 1,
      },
    );
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join(
      "\n",
    );
    await h.emit(
      { type: "output", stepId: s.id, stream: "stdout", text: `${lines}\n` },
      {
        type: "output",
        stepId: s.id,
        stream: "stderr",
        text: "warning: on stderr\n",
      },
    );
    await h.advance(3200);
    const frame = h.frame();
    expect(frame).toMatch(/running 3s/);
    expect(frame).toContain("→ root@10.0.0.5");
    expect(frame).toContain("── output · 301 lines · 2.6 kB ──");
    expect(frame).toContain("⋮ 288 earlier lines");
    expect(frame).toContain("│ line 300");
    expect(frame).toContain("┆ warning: on stderr");
    expect(frame).not.toContain("│ line 1\n");
    expect(frame).toContain(
      '▶ Running "Say hello" · full output: .runbook/runs/20…0001/output/say-hello.log',
    );
    expect(frame).toContain("Ctrl-C stop this step");
    expect(frame.split("\n").length).toBeLessThanOrEqual(23);
  });

  it("draws what a step printed without letting it move the cursor or recolour the screen", async () => {
    const h = harness(NIGHT);
    const s = step(h, "say-hello");
    await h.emit(runStart(h.runbook), {
      type: "step-start",
      stepId: s.id,
      index: 1,
      total: 5,
      attempt: 1,
      log: logOf(s.id),
    });
    await h.emit({
      type: "output",
      stepId: s.id,
      stream: "stdout",
      text: "\u001b[31mred\u001b[0m \u001b[2J\u001b[Hcleared?\n10%\r50%\r100%\ttab\n",
    });
    const frame = h.frame();
    expect(frame).toContain("│ red cleared?");
    expect(frame).toContain("│ 100%    tab");
    expect(frame).not.toContain("\u001b[2J");
  });

  it("Ctrl-C stops the step through the interrupter, a second Ctrl-C quits", async () => {
    const h = harness(NIGHT);
    const s = step(h, "say-hello");
    await h.emit(runStart(h.runbook), {
      type: "step-start",
      stepId: s.id,
      index: 1,
      total: 5,
      attempt: 1,
      log: logOf(s.id),
    });
    await h.press(KEYS.ctrlC);
    expect(h.interrupter.interrupted).toBe(true);
    expect(h.interrupter.quitSignal.aborted).toBe(false);
    expect(h.frame()).toContain(
      "■ Stopping the step (its whole process group)…",
    );
    expect(h.frame()).toContain("Ctrl-C again: quit the run (resumable)");
    await h.press(KEYS.ctrlC);
    expect(h.interrupter.quitSignal.aborted).toBe(true);
  });
});

describe("after a failure", () => {
  async function failed(interrupted: boolean) {
    const h = harness(NIGHT);
    const s = step(h, "say-hello");
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: s.id,
        index: 1,
        total: 5,
        attempt: 1,
        log: logOf(s.id),
      },
      {
        type: "action-start",
        stepId: s.id,
        index: 0,
        kind: "sh",
        code: "",
        attempt: 1,
      },
      {
        type: "output",
        stepId: s.id,
        stream: "stderr",
        text: "sh: 1: nope: not found\n",
      },
      {
        type: "action-end",
        stepId: s.id,
        index: 0,
        kind: "sh",
        durationMs: 12,
        outcome: { kind: "failed", exitCode: 127, message: "exit status 127" },
      },
      {
        type: "step-end",
        stepId: s.id,
        state: "failed",
        durationMs: 15,
        message: "sh block at line 15: exit status 127",
      },
    );
    const decision = h.interaction.failed(
      s,
      "sh block at line 15: exit status 127",
      interrupted,
    );
    await h.settle();
    return { h, decision };
  }

  it("keeps the output and the failing action on screen and offers retry, skip, quit", async () => {
    const { h } = await failed(false);
    const frame = h.frame();
    expect(frame).toContain("✘ Say hello");
    expect(frame).toContain("✗ exit 127");
    expect(frame).toContain("┆ sh: 1: nope: not found");
    expect(frame).toContain(
      "✘ Step failed: sh block at line 15: exit status 127",
    );
    expect(frame).toContain(
      "r retry  ·  s skip  ·  q quit (resumable)  ·  ? help",
    );
    expect(frame).toContain("0/5 steps, 1 failed");
  });

  it.each([
    ["r", "retry"],
    ["s", "skip"],
    ["q", "quit"],
    [KEYS.ctrlC, "quit"],
  ])("key %j answers %s", async (key, answer) => {
    const { h, decision } = await failed(false);
    await h.press(key);
    await expect(decision).resolves.toBe(answer);
  });

  it("Enter does not retry by accident", async () => {
    const { h, decision } = await failed(false);
    let settled = false;
    void decision.then(() => (settled = true));
    await h.press(KEYS.enter);
    expect(settled).toBe(false);
  });

  it("says when the step was stopped with Ctrl-C", async () => {
    const { h } = await failed(true);
    expect(h.frame()).toContain("■ Stopped with Ctrl-C.");
  });

  it("a retry starts a new attempt with a clean output pane", async () => {
    const { h, decision } = await failed(false);
    const s = step(h, "say-hello");
    await h.press("r");
    await decision;
    await h.emit({
      type: "step-start",
      stepId: s.id,
      index: 1,
      total: 5,
      attempt: 2,
      log: logOf(s.id),
    });
    expect(h.frame()).toContain("attempt 2");
    expect(h.frame()).not.toContain("nope: not found");
  });
});

describe("gates", () => {
  it("a yes/no gate asks its own question: y goes on, n and q stop", async () => {
    for (const [key, answer] of [
      ["y", "yes"],
      ["n", "no"],
      ["q", "quit"],
    ] as const) {
      const h = harness(NIGHT);
      const s = step(h, "stop-traffic");
      await h.emit(runStart(h.runbook));
      const gate = h.interaction.gate({
        step: s,
        kind: "confirm",
        prompt: "Is all traffic stopped?",
        action: s.actions[0] as ConfirmAction,
      });
      await h.settle();
      expect(h.frame()).toContain("⚠ Is all traffic stopped?");
      expect(h.frame()).toContain(
        "y yes, go on  ·  c yes, and continue  ·  n no, stop the run",
      );
      await h.press(KEYS.enter);
      await h.press(key);
      await expect(gate).resolves.toBe(answer);
      if (answer === "yes") expect(h.frame()).toContain("✓ confirmed");
    }
  });

  it("a typed gate wants its text, then Enter; a wrong text is refused", async () => {
    const h = harness(NIGHT);
    const s = step(h, "drop-staging");
    await h.emit(runStart(h.runbook));
    const gate = h.interaction.gate({
      step: s,
      kind: "typed",
      prompt: 'Type "app_production" to continue',
      typed: "app_production",
      action: s.actions[0] as ConfirmAction,
    });
    await h.press("y");
    expect(h.frame()).toContain('⚠ Type "app_production" to continue:');
    expect(h.frame()).toContain("› y█  ✗ does not match");
    await h.press(KEYS.enter);
    expect(h.frame()).toContain(
      'that is not "app_production": type it exactly, then Enter (Esc stops the run)',
    );
    await h.press("app_production");
    expect(h.frame()).toContain("› app_production█");
    await h.press(KEYS.enter);
    await expect(gate).resolves.toBe("yes");
  });

  it("a typed gate is left with Esc or Ctrl-C (the run stops, resumable)", async () => {
    for (const key of [KEYS.escape, KEYS.ctrlC]) {
      const h = harness(NIGHT);
      const s = step(h, "drop-staging");
      const gate = h.interaction.gate({
        step: s,
        kind: "typed",
        prompt: 'Type "app_production" to continue',
        typed: "app_production",
        action: s.actions[0] as ConfirmAction,
      });
      await h.press("a", key);
      await expect(gate).resolves.toBe("quit");
    }
  });

  it("a confirm block shows its code and asks before it runs", async () => {
    const h = harness(NIGHT);
    const s = step(h, "drop-staging");
    await h.emit(runStart(h.runbook));
    const gate = h.interaction.gate({
      step: s,
      kind: "block",
      prompt: "Run this sh block?",
      code: "echo dropped",
    });
    await h.settle();
    expect(h.frame()).toContain("│ echo dropped");
    expect(h.frame()).toContain("⚠ Run this block? It is marked confirm.");
    await h.press("y");
    await expect(gate).resolves.toBe("yes");
  });

  it("a manual step says what to do and waits for d", async () => {
    for (const [key, answer] of [
      ["d", "done"],
      ["s", "skip"],
      ["q", "quit"],
    ] as const) {
      const h = harness(NIGHT);
      const s = step(h, "tell-the-on-call");
      await h.emit(runStart(h.runbook));
      const manual = h.interaction.manual(s, s.actions[0] as ManualAction);
      await h.settle();
      expect(h.frame()).toContain("✋ Post in the ops channel.");
      expect(h.frame()).toContain(
        "✋ Manual step: do what it says above by hand, then press d.",
      );
      await h.press(KEYS.enter);
      await h.press(key);
      await expect(manual).resolves.toBe(answer);
    }
  });
});

describe("checks", () => {
  it("show expected and actual values, and a table expectation as a diff of rows", async () => {
    const h = harness(NIGHT);
    const s = step(h, "verify");
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: s.id,
        index: 5,
        total: 5,
        attempt: 1,
        log: logOf(s.id),
      },
      {
        type: "check-start",
        stepId: s.id,
        index: 0,
        kind: "sh",
        code: "echo 3",
      },
      {
        type: "check-end",
        stepId: s.id,
        index: 0,
        kind: "sh",
        line: 41,
        outcome: {
          kind: "mismatch",
          message: 'expected "2", got "3"',
          expected: "2",
          actual: "3",
          attempts: 1,
          durationMs: 4,
        },
      },
      { type: "check-start", stepId: s.id, index: 1, kind: "sh", code: "" },
      {
        type: "check-end",
        stepId: s.id,
        index: 1,
        kind: "sh",
        line: 43,
        outcome: {
          kind: "table-mismatch",
          message: "missing 1 row: pending; unexpected 1 row: shipped",
          table: {
            columns: ["output"],
            expected: [["paid"], ["pending"]],
            actual: [["paid"], ["shipped"]],
          },
          attempts: 3,
          durationMs: 4,
        },
      },
      {
        type: "step-end",
        stepId: s.id,
        state: "failed",
        durationMs: 9,
        message: "check at line 41 failed",
      },
    );
    const frame = h.frame();
    expect(frame).toContain("◇ check 1 · sh · expect=2");
    expect(frame).toContain('✗ expected "2", got "3"');
    expect(frame).toContain("expected: 2");
    expect(frame).toContain("actual:   3");
    expect(frame).toContain("(after 3 tries)");
    expect(frame).toMatch(/= paid\n/);
    expect(frame).toMatch(/- pending\s+missing \(expected\)/);
    expect(frame).toMatch(/\+ shipped\s+unexpected \(actual\)/);
  });

  it("a passing check says what it got; a waiting check shows its clock", async () => {
    const h = harness(NIGHT);
    const s = step(h, "verify");
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: s.id,
        index: 5,
        total: 5,
        attempt: 1,
        log: logOf(s.id),
      },
      {
        type: "check-start",
        stepId: s.id,
        index: 0,
        kind: "sh",
        code: "",
        waitMs: 300_000,
      },
    );
    await h.advance(7000);
    expect(h.frame()).toContain("waiting up to 5m, 7s");
    await h.emit({
      type: "check-end",
      stepId: s.id,
      index: 0,
      kind: "sh",
      line: 41,
      outcome: {
        kind: "pass",
        message: 'got "2"',
        actual: "2",
        expected: "2",
        attempts: 1,
        durationMs: 4,
      },
    });
    expect(h.frame()).toContain('✓ got "2"');
    expect(h.frame()).toContain("✓ passed");
  });
});

describe("resume", () => {
  it("asks what to do with a step in an unknown state: re-run, mark done, abort", async () => {
    for (const [key, answer] of [
      ["r", "rerun"],
      ["d", "done"],
      ["a", "abort"],
      [KEYS.ctrlC, "abort"],
    ] as const) {
      const h = harness(NIGHT);
      const steps = runStart(h.runbook);
      await h.emit({
        ...steps,
        resumed: true,
        steps: steps.steps.map((x, i) => ({
          ...x,
          state:
            i === 0
              ? ("done" as const)
              : i === 1
                ? ("unknown" as const)
                : x.state,
        })),
      });
      const decision = h.interaction.unknownState(step(h, "stop-traffic"), {
        log: logOf("stop-traffic"),
      });
      await h.settle();
      expect(h.frame()).toContain("✔ Say hello");
      expect(h.frame()).toContain("? Stop traffic");
      expect(h.frame()).toContain(
        "was started but never finished: its outcome is unknown",
      );
      expect(h.frame()).toContain("r re-run it  ·  d mark it done  ·  a abort");
      await h.press(key);
      await expect(decision).resolves.toBe(answer);
    }
  });

  it("asks before going on when completed steps changed", async () => {
    const h = harness(NIGHT);
    const yes = h.interaction.changedSteps([step(h, "say-hello")]);
    await h.press("y");
    await expect(yes).resolves.toBe(true);
    const no = h.interaction.changedSteps([step(h, "say-hello")]);
    await h.settle();
    expect(h.frame()).toContain(
      "1 completed step changed since the run started (say-hello)",
    );
    await h.press("n");
    await expect(no).resolves.toBe(false);
  });
});

describe("interactive blocks", () => {
  it("the UI steps aside while the block has the terminal and comes back afterwards", async () => {
    const h = harness(NIGHT);
    await h.emit(runStart(h.runbook));
    await h.interaction.beforeInteractive?.();
    await h.settle();
    expect(h.frame()).toBe(
      "▶ an interactive block has the terminal; the UI comes back when it exits",
    );
    await h.press("q");
    await h.interaction.afterInteractive?.();
    await h.settle();
    expect(h.frame()).toContain("Night shift");
  });
});

describe("the end of the run", () => {
  it("leaves a summary with every step, the time and how to continue", async () => {
    const h = harness(NIGHT);
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: "say-hello",
        index: 1,
        total: 5,
        attempt: 1,
        log: logOf("say-hello"),
      },
      {
        type: "step-end",
        stepId: "say-hello",
        state: "done",
        durationMs: 1234,
      },
      {
        type: "step-end",
        stepId: "stop-traffic",
        state: "skipped",
        durationMs: 0,
        message: "skipped by the operator",
      },
      {
        type: "step-start",
        stepId: "drop-staging",
        index: 3,
        total: 5,
        attempt: 1,
        log: logOf("drop-staging"),
      },
      {
        type: "step-end",
        stepId: "drop-staging",
        state: "failed",
        durationMs: 50,
        message: "stopped by the operator (line 30)",
      },
      {
        type: "run-end",
        unproven: [],
        status: "stopped",
        exitCode: 1,
        durationMs: 65_000,
        message: "stopped by the operator (line 30)",
        resumeHint: "runbook resume 20250101-000000-0001",
      },
    );
    expect(h.frame()).toMatchInlineSnapshot(`
      "✘ Night shift  stopped
        stopped by the operator (line 30) · 2 of 5 steps finished · 1m5s

      Checks  2 not run

      Skipped
        ↷ Stop traffic — by choice, before it ran

      Steps
        ✔ Say hello          1.2s
        ↷ Stop traffic       skipped
        ✘ Drop staging       50ms        stopped by the operator (line 30)
        ○ Tell the on-call   pending
        ○ Verify             pending
        journal: .runbook/runs/20250101-000000-0001/journal.jsonl
        to continue: runbook resume 20250101-000000-0001
      "
    `);
  });

  it("ignores keys once the run has ended", async () => {
    const h = harness(NIGHT);
    await h.emit(runStart(h.runbook), {
      type: "run-end",
      unproven: [],
      status: "done",
      exitCode: 0,
      durationMs: 10,
      message: "all 5 steps done",
    });
    await h.press(KEYS.ctrlC);
    expect(h.interrupter.quitSignal.aborted).toBe(false);
    expect(h.frame()).toContain("✔ Night shift  done");
  });
});
