/**
 * The words the run and its journal share: how a step stands, how a step
 * attempt ended, what a gate asked and was answered, how a run ended. Defined
 * once here, so engine/run (which produces them) and engine/journal (which
 * records and reads them back) import neither each other's types.
 */

/** A step's outcome state (ARCHITECTURE: pending|running|done|failed|skipped|unknown). */
export type StepState =
  "pending" | "running" | "done" | "failed" | "skipped" | "unknown";

/** How a step attempt can end: the states a step-end event and journal entry carry. */
export type StepEndState = Extract<StepState, "done" | "failed" | "skipped">;

/** How one action of a step attempt went (also journaled with the step's end). */
export interface ActionSummary {
  readonly index: number;
  readonly kind: string;
  readonly ok: boolean;
  readonly exitCode?: number;
  readonly durationMs: number;
  readonly skipped?: string;
}

/**
 * How a step attempt ended: the facts the step-end event carries to reporters
 * and the journal's step-end entry records (each adds its own step id and
 * time fields).
 */
export interface StepEnd {
  readonly state: StepEndState;
  readonly durationMs: number;
  readonly message?: string;
  /** Marked done by the operator after an unknown outcome (`--assume-done`). */
  readonly assumed?: boolean;
  /** Ctrl-C (or a quit) stopped the step. */
  readonly interrupted?: boolean;
  /** The step did not run past a gate or manual step that was not answered. */
  readonly stopped?: boolean;
  /** Skipped after it failed or was interrupted: nothing proves what it did, and the run cannot end `done`. */
  readonly unproven?: boolean;
  /** How each action of this attempt went (failures also have their own `action` journal entry). */
  readonly actions?: readonly ActionSummary[];
}

export type GateKind = "step" | "confirm" | "typed" | "manual" | "block";
export type GateAnswer = "yes" | "no" | "done" | "skip" | "quit";

/**
 * How a run ended. `done` only when every selected step ended done or was
 * skipped by choice before it ran; `incomplete` when every step was passed
 * but one was skipped after it failed or was interrupted (SPEC 2: nothing
 * proves what it did).
 */
export type RunStatus =
  "done" | "incomplete" | "failed" | "stopped" | "interrupted";

/**
 * The exit status of `runbook run`/`resume` for each way a run ends: the one
 * mapping. cli/ returns it; the journal's run-end entry and the run-end event
 * record it so that `follow` and the report say what the command exited with.
 */
export const RUN_EXIT_CODES: Readonly<Record<RunStatus, number>> = {
  done: 0,
  incomplete: 1,
  failed: 1,
  stopped: 1,
  interrupted: 130,
};
