import type { Judgement } from "../../checks/index.js";
import type {
  ActionKind,
  Check,
  GateAnswer,
  GateKind,
  RunStatus,
  StepEnd,
  StepState,
  TableComparison,
} from "../model/index.js";

export type {
  ActionSummary,
  GateAnswer,
  GateKind,
  RunStatus,
  StepState,
} from "../model/index.js";

export interface RunStepInfo {
  readonly id: string;
  readonly title: string;
  /** State when the run (or resume) starts: done/skipped steps of a resumed run are shown as such. */
  readonly state: StepState;
  /** The step is outside --from/--to/--only: it is shown but not run. */
  readonly selected: boolean;
  /** Skipped (in an earlier session of a resumed run) after it failed or was interrupted: the run cannot end `done`. */
  readonly unproven?: boolean;
}

/** A step's text differs from the text the run started with (the runbook was edited during the run): the new text runs. */
export interface StepChange {
  /** The step's content hash when the run started (the journal's run entry). */
  readonly from: string;
  /** The hash of the text that runs now. */
  readonly to: string;
}

/**
 * How a check ended: its judgement (what it expected and got, or why it could
 * not be judged), or `skipped` when `only=` names the other kind of run.
 */
export type CheckOutcome = (
  | Judgement
  /** `only=` names the other kind of run: not evaluated, and not a failure. */
  | {
      readonly kind: "skipped";
      /** Why: `only=live: not checked in a rehearsal run`. */
      readonly message: string;
    }
) & {
  /** Evaluations (more than one for `wait=`); 0 when skipped. */
  readonly attempts: number;
  readonly durationMs: number;
};

/** The check held, or was not for this kind of run: nothing in it fails the step. */
export function checkHeld(outcome: CheckOutcome): boolean {
  return outcome.kind === "pass" || outcome.kind === "skipped";
}

/** What a check expected and what it got, when its outcome holds values (a pass or a mismatch). */
export function checkValues(
  outcome: CheckOutcome,
): { readonly expected: string; readonly actual: string } | undefined {
  return outcome.kind === "pass" || outcome.kind === "mismatch"
    ? { expected: outcome.expected, actual: outcome.actual }
    : undefined;
}

/** Both tables, for a table expectation that was judged. */
export function checkTable(outcome: CheckOutcome): TableComparison | undefined {
  return outcome.kind === "pass" || outcome.kind === "table-mismatch"
    ? outcome.table
    : undefined;
}

/** How an action ended, as reporters see it (the journal keeps the failures). */
export type ActionOutcome =
  | {
      readonly kind: "ok";
      /** The process's exit status, for a process-backed action. */
      readonly exitCode?: number;
    }
  /** It ran and failed (an exit status, a timeout, an SQL error, output that differs from a transcript). */
  | {
      readonly kind: "failed";
      /** One line: why (failure-message.ts), masked. */
      readonly message: string;
      readonly exitCode?: number;
    }
  /** Ctrl-C (or a quit) stopped it. */
  | {
      readonly kind: "interrupted";
      /** One line: what was stopped, masked. */
      readonly message: string;
      readonly exitCode?: number;
    }
  /** Not run: `only=` names the other kind of run, or what it depends on says not to run it. */
  | {
      readonly kind: "not-run";
      /** Why: `only=live: not run in a rehearsal run`. */
      readonly reason: string;
    };

/** A param as reporters see it: its value masked where it holds a secret, absent for a secret param. */
export interface RunParamInfo {
  readonly name: string;
  readonly secret: boolean;
  readonly source: string;
  /** Absent for a secret param. */
  readonly value?: string;
  /** The value holds a secret's value, masked in `value`: it was not stored whole, and resume asks for it again. */
  readonly masked?: boolean;
}

/**
 * Everything the engine tells reporters, in order. Each event is built once
 * and passes through the run's recorder, which masks every secret in it (by
 * value, in every text field), journals it and only then hands it to the
 * reporters: reporters never see a secret and never mask anything themselves.
 */
export type RunEvent =
  | {
      readonly type: "run-start";
      readonly runId: string;
      readonly title: string;
      readonly file: string;
      readonly mode: "live" | "rehearsal";
      readonly steps: readonly RunStepInfo[];
      readonly resumed: boolean;
      readonly stateDir: string;
      readonly journal?: string;
      readonly params: readonly RunParamInfo[];
      readonly sentinels: Readonly<Record<string, string>>;
    }
  | {
      readonly type: "step-start";
      readonly stepId: string;
      readonly index: number;
      readonly total: number;
      readonly attempt: number;
      /** Where the step's full output is written (masked), (a file beside the journal, or where the state database keeps it). */
      readonly log: string;
      /** The runbook was edited since the run started and this step's text changed: the new text runs. */
      readonly changed?: StepChange;
    }
  | {
      readonly type: "action-start";
      readonly stepId: string;
      readonly index: number;
      readonly kind: ActionKind;
      readonly code: string;
      readonly target?: string;
      readonly attempt: number;
    }
  | {
      readonly type: "output";
      readonly stepId: string;
      readonly stream: "stdout" | "stderr" | "info";
      readonly text: string;
    }
  | {
      readonly type: "action-end";
      readonly stepId: string;
      readonly index: number;
      readonly kind: ActionKind;
      readonly durationMs: number;
      readonly outcome: ActionOutcome;
    }
  | {
      readonly type: "check-start";
      readonly stepId: string;
      readonly index: number;
      readonly kind: Check["kind"];
      readonly code: string;
      readonly waitMs?: number;
    }
  /**
   * A `wait=` check did not pass yet and will be tried again: what its last
   * try got (`actual`, when it got a value) and why that was not a pass
   * (`message`: the comparison, or the error, such as a refused connection).
   * Throttled by the engine: sent when what the check got changes, and at
   * most once a second otherwise. Not journaled (the check's end is).
   */
  | {
      readonly type: "check-progress";
      readonly stepId: string;
      readonly index: number;
      readonly attempts: number;
      readonly actual?: string;
      readonly message: string;
      readonly elapsedMs: number;
    }
  | {
      readonly type: "check-end";
      readonly stepId: string;
      readonly index: number;
      readonly kind: Check["kind"];
      readonly line: number;
      readonly outcome: CheckOutcome;
    }
  | {
      readonly type: "gate";
      readonly stepId: string;
      readonly kind: GateKind;
      readonly prompt: string;
      readonly answer: GateAnswer;
      readonly by: "operator" | "auto";
    }
  /** `secret`: the value is a secret (by the variable's name, or because what was captured held part of one): `value` is `***`. */
  | {
      readonly type: "capture";
      readonly stepId: string;
      readonly name: string;
      readonly value: string;
      readonly secret: boolean;
    }
  /** How the step attempt ended (engine/model's StepEnd, shared with the journal's step-end entry). */
  | ({
      readonly type: "step-end";
      readonly stepId: string;
    } & StepEnd)
  | {
      readonly type: "notice";
      readonly level: "info" | "warning" | "error";
      readonly message: string;
    }
  | {
      readonly type: "run-end";
      readonly status: RunStatus;
      readonly exitCode: number;
      readonly durationMs: number;
      readonly message: string;
      /** The selected steps skipped after they failed or were interrupted (this session or an earlier one): nothing proves what they did. The status is `incomplete` when the run got past every step with some here. */
      readonly unproven: readonly string[];
      readonly resumeHint?: string;
    };

type HookName<T extends string> = T extends `${infer A}-${infer B}`
  ? `${A}${Capitalize<HookName<B>>}`
  : T;
type EventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/**
 * A reporter implements the hooks it cares about (like Vitest's Reporter):
 * `onRunStart`, `onStepStart`, `onActionStart`, `onOutput`, `onActionEnd`,
 * `onCheckStart`, `onCheckProgress`, `onCheckEnd`, `onGate`, `onCapture`,
 * `onStepEnd`, `onNotice`, `onRunEnd`.
 */
export type Reporter = {
  [T in RunEvent["type"] as `on${Capitalize<HookName<T>>}`]?: (
    event: EventOf<T>,
  ) => void;
} & {
  /**
   * While the reporter's output is saturated (a slow pipe), a promise that
   * resolves when it can take more: the engine stops reading the step's
   * output until then, so memory stays bounded however much a step prints.
   */
  readonly drained?: () => Promise<void> | undefined;
};

/** The first reporter's pending drain, if any. */
export function reportersDrained(
  reporters: readonly Reporter[],
): Promise<void> | undefined {
  for (const r of reporters) {
    const wait = r.drained?.();
    if (wait) return wait;
  }
  return undefined;
}

const hookNames = new Map<string, string>();

/** Calls the hook for `event` on every reporter. */
export function emit(reporters: readonly Reporter[], event: RunEvent): void {
  let hook = hookNames.get(event.type);
  if (!hook) {
    hook = `on${event.type.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
    hookNames.set(event.type, hook);
  }
  for (const reporter of reporters) {
    const fn = (
      reporter as Record<string, ((e: RunEvent) => void) | undefined>
    )[hook];
    if (fn) fn.call(reporter, event);
  }
}
