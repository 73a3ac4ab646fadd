import type { ManualAction, Param, Runbook, Step } from '../../engine/model/index.js';
import type { CheckOutcome, GateRequest, RunStatus, StepState } from '../../engine/run/index.js';
import type { OutputLine } from './output-buffer.js';

/** What the UI is waiting for the operator to decide. */
export type Prompt =
  | { readonly kind: 'step'; readonly step: Step }
  | { readonly kind: 'failed'; readonly step: Step; readonly message: string; readonly interrupted: boolean }
  | { readonly kind: 'gate'; readonly step: Step; readonly request: GateRequest }
  | { readonly kind: 'manual'; readonly step: Step; readonly action: ManualAction }
  | { readonly kind: 'param'; readonly param: Param; readonly position: number; readonly count: number }
  | { readonly kind: 'unknown'; readonly step: Step }
  | { readonly kind: 'changed'; readonly steps: readonly Step[] };

export interface PromptState {
  readonly prompt: Prompt;
  /** Text typed so far (typed gates, params). */
  readonly input: string;
  /** Why the last answer was refused. */
  readonly error?: string;
  /** When the prompt appeared (ms, the store's clock). */
  readonly shownAt: number;
}

export interface StepRow {
  readonly id: string;
  readonly title: string;
  readonly state: StepState;
  /** Inside --from/--to/--only. */
  readonly selected: boolean;
  readonly attempt: number;
  readonly startedAt?: number;
  readonly durationMs?: number;
  /** "marked done", "skipped by the operator", the failure. */
  readonly note?: string;
}

export interface ActionRun {
  readonly state: 'running' | 'ok' | 'failed' | 'skipped';
  readonly startedAt: number;
  readonly target?: string;
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly message?: string;
  /** A gate's or manual step's answer. */
  readonly answer?: string;
}

export interface CheckRun {
  readonly state: 'running' | 'ok' | 'failed';
  readonly startedAt: number;
  readonly waitMs?: number;
  readonly outcome?: CheckOutcome;
}

/** The step on screen: the one being asked about, running, or just finished. */
export interface CurrentStep {
  readonly step: Step;
  readonly position?: number;
  readonly total?: number;
  readonly attempt: number;
  readonly state: StepState;
  readonly startedAt?: number;
  readonly durationMs?: number;
  readonly message?: string;
  readonly actions: ReadonlyMap<number, ActionRun>;
  readonly checks: ReadonlyMap<number, CheckRun>;
  readonly captures: readonly { readonly name: string; readonly value: string }[];
  /** The last lines (bounded); counts cover everything the step printed. */
  readonly output: readonly OutputLine[];
  readonly outputLines: number;
  readonly outputBytes: number;
  /** The full output, beside the journal. */
  readonly outputLog?: string;
}

export interface RunInfo {
  readonly runId: string;
  readonly mode: 'live' | 'rehearsal';
  readonly resumed: boolean;
  readonly stateDir: string;
  readonly startedAt: number;
}

export interface RunEnd {
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly message: string;
  readonly resumeHint?: string;
}

/** A variable the code of a step may use, as the UI may show it. */
export interface DisplayValue {
  readonly kind: 'param' | 'capture' | 'sentinel';
  /** Undefined when not known (yet): a capture of a later step, a sentinel's token. */
  readonly value?: string;
  readonly secret: boolean;
}

/** Everything the UI draws, immutable: a new snapshot at most once per frame. */
export interface TuiSnapshot {
  readonly version: number;
  readonly runbook: Runbook;
  readonly now: number;
  readonly title: string;
  readonly file: string;
  readonly run?: RunInfo;
  readonly steps: readonly StepRow[];
  readonly current?: CurrentStep;
  readonly prompt?: PromptState;
  readonly notice?: { readonly level: 'info' | 'warning' | 'error'; readonly message: string };
  readonly end?: RunEnd;
  /** Ctrl-C was pressed while a step ran: it is being stopped. */
  readonly interrupting: boolean;
  /** An `interactive` block has the terminal. */
  readonly suspended: boolean;
  readonly help: boolean;
  readonly values: ReadonlyMap<string, DisplayValue>;
  /** Masks every known secret in a text shown on screen. */
  readonly mask: (text: string) => string;
}
