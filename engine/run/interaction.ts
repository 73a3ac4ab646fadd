import type { ConfirmAction, ManualAction } from "../model/index.js";
import type { Param, Step } from "../model/index.js";

/** What the operator decided about a step before it runs. */
export type StepDecision = "run" | "skip" | "quit";
/** After a failure (or a Ctrl-C during a step). */
export type FailureDecision = "retry" | "skip" | "quit";
/** A step that was started but never recorded as finished. */
export type UnknownDecision = "rerun" | "done" | "abort";

/** A gate the operator answers before the step goes on. */
export type GateRequest =
  /** A `::confirm` yes/no gate. */
  | {
      readonly kind: "confirm";
      readonly step: Step;
      /** The question, `${}` filled in, masked. */
      readonly prompt: string;
      readonly action: ConfirmAction;
    }
  /** `::confirm{type=…}`: the operator types the text to go on. */
  | {
      readonly kind: "typed";
      readonly step: Step;
      readonly prompt: string;
      /** The text to type, `${}` filled in. */
      readonly typed: string;
      readonly action: ConfirmAction;
    }
  /** A code block marked `confirm`: shown, then run only on a yes. */
  | {
      readonly kind: "block";
      readonly step: Step;
      readonly prompt: string;
      /** The block's code, masked. */
      readonly code: string;
    };

/**
 * The decisions only the operator can take. The TUI and the plain reporter
 * ask on the terminal; `automatic()` answers for `--yes`, `--yes=all` and
 * rehearsals. Every method may reject with an AbortError when the run is interrupted.
 */
export interface Interaction {
  /** True when a person is there to answer (prompts may be shown). */
  readonly interactive: boolean;
  /** Run this step? (`y`/Enter, `s`, `q`) */
  confirmStep(step: Step): Promise<StepDecision>;
  /** A gate: yes/no, typed text, or a `confirm` block. Resolves true to go on. `quit` stops the run. */
  gate(request: GateRequest): Promise<"yes" | "no" | "quit">;
  /** A manual step: resolves when the operator says it is done. */
  manual(step: Step, action: ManualAction): Promise<"done" | "skip" | "quit">;
  /** A step failed: retry, skip or quit. `interrupted`: the operator pressed Ctrl-C. */
  failed(
    step: Step,
    message: string,
    interrupted: boolean,
  ): Promise<FailureDecision>;
  /** A param with no value from any source. */
  askParam(param: Param): Promise<string>;
  /** A resumed run reached a step in an unknown state; `log` is where its output was written (its last lines tell how far it got). */
  unknownState(
    step: Step,
    details: { readonly log: string },
  ): Promise<UnknownDecision>;
  /** Completed steps whose text changed since the run started: go on? */
  changedSteps(steps: readonly Step[]): Promise<boolean>;
  /**
   * The runbook was read again (the operator retried a step, maybe after an
   * edit): these steps run with this text from now on, shown as it is.
   */
  reread?(steps: readonly Step[]): void;
  /** An `interactive` block is about to take the terminal: step aside. */
  beforeInteractive?(): Promise<void>;
  /** The `interactive` block is done: take the terminal back. */
  afterInteractive?(): Promise<void>;
}

export interface AutomaticOptions {
  /** `steps`: --yes; `all`: --yes=all or a rehearsal. */
  readonly yes: "steps" | "all";
  readonly unknown?: "rerun" | "done";
}

/** Answers for a run with no person at the terminal. */
export function automatic(options: AutomaticOptions): Interaction {
  return {
    interactive: false,
    confirmStep: async () => "run",
    gate: async () => (options.yes === "all" ? "yes" : "quit"),
    manual: async () => (options.yes === "all" ? "done" : "quit"),
    failed: async () => "quit",
    askParam: async (param) => {
      throw new MissingParamError(param);
    },
    unknownState: async () =>
      options.unknown === "rerun"
        ? "rerun"
        : options.unknown === "done"
          ? "done"
          : "abort",
    changedSteps: async () => true,
  };
}

export class MissingParamError extends Error {
  readonly param: Param;
  constructor(param: Param) {
    super(
      `param "${param.name}" has no value: pass --set ${param.name}=…${param.secret ? "" : ` or set ${param.name} in the environment`}${param.description ? ` (${param.description})` : ""}`,
    );
    this.param = param;
  }
}
