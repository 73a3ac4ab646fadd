import { PassThrough } from "node:stream";
import { render } from "ink-testing-library";
import { describe, expect, it, onTestFinished } from "vitest";
import { Interrupter } from "../../../engine/run/index.js";
import { PlainReporter } from "../../../renderers/plain/plain-reporter.js";
import { App } from "../../../renderers/tui/app.js";
import { startTui } from "../../../renderers/tui/index.js";
import { createKeyHandler } from "../../../renderers/tui/key-handler.js";
import { textWidth } from "../../../renderers/tui/terminal-text.js";
import { createTheme } from "../../../renderers/tui/theme.js";
import { TuiReporter } from "../../../renderers/tui/tui-reporter.js";
import { TuiStore } from "../../../renderers/tui/tui-store.js";
import { parse } from "../../helpers/parse.js";
import { acted, harness, md, runStart, logOf } from "./helpers.js";

const LONG = md(
  "# A runbook whose step titles are much longer than any sidebar could ever show in full",
  "",
  ...Array.from({ length: 30 }, (_, i) => [
    `## Step number ${i + 1} with a rather long and descriptive title`,
    "",
    "Some prose that explains what this step does and why an operator should care about it tonight.",
    "",
    "```sh",
    `echo step ${i + 1} && seq 1 500 && echo "a very long line ${"x".repeat(300)}"`,
    "```",
    "",
  ]).flat(),
);

const strip = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");

async function busyFrame(columns: number, rows: number): Promise<string> {
  const h = harness(LONG, { columns, rows });
  const s = h.runbook.steps[17]!;
  await h.emit(
    runStart(h.runbook),
    {
      type: "step-start",
      stepId: s.id,
      index: 18,
      total: 30,
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
  );
  await h.emit({
    type: "output",
    stepId: s.id,
    stream: "stdout",
    text: `${Array.from({ length: 500 }, (_, i) => `${i} ${"y".repeat(i % 150)}`).join("\n")}\n`,
  });
  return h.frame();
}

describe("layout", () => {
  it.each([
    [80, 24],
    [100, 30],
    [120, 40],
    [60, 20],
    [200, 60],
  ])(
    "fits a %ix%i terminal: never more rows than the terminal has, never a row wider than it",
    async (columns, rows) => {
      const frame = strip(await busyFrame(columns, rows));
      const lines = frame.split("\n");
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const line of lines)
        expect(textWidth(line)).toBeLessThanOrEqual(columns);
      expect(frame).toContain("Ctrl-C stop this step");
      // The step on screen is always in the list, however long the list.
      if (columns >= 64) expect(frame).toMatch(/›⠋ Step number 18/);
    },
  );

  it("gives the step list up below 64 columns", async () => {
    expect(await busyFrame(60, 20)).not.toContain("│ Step number 1 ");
    expect(await busyFrame(80, 24)).toContain("↑");
  });

  it("follows the terminal when it is resized", async () => {
    const { runbook } = parse(LONG);
    const store = new TuiStore({ runbook, ticking: false, clock: () => 0 });
    const ui = render(
      <App
        store={store}
        onKey={createKeyHandler({ store, interrupter: new Interrupter() })}
        color={false}
      />,
    );
    onTestFinished(() => {
      ui.unmount();
      store.close();
    });
    const resize = async (columns: number, rows: number): Promise<string> => {
      Object.defineProperty(ui.stdout, "columns", {
        value: columns,
        configurable: true,
      });
      Object.defineProperty(ui.stdout, "rows", {
        value: rows,
        configurable: true,
      });
      await acted(() => ui.stdout.emit("resize"));
      return strip(ui.lastFrame() ?? "");
    };
    new TuiReporter(store).onRunStart(runStart(runbook));
    store.flush();
    const big = await resize(150, 40);
    expect(big.split("\n").length).toBeLessThanOrEqual(39);
    expect(Math.max(...big.split("\n").map(textWidth))).toBeGreaterThan(100);
    const small = await resize(80, 24);
    expect(small.split("\n").length).toBeLessThanOrEqual(23);
    expect(Math.max(...small.split("\n").map(textWidth))).toBeLessThanOrEqual(
      80,
    );
  });
});

describe("without colour (NO_COLOR, dumb terminals)", () => {
  it("the mono theme sets no colour at all; meaning is carried by symbols and words", async () => {
    const mono = createTheme(false);
    const tones = [
      "ok",
      "fail",
      "warn",
      "running",
      "keyword",
      "string",
      "added",
      "removed",
      "stderr",
      "accent",
    ] as const;
    for (const tone of tones) expect(mono.style(tone).color).toBeUndefined();
    expect(createTheme(true).style("fail").color).toBe("red");

    const h = harness(LONG, { color: false });
    const [a, b] = h.runbook.steps;
    await h.emit(
      runStart(h.runbook),
      {
        type: "step-start",
        stepId: a!.id,
        index: 1,
        total: 30,
        attempt: 1,
        log: logOf(a!.id),
      },
      { type: "step-end", stepId: a!.id, state: "done", durationMs: 5 },
      {
        type: "step-start",
        stepId: b!.id,
        index: 2,
        total: 30,
        attempt: 1,
        log: logOf(b!.id),
      },
      {
        type: "step-end",
        stepId: b!.id,
        state: "failed",
        durationMs: 5,
        message: "exit 1",
      },
    );
    const frame = h.frame();
    expect(frame).toContain("✔ Step number 1");
    expect(frame).toMatch(/✘ Step number .*failed/);
    expect(frame).toContain("○ Step number 3");
  });

  it("startTui falls back to the plain reporter when the terminal is not a TTY", async () => {
    const { runbook } = parse(LONG);
    const stdout = Object.assign(new PassThrough(), {
      isTTY: false,
    }) as unknown as NodeJS.WriteStream;
    const stdin = Object.assign(new PassThrough(), {
      isTTY: false,
    }) as unknown as NodeJS.ReadStream;
    const session = startTui({
      stdin,
      stdout,
      env: {},
      interrupter: new Interrupter(),
      runbook,
    });
    expect(session.reporter).toBeInstanceOf(PlainReporter);
    expect(session.interaction.interactive).toBe(true);
    await session.close();
  });

  it("startTui falls back to the plain reporter on a dumb terminal", async () => {
    const { runbook } = parse(LONG);
    const stdout = Object.assign(new PassThrough(), {
      isTTY: true,
    }) as unknown as NodeJS.WriteStream;
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
    }) as unknown as NodeJS.ReadStream;
    const session = startTui({
      stdin,
      stdout,
      env: { TERM: "dumb" },
      interrupter: new Interrupter(),
      runbook,
    });
    expect(session.reporter).toBeInstanceOf(PlainReporter);
    await session.close();
  });
});
