import { describe, expect, it } from "vitest";
import type {
  ConfirmAction,
  ManualAction,
} from "../../../engine/model/index.js";
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

const BOOK = md(
  "---",
  "title: Cut over",
  "params:",
  "  app_db: { default: app_production }",
  "  admin_password: { secret: true }",
  "---",
  "# Cut over",
  "",
  "## Look",
  "",
  "```sh",
  "echo looking",
  "```",
  "",
  "## Stop traffic",
  "",
  '::confirm{prompt="Is all traffic stopped?"}',
  "",
  "```sh",
  "echo stopped",
  "```",
  "",
  "## Drop the old database",
  "",
  '::confirm{type="${app_db}"}',
  "",
  "```sh",
  "echo dropped",
  "```",
  "",
  "## Copy",
  "",
  "```sh",
  "echo copy",
  "```",
  "",
  "## Tell the on-call",
  "",
  ":::manual",
  "Post in the ops channel.",
  ":::",
  "",
  "## Drain then confirm",
  "",
  "```sh",
  "echo draining",
  "```",
  "",
  '::confirm{prompt="Are the connections at zero?"}',
  "",
  "## Secret gate",
  "",
  '::confirm{type="${admin_password}"}',
  "",
  "## Finish",
  "",
  "```sh {confirm}",
  "echo finish",
  "```",
);

function setup(
  options: { mode?: "live" | "rehearsal"; columns?: number } = {},
) {
  const h = harness(BOOK, {
    params: { app_db: "app_production", admin_password: "hunter2-secret" },
    columns: options.columns ?? 100,
    rows: 30,
  });
  const step = (id: string) => stepOf(h.runbook, id);
  return {
    h,
    step,
    start: () => h.emit(runStart(h.runbook, { mode: options.mode ?? "live" })),
  };
}

describe("one question per gated step", () => {
  it('a typed gate first in its step asks for its text instead of "Run step N?", and the engine’s gate takes that answer', async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("drop-the-old-database");
    const decision = h.interaction.confirmStep(s);
    await h.settle();
    let frame = h.frame();
    expect(frame).not.toContain("Run step");
    expect(frame).toContain('⚠ Type "app_production" to continue:');
    expect(frame).toContain(
      "Enter confirm and run the step  ·  Esc stop the run (resumable)",
    );
    await h.press("app_prod", KEYS.enter);
    expect(h.frame()).toContain('that is not "app_production"');
    await h.press("app_production");
    expect(h.frame()).toContain("› app_production█");
    await h.press(KEYS.enter);
    await expect(decision).resolves.toBe("run");
    // The engine starts the step and asks its gate: answered already, nothing is shown.
    await h.emit({
      type: "step-start",
      stepId: s.id,
      index: 3,
      total: 8,
      attempt: 1,
      log: logOf(s.id),
    });
    await expect(
      h.interaction.gate({
        step: s,
        kind: "typed",
        prompt: 'Type "app_production" to continue',
        typed: "app_production",
        action: s.actions[0] as ConfirmAction,
      }),
    ).resolves.toBe("yes");
    await h.settle();
    frame = h.frame();
    expect(frame).not.toContain("⚠ Type");
    expect(frame).toContain("✓ confirmed");
  });

  it("a yes/no gate first in its step asks its own question instead; n stops at the gate (journaled by the engine), s skips the step", async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("stop-traffic");
    let decision = h.interaction.confirmStep(s);
    await h.settle();
    expect(h.frame()).not.toContain("Run step");
    expect(h.frame()).toContain("⚠ Is all traffic stopped?");
    expect(h.frame()).toContain(
      "y yes, run the step  ·  c yes, and continue  ·  n no, stop the run  ·  s skip the step",
    );
    await h.press("y");
    await expect(decision).resolves.toBe("run");
    await expect(
      h.interaction.gate({
        step: s,
        kind: "confirm",
        prompt: "Is all traffic stopped?",
        action: s.actions[0] as ConfirmAction,
      }),
    ).resolves.toBe("yes");

    decision = h.interaction.confirmStep(s);
    await h.press("n");
    await expect(decision).resolves.toBe("run");
    await expect(
      h.interaction.gate({
        step: s,
        kind: "confirm",
        prompt: "Is all traffic stopped?",
        action: s.actions[0] as ConfirmAction,
      }),
    ).resolves.toBe("no");

    decision = h.interaction.confirmStep(s);
    await h.press("s");
    await expect(decision).resolves.toBe("skip");
  });

  it('a manual step asks "done?" once', async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("tell-the-on-call");
    const decision = h.interaction.confirmStep(s);
    await h.settle();
    expect(h.frame()).not.toContain("Run step");
    expect(h.frame()).toContain(
      "✋ Manual step: do what it says above by hand, then press d.",
    );
    expect(h.frame()).toContain("✋ Post in the ops channel.");
    await h.press("d");
    await expect(decision).resolves.toBe("run");
    await expect(
      h.interaction.manual(s, s.actions[0] as ManualAction),
    ).resolves.toBe("done");
  });

  it('a confirm block first in its step asks "Run this block?" once', async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("finish");
    const decision = h.interaction.confirmStep(s);
    await h.settle();
    expect(h.frame()).toContain("⚠ Run this sh block? It is marked confirm.");
    expect(h.frame()).not.toContain("Run step");
    await h.press("y");
    await expect(decision).resolves.toBe("run");
    await h.emit({
      type: "step-start",
      stepId: s.id,
      index: 8,
      total: 8,
      attempt: 1,
      log: logOf(s.id),
    });
    await expect(
      h.interaction.gate({
        step: s,
        kind: "block",
        prompt: "Run this sh block?",
        code: "echo finish",
      }),
    ).resolves.toBe("yes");
  });

  it("a gate after code is asked when the step reaches it: it confirms what that code did", async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("drain-then-confirm");
    const decision = h.interaction.confirmStep(s);
    await h.settle();
    expect(h.frame()).toContain('? Run step 6 of 8, "Drain then confirm"?');
    await h.press("y");
    await expect(decision).resolves.toBe("run");
    const gate = h.interaction.gate({
      step: s,
      kind: "confirm",
      prompt: "Are the connections at zero?",
      action: s.actions[1] as ConfirmAction,
    });
    await h.settle();
    expect(h.frame()).toContain("⚠ Are the connections at zero?");
    await h.press("y");
    await expect(gate).resolves.toBe("yes");
  });

  it("a typed gate whose text is a secret is asked by the engine (the UI never holds it to compare)", async () => {
    const { h, step, start } = setup();
    await start();
    const s = step("secret-gate");
    const decision = h.interaction.confirmStep(s);
    await h.settle();
    expect(h.frame()).toContain('? Run step 7 of 8, "Secret gate"?');
    expect(h.frame()).not.toContain("hunter2");
    await h.press("y");
    await expect(decision).resolves.toBe("run");
  });
});

describe("c: continue without asking", () => {
  it("runs this and the following ordinary steps without asking; gates, manual steps and confirm blocks still ask; it goes on after a gate", async () => {
    const { h, step, start } = setup();
    await start();
    const look = h.interaction.confirmStep(step("look"));
    await h.press("c");
    await expect(look).resolves.toBe("run");
    await h.emit(...stepEvents(step("look"), { index: 1, total: 8 }));
    expect(h.frame()).toContain("▶▶ continuing (p pauses)");

    // A gated step still asks (its gate).
    const stop = h.interaction.confirmStep(step("stop-traffic"));
    await h.settle();
    expect(h.frame()).toContain("⚠ Is all traffic stopped?");
    await h.press("y");
    await expect(stop).resolves.toBe("run");
    await expect(
      h.interaction.gate({
        step: step("stop-traffic"),
        kind: "confirm",
        prompt: "Is all traffic stopped?",
        action: step("stop-traffic").actions[0] as ConfirmAction,
      }),
    ).resolves.toBe("yes");

    // After the gate, ordinary steps go on without a question.
    await expect(h.interaction.confirmStep(step("copy"))).resolves.toBe("run");
    // A manual step asks.
    const manual = h.interaction.confirmStep(step("tell-the-on-call"));
    await h.settle();
    expect(h.frame()).toContain("✋ Manual step");
    await h.press("d");
    await expect(manual).resolves.toBe("run");
    // A gate after code asks when it is reached.
    await expect(
      h.interaction.confirmStep(step("drain-then-confirm")),
    ).resolves.toBe("run");
    const gate = h.interaction.gate({
      step: step("drain-then-confirm"),
      kind: "confirm",
      prompt: "Are the connections at zero?",
      action: step("drain-then-confirm").actions[1] as ConfirmAction,
    });
    await h.settle();
    expect(h.frame()).toContain("⚠ Are the connections at zero?");
    await h.press("y");
    await expect(gate).resolves.toBe("yes");
    // A confirm block asks.
    const finish = h.interaction.confirmStep(step("finish"));
    await h.settle();
    expect(h.frame()).toContain("⚠ Run this sh block? It is marked confirm.");
    await h.press("y");
    await expect(finish).resolves.toBe("run");
  });

  it("c at a gate answers yes and continues", async () => {
    const { h, step, start } = setup();
    await start();
    const stop = h.interaction.confirmStep(step("stop-traffic"));
    await h.press("c");
    await expect(stop).resolves.toBe("run");
    await expect(
      h.interaction.gate({
        step: step("stop-traffic"),
        kind: "confirm",
        prompt: "Is all traffic stopped?",
        action: step("stop-traffic").actions[0] as ConfirmAction,
      }),
    ).resolves.toBe("yes");
    await expect(h.interaction.confirmStep(step("copy"))).resolves.toBe("run");
  });

  it("p pauses while a step runs; a failure ends it too", async () => {
    const { h, step, start } = setup();
    await start();
    const look = h.interaction.confirmStep(step("look"));
    await h.press("c");
    await look;
    await h.emit({
      type: "step-start",
      stepId: "look",
      index: 1,
      total: 8,
      attempt: 1,
      log: logOf("look"),
    });
    expect(h.frame()).toContain("p pause after this step");
    await h.press("p");
    expect(h.frame()).not.toContain("continuing");
    let asked = false;
    quiet(h.interaction.confirmStep(step("copy")).then(() => (asked = true)));
    await h.settle();
    expect(asked).toBe(false);
    expect(h.frame()).toContain('? Run step 4 of 8, "Copy"?');
    await h.press("c");
    await h.emit(
      ...stepEvents(step("copy"), {
        index: 4,
        total: 8,
        failAction: { index: 0, exitCode: 1, message: "exit status 1" },
      }),
    );
    const failed = h.interaction.failed(
      step("copy"),
      "sh block at line 1: exit status 1",
      false,
    );
    await h.press("r");
    await expect(failed).resolves.toBe("retry");
    let again = false;
    quiet(
      h.interaction
        .confirmStep(step("tell-the-on-call"))
        .then(() => (again = true)),
    );
    await h.settle();
    expect(again).toBe(false);
  });
});

describe("a key bar that promises only what the run can do", () => {
  it("in a live run q quits resumably", async () => {
    const { h, step, start } = setup();
    await start();
    quiet(h.interaction.confirmStep(step("look")));
    await h.settle();
    expect(h.frame()).toContain("q quit (resumable)");
  });

  it("under --sandbox nothing says resumable: the clusters are removed when the run ends", async () => {
    const { h, step, start } = setup({ mode: "rehearsal", columns: 80 });
    await start();
    quiet(h.interaction.confirmStep(step("look")));
    await h.settle();
    expect(h.frame()).toContain(
      "q quit (not resumable: the sandbox is removed)",
    );
    expect(h.frame()).not.toContain("resumable)");
    quiet(h.interaction.confirmStep(step("drop-the-old-database")));
    await h.settle();
    expect(h.frame()).toContain(
      "Esc stop the run (not resumable: the sandbox is removed)",
    );
    quiet(h.interaction.failed(step("look"), "boom", false));
    await h.settle();
    expect(h.frame()).toContain(
      "q quit (not resumable: the sandbox is removed)",
    );
    await h.press("?");
    expect(h.frame()).toContain(
      "quit; not resumable: the sandbox is removed when the run ends",
    );
    expect(h.frame()).not.toContain("runbook resume");
  });

  it("Ctrl-C while a step stops says whether a quit can be resumed", async () => {
    const live = setup();
    await live.start();
    await live.h.emit({
      type: "step-start",
      stepId: "look",
      index: 1,
      total: 8,
      attempt: 1,
      log: logOf("look"),
    });
    await live.h.press(KEYS.ctrlC);
    expect(live.h.frame()).toContain("Ctrl-C again: quit the run (resumable)");
    const sandbox = setup({ mode: "rehearsal" });
    await sandbox.start();
    await sandbox.h.emit({
      type: "step-start",
      stepId: "look",
      index: 1,
      total: 8,
      attempt: 1,
      log: logOf("look"),
    });
    await sandbox.h.press(KEYS.ctrlC);
    expect(sandbox.h.frame()).toContain(
      "Ctrl-C again: quit the run (not resumable: the sandbox is removed)",
    );
  });
});
