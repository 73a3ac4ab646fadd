import type {
  ManualAction,
  Param,
  Runbook,
  Step,
} from "../../engine/model/index.js";
import type {
  CheckOutcome,
  GateRequest,
  RunStatus,
  StepChange,
  StepState,
} from "../../engine/run/index.js";
import type { LogLine } from "./log-pager.js";
import type { OutputLine } from "./output-buffer.js";

/**
 * A gate that comes first in its step (nothing runs before it): its
 * question is asked instead of "Run step N?" (SPEC 4: one question per step).
 */
export interface LeadGate {
  /** The action's index in the step. */
  readonly index: number;
  /** `confirm`: ::confirm yes/no; `typed`: ::confirm{type=…}; `manual`: ::manual; `block`: a code block marked `confirm`. */
  readonly kind: "confirm" | "typed" | "manual" | "block";
  /** The question, `${name}` resolved with what is known, secrets masked. */
  readonly prompt: string;
  /** The text to type, for a typed gate. */
  readonly typed?: string;
}

/** What the UI is waiting for the operator to decide. */
export type Prompt =
  | { readonly kind: "step"; readonly step: Step; readonly lead?: LeadGate }
  | {
      readonly kind: "failed";
      readonly step: Step;
      readonly message: string;
      readonly interrupted: boolean;
    }
  | {
      readonly kind: "gate";
      readonly step: Step;
      readonly request: GateRequest;
    }
  | {
      readonly kind: "manual";
      readonly step: Step;
      readonly action: ManualAction;
    }
  | {
      readonly kind: "param";
      readonly param: Param;
      readonly position: number;
      readonly count: number;
    }
  /** `log`: where the engine wrote the step's output (its last lines are shown above the question). */
  | { readonly kind: "unknown"; readonly step: Step; readonly log: string }
  | { readonly kind: "changed"; readonly steps: readonly Step[] };

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
  /**
   * Skipped after it failed, was interrupted or its outcome was unknown
   * (SPEC 2: the run is then `incomplete`), rather than by choice before it ran.
   */
  readonly unproven?: boolean;
}

export interface ActionRun {
  readonly state: "running" | "ok" | "failed" | "skipped";
  readonly startedAt: number;
  readonly target?: string;
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly message?: string;
  /** A gate's or manual step's answer. */
  readonly answer?: string;
}

export interface CheckRun {
  readonly state: "running" | "ok" | "failed";
  readonly startedAt: number;
  readonly waitMs?: number;
  readonly outcome?: CheckOutcome;
  /** While a `wait=` check polls: the value (or error) it last got, and how many tries so far. */
  readonly last?: {
    readonly actual?: string;
    readonly message?: string;
    readonly attempts?: number;
  };
}

/** A capture as the UI shows it: the value as the engine gave it (masked). */
export interface CaptureView {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
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
  /** The runbook was edited during the run and this attempt runs the step's new text. */
  readonly changed?: StepChange;
  readonly actions: ReadonlyMap<number, ActionRun>;
  readonly checks: ReadonlyMap<number, CheckRun>;
  readonly captures: readonly CaptureView[];
  /** The last lines (bounded); counts cover everything the step printed. */
  readonly output: readonly OutputLine[];
  readonly outputLines: number;
  readonly outputBytes: number;
  /** The full output, beside the journal. */
  readonly outputLog?: string;
  /** The last lines of the log on disk, for a step whose outcome is unknown (a resumed run). */
  readonly logTail?: {
    readonly lines: readonly OutputLine[];
    readonly total: number;
    readonly missing: boolean;
  };
}

/** A step opened from the list (Enter, `o`): everything about it, its whole output paged from the log. */
export interface OpenedStep {
  readonly step: CurrentStep;
  /** Position of the first row shown: rows of the step's facts, then lines of the log. */
  readonly offset: number;
  /** Following the end of the log (End, or a running step). */
  readonly atEnd: boolean;
  readonly log: {
    readonly path?: string;
    /** Lines and bytes counted so far. */
    readonly lines: number;
    readonly bytes: number;
    /** Still counting (a big log is indexed a slice per frame). */
    readonly indexing: boolean;
    readonly missing: boolean;
    readonly error?: string;
    /** Lines read for the rows on screen. */
    readonly window: readonly LogLine[];
  };
}

export interface RunInfo {
  readonly runId: string;
  readonly mode: "live" | "rehearsal";
  readonly resumed: boolean;
  readonly stateDir: string;
  /** Where the journal is (a file, or a run in the state database), when the engine says. */
  readonly journal?: string;
  readonly startedAt: number;
}

export interface RunEnd {
  /** As the engine says (SPEC 2: the engine decides the honest outcome). */
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly durationMs: number;
  readonly message: string;
  /** The steps the engine names as skipped unproven. */
  readonly unproven: readonly string[];
  readonly resumeHint?: string;
}

/** A variable the code of a step may use, as the UI may show it. */
export interface DisplayValue {
  readonly kind: "param" | "capture" | "sentinel";
  /** Undefined when not known (yet): a capture of a later step, a sentinel's token. */
  readonly value?: string;
  readonly secret: boolean;
}

/** Everything the UI draws, immutable: a new snapshot at most once per frame. */
export interface TuiSnapshot {
  readonly version: number;
  /** A follower's view (`runbook follow`): the run is driven elsewhere, so no key here changes it. */
  readonly readOnly: boolean;
  readonly runbook: Runbook;
  readonly now: number;
  readonly title: string;
  readonly file: string;
  readonly run?: RunInfo;
  readonly steps: readonly StepRow[];
  readonly current?: CurrentStep;
  /** The step that just finished, kept on screen while the next one waits for its answer. */
  readonly previous?: CurrentStep;
  /** The step the arrow keys selected in the list (undefined: the one on screen). */
  readonly selected?: string;
  readonly opened?: OpenedStep;
  /** `c` was pressed: ordinary steps run without asking. */
  readonly continuing: boolean;
  /** `e`: the step's prose is shown whole. */
  readonly proseExpanded: boolean;
  /** Every step that ran, by id (for the proof summary at the end). */
  readonly records: ReadonlyMap<string, CurrentStep>;
  readonly prompt?: PromptState;
  readonly notice?: {
    readonly level: "info" | "warning" | "error";
    readonly message: string;
  };
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
