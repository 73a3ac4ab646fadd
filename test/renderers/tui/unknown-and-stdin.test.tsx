import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { stdinHint } from "../../../renderers/tui/stdin-hint.js";
import { harness, md, runStart, stepEvents, stepOf } from "./helpers.js";

/** A question the test leaves unanswered: a later one replaces it, and its promise rejects by design. */
const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);

const RUN_ID = "20250101-000000-0001";

const BOOK = md(
  "# Resume me",
  "",
  "## Load the data",
  "",
  "```sh",
  'for i in $(seq 1 100); do echo "loaded batch $i"; done',
  "```",
  "",
  "## Ask for a name",
  "",
  "```sh",
  'read -r -p "name? " name',
  'echo "hello $name"',
  "```",
  "",
  "## Ask interactively",
  "",
  "```sh {interactive}",
  "read -r name",
  "```",
);

describe("a step whose outcome is unknown (resume)", () => {
  it("shows the last lines of its log and where the log is", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-tui-unknown-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, "runs", RUN_ID, "output");
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, "load-the-data.log"),
      `── load-the-data attempt 1 at 2025-01-01T00:00:00Z\n${Array.from({ length: 57 }, (_, i) => `loaded batch ${i + 1}`).join("\n")}\n`,
    );
    const h = harness(BOOK, { columns: 120, rows: 40, cwd: dir });
    const start = runStart(h.runbook, { stateDir: dir, resumed: true });
    await h.emit({
      ...start,
      steps: start.steps.map((s, i) => ({
        ...s,
        state: i === 0 ? ("unknown" as const) : s.state,
      })),
    });
    quiet(
      h.interaction.unknownState(stepOf(h.runbook, "load-the-data"), {
        log: path.join(dir, "runs", RUN_ID, "output", "load-the-data.log"),
      }),
    );
    await h.settle();
    const frame = h.frame();
    expect(frame).toContain("── last 12 lines of 58 lines in its log");
    expect(frame).toContain("│ loaded batch 57");
    expect(frame).toContain("│ loaded batch 46");
    expect(frame).not.toContain("│ loaded batch 45\n");
    expect(frame).toContain(
      "log: runs/20250101-000000-0001/output/load-the-data.log",
    );
    expect(frame).toMatch(
      /"Load the data" was started but never finished: its outcome is unknown\. Check what it did \(its last output is above;\s+log:\s+runs\/20250101-000000-0001\/output\/load-the-data\.log\), then:/,
    );
    expect(frame).toContain("r re-run it  ·  d mark it done  ·  a abort");
  });

  it("says when its log has nothing", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-tui-unknown-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const h = harness(BOOK, { columns: 120, rows: 40, cwd: dir });
    await h.emit(runStart(h.runbook, { stateDir: dir, resumed: true }));
    quiet(
      h.interaction.unknownState(stepOf(h.runbook, "load-the-data"), {
        log: path.join(dir, "runs", RUN_ID, "output", "load-the-data.log"),
      }),
    );
    await h.settle();
    expect(h.frame()).toContain("── its log has no output");
  });
});

describe("a step that reads stdin and fails", () => {
  it("gets a hint about {interactive}, beside the failure and in the question", async () => {
    const h = harness(BOOK, { columns: 120, rows: 40 });
    const s = stepOf(h.runbook, "ask-for-a-name");
    await h.emit(
      runStart(h.runbook),
      ...stepEvents(s, {
        index: 2,
        total: 3,
        failAction: { index: 0, exitCode: 1, message: "exit status 1" },
      }),
    );
    quiet(h.interaction.failed(s, "sh block at line 11: exit status 1", false));
    await h.settle();
    const frame = h.frame();
    expect(frame).toContain(
      "✘ Step failed: sh block at line 11: exit status 1",
    );
    expect(
      frame.match(
        /hint: +this block reads from standard input, which is empty in a run\.[\s│]+To type[\s│]+into it, mark it[\s│]+interactive:[\s│]+```sh\u00a0\{interactive\}/g,
      ),
    ).toHaveLength(2);
  });

  it("knows stdin readers and terminal complaints, and leaves other failures alone", () => {
    const h = harness(BOOK);
    const reads = stepOf(h.runbook, "ask-for-a-name").actions[0];
    const loads = stepOf(h.runbook, "load-the-data").actions[0];
    const interactive = stepOf(h.runbook, "ask-interactively").actions[0];
    expect(stdinHint(reads, [])).toContain("{interactive}");
    expect(stdinHint(loads, [])).toBeUndefined();
    expect(
      stdinHint(loads, [
        {
          stream: "stderr",
          text: "sudo: no tty present and no askpass program specified",
          cut: 0,
        },
      ]),
    ).toContain("wanted a terminal");
    expect(
      stdinHint(loads, [
        {
          stream: "stderr",
          text: "stty: standard input: Inappropriate ioctl for device",
          cut: 0,
        },
      ]),
    ).toContain("wanted a terminal");
    expect(
      stdinHint(interactive, [{ stream: "stderr", text: "not a tty", cut: 0 }]),
    ).toBeUndefined();
  });
});
