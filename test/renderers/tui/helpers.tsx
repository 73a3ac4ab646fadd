import { render } from "ink-testing-library";
import { act, type ReactElement } from "react";
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
  /** Lets the UI draw what was sent: every render and effect it causes (React's act). */
  settle(): Promise<void>;
  /** Waits, up to a deadline, for a frame the UI draws after real I/O (a log read from disk). */
  waitFor(ok: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
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
  /** A follower's view (`runbook follow`). @default false */
  readonly readOnly?: boolean;
}

// React's act(): when it returns, every render and effect that what it wrapped caused is done. So the harness
// waits for the UI's own work, never a guessed number of milliseconds (it used to sleep 2-40 ms per key).
// React is told it runs under act only inside act (as Testing Library does around its waits): what the UI does
// on its own between two acts (a frame the store schedules) runs as in the real terminal, without warnings.
const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };

/** One turn of the event loop: Ink reads a lone Esc, and React runs its scheduled work, on a setImmediate. */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `change` inside act() and lets the event loop turn once inside it, so
 * that what Ink defers to the next turn (a lone Esc) is drawn before act
 * returns.
 */
export async function acted(change: () => void): Promise<void> {
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    await act(async () => {
      change();
      await nextTurn();
    });
  } finally {
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
  }
}

/** Renders inside act(), so that Ink listens for keys (an effect) before the first key is pressed. */
function renderActed(tree: ReactElement): ReturnType<typeof render> {
  const rendered: { ui?: ReturnType<typeof render> } = {};
  actEnvironment.IS_REACT_ACT_ENVIRONMENT = true;
  try {
    void act(() => {
      rendered.ui = render(tree);
    });
  } finally {
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
  }
  if (!rendered.ui) throw new Error("Ink did not render");
  return rendered.ui;
}

/**
 * Polls `frame()` until `ok` holds, or fails with the last frame at the
 * deadline: for what the UI draws after real I/O (a log read from disk),
 * which act() does not wait for.
 */
export async function waitForFrame(
  frame: () => string,
  ok: (frame: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = frame();
    if (ok(shown)) return shown;
    if (Date.now() > deadline)
      throw new Error(
        `the UI never drew the frame awaited in ${timeoutMs} ms; it shows:\n${shown}`,
      );
    await acted(() => undefined);
  }
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
    readOnly: options.readOnly ?? false,
  });
  const interrupter = new Interrupter();
  const onKey = createKeyHandler({
    store,
    interrupter,
    guardMs: options.guardMs ?? 0,
  });
  const reporter = new TuiReporter(store);
  const interaction = tuiInteraction(store);
  const shown = renderActed(
    <App
      store={store}
      onKey={onKey}
      color={options.color ?? false}
      size={{ columns: options.columns ?? 80, rows: options.rows ?? 24 }}
      cwd={options.cwd ?? "/work"}
    />,
  );
  // Ink lays out what it writes once (the summary at the end) at the terminal's width.
  Object.defineProperty(shown.stdout, "columns", {
    value: options.columns ?? 80,
    configurable: true,
  });
  onTestFinished(() => {
    shown.unmount();
    shown.cleanup();
    store.close();
  });
  const settle = (): Promise<void> => acted(() => store.flush());
  const frame = (): string =>
    (shown.lastFrame() ?? "")
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n");
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
    frame,
    press: async (...keys) => {
      for (const k of keys) await acted(() => shown.stdin.write(k));
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
    waitFor: (ok, timeoutMs) => waitForFrame(frame, ok, timeoutMs),
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
