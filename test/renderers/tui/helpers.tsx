import { render } from "ink-testing-library";
import { onTestFinished } from "vitest";
import type { Runbook, Step } from "../../../engine/model/index.js";
import {
  Interrupter,
  type CheckOutcome,
  type Interaction,
  type RunEvent,
} from "../../../engine/run/index.js";
import { App } from "../../../renderers/tui/app.js";
import { createKeyHandler } from "../../../renderers/tui/key-handler.js";
import { TuiReporter } from "../../../renderers/tui/tui-reporter.js";
import { tuiInteraction } from "../../../renderers/tui/tui-interaction.js";
import { TuiStore } from "../../../renderers/tui/tui-store.js";
import { parse } from "../../helpers/parse.js";

export const KEYS = {
  enter: "\r",
  escape: "\u001b",
  ctrlC: "\u0003",
  backspace: "\u007f",
  ctrlU: "\u0015",
  up: "\u001b[A",
  down: "\u001b[B",
  right: "\u001b[C",
  left: "\u001b[D",
  pageUp: "\u001b[5~",
  pageDown: "\u001b[6~",
  home: "\u001b[H",
  end: "\u001b[F",
} as const;

export interface Harness {
  readonly runbook: Runbook;
  readonly store: TuiStore;
  readonly reporter: TuiReporter;
  readonly interaction: Interaction;
  readonly interrupter: Interrupter;
  /** The last frame, trailing spaces removed. */
  frame(): string;
  /** Sends keys, then lets the UI draw. */
  press(...keys: string[]): Promise<void>;
  /** Feeds engine events, then lets the UI draw. */
  emit(...events: RunEvent[]): Promise<void>;
  /** Advances the fake clock. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
}

export interface HarnessOptions {
  readonly columns?: number;
  readonly rows?: number;
  readonly color?: boolean;
  /** Param values already resolved (as --set would give them). */
  readonly params?: Readonly<Record<string, string>>;
  readonly guardMs?: number;
  /** Where runbook was started (paths on screen are relative to it). @default '/work' */
  readonly cwd?: string;
}

/** The UI on a fake terminal (ink-testing-library), fed by hand instead of by the engine. */
export function harness(
  markdown: string,
  options: HarnessOptions = {},
): Harness {
  const { runbook, diagnostics } = parse(markdown);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new Error(errors.map((d) => d.message).join("; "));
  let now = 1_000_000;
  const params = new Map(
    Object.entries(options.params ?? {}).map(([name, value]) => {
      const param = runbook.params.find((p) => p.name === name);
      if (!param) throw new Error(`no param ${name}`);
      return [name, { param, value, source: "set" as const }];
    }),
  );
  const store = new TuiStore({
    runbook,
    clock: () => now,
    ticking: false,
    params,
  });
  const interrupter = new Interrupter();
  const onKey = createKeyHandler({
    store,
    interrupter,
    guardMs: options.guardMs ?? 0,
  });
  const reporter = new TuiReporter(store);
  const interaction = tuiInteraction(store);
  const ui = render(
    <App
      store={store}
      onKey={onKey}
      color={options.color ?? false}
      size={{ columns: options.columns ?? 80, rows: options.rows ?? 24 }}
      cwd={options.cwd ?? "/work"}
    />,
  );
  // Ink lays out what it writes once (the summary at the end) at the terminal's width.
  Object.defineProperty(ui.stdout, "columns", {
    value: options.columns ?? 80,
    configurable: true,
  });
  onTestFinished(() => {
    ui.unmount();
    ui.cleanup();
    store.close();
  });
  const settle = async (): Promise<void> => {
    store.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const emitOne = (event: RunEvent): void => {
    const hook = `on${event.type.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
    (reporter as unknown as Record<string, (e: RunEvent) => void>)[hook]?.(
      event,
    );
  };
  return {
    runbook,
    store,
    reporter,
    interaction,
    interrupter,
    frame: () =>
      (ui.lastFrame() ?? "")
        .split("\n")
        .map((l) => l.trimEnd())
        .join("\n"),
    press: async (...keys) => {
      for (const k of keys) {
        ui.stdin.write(k);
        await new Promise((resolve) =>
          setTimeout(resolve, k === KEYS.escape ? 40 : 2),
        );
      }
      await settle();
    },
    emit: async (...events) => {
      for (const e of events) emitOne(e);
      await settle();
    },
    advance: async (ms) => {
      now += ms;
      await settle();
    },
    settle,
  };
}

/** Where the engine says a step's output log is (step-start `log`), for the run `runStart` starts. */
export function logOf(
  stepId: string,
  stateDir = "/work/.runbook",
  runId = "20250101-000000-0001",
): string {
  return `${stateDir}/runs/${runId}/output/${stepId}.log`;
}

/** `run-start` for a runbook, every step pending and selected. */
export function runStart(
  runbook: Runbook,
  extra: Partial<Extract<RunEvent, { type: "run-start" }>> = {},
): Extract<RunEvent, { type: "run-start" }> {
  // Built loosely: the engine's run-start is growing fields (params) the UI does not read.
  return {
    type: "run-start",
    params: [],
    sentinels: {},
    runId: "20250101-000000-0001",
    title: runbook.title,
    file: runbook.file,
    mode: "live",
    resumed: false,
    stateDir: "/work/.runbook",
    steps: runbook.order.map((id) => ({
      id,
      title: runbook.steps.find((s) => s.id === id)?.title ?? id,
      state: "pending" as const,
      selected: true,
    })),
    ...extra,
  } as Extract<RunEvent, { type: "run-start" }>;
}

export function md(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

export interface StepScript {
  readonly index: number;
  readonly total: number;
  readonly output?: string;
  /** Action index → how it ended (default: every code action ok). */
  readonly failAction?: {
    readonly index: number;
    readonly exitCode: number;
    readonly message: string;
  };
  readonly checks?: readonly CheckOutcome[];
  readonly captures?: Readonly<Record<string, string>>;
  readonly secretCaptures?: readonly string[];
  readonly targets?: Readonly<Record<number, string>>;
  readonly state?: "done" | "failed";
  readonly durationMs?: number;
  /** The run's state dir, as given to `runStart` (where the step's log is). @default '/work/.runbook' */
  readonly stateDir?: string;
}

/** The events of one attempt of a step, as the engine sends them: start, actions, output, checks, captures, end. */
export function stepEvents(step: Step, script: StepScript): RunEvent[] {
  const events: RunEvent[] = [
    {
      type: "step-start",
      stepId: step.id,
      index: script.index,
      total: script.total,
      attempt: 1,
      log: logOf(step.id, script.stateDir),
    },
  ];
  for (const [i, a] of step.actions.entries()) {
    if (a.kind === "confirm" || a.kind === "manual") continue;
    const target = script.targets?.[i];
    events.push({
      type: "action-start",
      stepId: step.id,
      index: i,
      kind: a.kind,
      code: a.code,
      ...(target ? { target } : {}),
      attempt: 1,
    });
    if (i === 0 && script.output)
      events.push({
        type: "output",
        stepId: step.id,
        stream: "stdout",
        text: script.output,
      });
    const fail = script.failAction?.index === i ? script.failAction : undefined;
    events.push({
      type: "action-end",
      stepId: step.id,
      index: i,
      kind: a.kind,
      durationMs: 5,
      outcome: fail
        ? { kind: "failed", exitCode: fail.exitCode, message: fail.message }
        : { kind: "ok" },
    } as RunEvent);
    if (fail) break;
  }
  if (!script.failAction) {
    for (const [name, value] of Object.entries(script.captures ?? {}))
      events.push({
        type: "capture",
        stepId: step.id,
        name,
        value,
        secret: script.secretCaptures?.includes(name) ?? false,
      } as RunEvent);
    for (const [i, c] of step.checks.entries()) {
      const outcome = script.checks?.[i];
      if (!outcome) break;
      events.push({
        type: "check-start",
        stepId: step.id,
        index: i,
        kind: c.kind,
        code: c.code,
      });
      events.push({
        type: "check-end",
        stepId: step.id,
        index: i,
        kind: c.kind,
        line: c.at.line,
        outcome,
      } as RunEvent);
    }
  }
  const failed =
    script.failAction !== undefined ||
    script.state === "failed" ||
    (script.checks ?? []).some(
      (c) => c.kind !== "pass" && c.kind !== "skipped",
    );
  events.push({
    type: "step-end",
    stepId: step.id,
    state: failed ? "failed" : "done",
    durationMs: script.durationMs ?? 25,
    ...(failed
      ? {
          message: script.failAction
            ? `${step.actions[script.failAction.index]?.kind} block at line 1: ${script.failAction.message}`
            : "a check failed",
        }
      : {}),
  });
  return events;
}

/** A step of the runbook by id. */
export function stepOf(runbook: Runbook, id: string): Step {
  const s = runbook.steps.find((x) => x.id === id);
  if (!s)
    throw new Error(
      `no step ${id}: ${runbook.steps.map((x) => x.id).join(", ")}`,
    );
  return s;
}
