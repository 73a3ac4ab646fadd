import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../engine/run/index.js";
import { PlainReporter } from "../../../renderers/plain/plain-reporter.js";
import { promptInteraction } from "../../../renderers/plain/prompt-interaction.js";
import { createStyle } from "../../../renderers/style.js";
import { parse } from "../../helpers/parse.js";
import { tempDir } from "../../helpers/temp.js";

function reporter(progressEveryMs?: number): {
  r: PlainReporter;
  text: () => string;
} {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString("utf8")));
  return {
    r: new PlainReporter(
      out,
      createStyle(false),
      progressEveryMs === undefined ? {} : { progressEveryMs },
    ),
    text: () => text,
  };
}

const progress = (
  attempts: number,
  actual: string | undefined,
  message: string,
): Extract<RunEvent, { type: "check-progress" }> => ({
  type: "check-progress",
  stepId: "wait",
  index: 0,
  attempts,
  ...(actual !== undefined ? { actual } : {}),
  message,
  elapsedMs: attempts * 1000,
});

describe("the plain reporter", () => {
  it("prints a waiting check’s last value when it changes, and the same value again only after a while", () => {
    const { r, text } = reporter(60_000);
    r.onCheckProgress(progress(1, "42", 'expected "0", got "42"'));
    r.onCheckProgress(progress(2, "42", 'expected "0", got "42"'));
    r.onCheckProgress(progress(3, "17", 'expected "0", got "17"'));
    r.onCheckProgress(
      progress(4, undefined, "connect ECONNREFUSED 127.0.0.1:5432"),
    );
    expect(text()).toBe(
      [
        '  … check 1 waiting: last got "42" (try 1, 1s)',
        '  … check 1 waiting: last got "17" (try 3, 3s)',
        "  … check 1 waiting: last try: connect ECONNREFUSED 127.0.0.1:5432 (try 4, 4s)",
        "",
      ].join("\n"),
    );
  });

  it("repeats an unchanged value once the interval has passed (0: every time)", () => {
    const { r, text } = reporter(0);
    r.onCheckProgress(progress(1, "42", "x"));
    r.onCheckProgress(progress(2, "42", "x"));
    expect(text().split("\n").filter(Boolean)).toHaveLength(2);
  });

  it("shows what a passing check expected and got, like a failing one", () => {
    const { r, text } = reporter();
    r.onCheckEnd({
      type: "check-end",
      stepId: "wait",
      index: 0,
      kind: "sh",
      line: 3,
      outcome: {
        kind: "pass",
        message: 'got "3"',
        expected: "3",
        actual: "3",
        attempts: 4,
        durationMs: 5,
      },
    });
    r.onCheckEnd({
      type: "check-end",
      stepId: "wait",
      index: 1,
      kind: "sh",
      line: 4,
      outcome: {
        kind: "mismatch",
        message: 'expected "3", got "2"',
        expected: "3",
        actual: "2",
        attempts: 1,
        durationMs: 5,
      },
    });
    expect(text()).toBe(
      '  ✓ check 1: got "3" (expected 3 · actual 3) after 4 tries\n  ✗ check 2: expected "3", got "2" (expected 3 · actual 2)\n',
    );
  });

  it("says when a step runs a text that changed since the run started", () => {
    const { r, text } = reporter();
    r.onStepStart({
      type: "step-start",
      stepId: "load",
      index: 1,
      total: 2,
      attempt: 2,
      log: "/x/load.log",
      changed: { from: "0123456789abcdef", to: "fedcba9876543210" },
    });
    expect(text()).toContain(
      "▶ [1/2] load  load, attempt 2\n  ✎ changed since the run started: running the step as the runbook says now (text 01234567 → fedcba98)\n",
    );
  });
});

describe("the end of a plain run: its proof", () => {
  it("lists every check with its values, where the sentinel was written and found, and the skipped steps", () => {
    const runbook = parse(
      [
        "# Proof",
        "",
        "::sentinel{#last_write}",
        "",
        "## Write it",
        "",
        "```sh",
        'echo "$last_write" > sentinel.txt',
        "```",
        "",
        "## Optional",
        "",
        "```sh",
        "true",
        "```",
        "",
        "## Find it",
        "",
        '::check{sh="cat sentinel.txt" expect="${last_write}"}',
        "",
      ].join("\n"),
    ).runbook;
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => (text += c.toString("utf8")));
    const r = new PlainReporter(out, createStyle(false), { runbook });
    const token = "rb-last_write-abc";
    r.onRunStart({
      type: "run-start",
      runId: "r1",
      title: "Proof",
      file: "proof.md",
      mode: "live",
      resumed: false,
      stateDir: "/s",
      params: [],
      sentinels: { last_write: token },
      steps: runbook.steps.map((s) => ({
        id: s.id,
        title: s.title,
        state: "pending" as const,
        selected: true,
      })),
    });
    r.onActionEnd({
      type: "action-end",
      stepId: "write-it",
      index: 0,
      kind: "sh",
      durationMs: 3,
      outcome: { kind: "ok" },
    });
    r.onStepEnd({
      type: "step-end",
      stepId: "write-it",
      state: "done",
      durationMs: 3,
    });
    r.onStepEnd({
      type: "step-end",
      stepId: "optional",
      state: "skipped",
      durationMs: 0,
      message: "skipped by the operator",
    });
    r.onCheckEnd({
      type: "check-end",
      stepId: "find-it",
      index: 0,
      kind: "sh",
      line: 19,
      outcome: {
        kind: "pass",
        message: `got "${token}"`,
        expected: token,
        actual: token,
        attempts: 1,
        durationMs: 2,
      },
    });
    r.onStepEnd({
      type: "step-end",
      stepId: "find-it",
      state: "done",
      durationMs: 3,
    });
    r.onRunEnd({
      type: "run-end",
      unproven: [],
      status: "done",
      exitCode: 0,
      durationMs: 10,
      message: "all 3 steps done",
    });
    expect(text.slice(text.indexOf("checks:"))).toBe(
      [
        "checks: 1 passed",
        `  ✔ Find it › check 1 (line 19): expected ${token} · got ${token}`,
        `sentinel last_write ${token}: ✔ proven: written, then found`,
        '  written: step "Write it" (sh block, line 7)',
        '  found:   step "Find it" (check 1, line 19: got the token)',
        "skipped: Optional — by choice, before it ran",
        "",
        "✔ all 3 steps done (10ms)",
        "",
      ].join("\n"),
    );
  });
});

describe("the line prompts", () => {
  it("show the last lines of a step whose outcome is unknown, and where its log is", async () => {
    const dir = tempDir();
    const log = path.join(dir, "output", "load.log");
    mkdirSync(path.dirname(log));
    writeFileSync(
      log,
      `── load attempt 1 at 2025-01-01T00:00:00Z\n${Array.from({ length: 30 }, (_, i) => `batch ${i + 1}`).join("\n")}\n`,
    );
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let shown = "";
    stdout.on("data", (c: Buffer) => (shown += c.toString("utf8")));
    const ask = promptInteraction({ stdin, stdout }, createStyle(false));
    const step = parse("# R\n\n## Load\n\n```sh\ntrue\n```\n").runbook
      .steps[0]!;
    const answer = ask.unknownState(step, { log });
    stdin.write("d\n");
    await expect(answer).resolves.toBe("done");
    expect(shown).toContain("  last 12 of 31 lines of its log:\n");
    expect(shown).toContain("  | batch 30\n");
    expect(shown).toContain("  | batch 19\n");
    expect(shown).not.toContain("batch 18\n");
    expect(shown).toContain(`  log: ${log}\n`);
    expect(shown).toContain('"Load" was started but never finished');
  });
});
