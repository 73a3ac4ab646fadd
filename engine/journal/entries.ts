import type { TableComparison } from "../model/index.js";
import type {
  GateAnswer,
  GateKind,
  RunStatus,
  StepEnd,
} from "../model/index.js";

/** The journal's line format. `v` is bumped when a reader would misread an older file. */
export const JOURNAL_VERSION = 1;

export interface RunParamEntry {
  readonly name: string;
  readonly secret: boolean;
  /** Absent for secrets and for masked values: they are asked for again on resume. */
  readonly value?: string;
  readonly source: string;
  /** The value held a secret's value: it is not stored, only `shown` (masked); resume asks for it again like a secret. */
  readonly masked?: true;
  /** The masked value, for the report. Never restored. */
  readonly shown?: string;
}

/**
 * One line of `journal.jsonl`. No field holds a secret in clear: every entry
 * passes through the run's recorder, which masks every known secret by value
 * (also inside a non-secret value, such as a captured connection string),
 * and a value that had to be masked is recorded as `masked` with no `value`,
 * so that resume never restores a masked `***` as if it were the value.
 */
export type JournalEntry =
  | {
      readonly type: "run";
      readonly v: number;
      readonly at: string;
      readonly runId: string;
      /** Absolute path of the runbook. */
      readonly file: string;
      /** The runbook's identity for the run lock (front matter `id:`, else its path from the git root); absent in older journals. */
      readonly identity?: string;
      /** The runbook's path relative to its git repository's root: where resume looks for it on another machine. */
      readonly repoPath?: string;
      readonly cwd: string;
      readonly title: string;
      readonly mode: "live" | "rehearsal";
      readonly user: string;
      readonly host: string;
      readonly pid: number;
      readonly selection: {
        readonly from?: string;
        readonly to?: string;
        readonly only?: readonly string[];
      };
      readonly yes: "none" | "steps" | "all";
      readonly params: readonly RunParamEntry[];
      readonly sentinels: Readonly<Record<string, string>>;
      readonly steps: readonly {
        readonly id: string;
        readonly title: string;
        readonly hash: string;
      }[];
    }
  | {
      readonly type: "resume";
      readonly at: string;
      readonly user: string;
      readonly host: string;
      readonly pid: number;
      /** Completed steps whose text changed since the run started. */
      readonly changed: readonly string[];
      readonly yes?: "none" | "steps" | "all";
      /** What `--rerun-unknown` / `--assume-done` said about a step in an unknown state. */
      readonly unknown?: "rerun" | "done";
    }
  /** `changed`: the runbook was edited during the run and this step's text is not the one the run started with (hashes). */
  | {
      readonly type: "step-start";
      readonly at: string;
      readonly step: string;
      readonly attempt: number;
      readonly changed?: { readonly from: string; readonly to: string };
    }
  /**
   * A process of the step started, in a process group (and session) of its
   * own whose id is `pgid`, on the host of the run or resume entry before it:
   * `resume` looks for it before it lets anyone re-run the step (SPEC 2).
   */
  | {
      readonly type: "group";
      readonly at: string;
      readonly step: string;
      readonly pgid: number;
    }
  | {
      readonly type: "action";
      readonly at: string;
      readonly step: string;
      readonly index: number;
      readonly kind: string;
      readonly ok: boolean;
      readonly exitCode?: number;
      readonly durationMs: number;
      readonly message?: string;
      readonly skipped?: string;
    }
  | {
      readonly type: "capture";
      readonly at: string;
      readonly step: string;
      readonly name: string;
      readonly secret: boolean;
      /** Absent for a secret and for a masked value. */
      readonly value?: string;
      /** The value held a secret's value: see RunParamEntry.masked. */
      readonly masked?: true;
      readonly shown?: string;
    }
  | {
      readonly type: "check";
      readonly at: string;
      readonly step: string;
      readonly index: number;
      readonly kind?: "sql" | "sh";
      /** The check's line in the runbook. */
      readonly line?: number;
      readonly ok: boolean;
      readonly message: string;
      readonly expected?: string;
      readonly actual?: string;
      /** For a table expectation: the expected and actual rows (masked). */
      readonly table?: TableComparison;
      readonly attempts: number;
      readonly durationMs: number;
    }
  | {
      readonly type: "gate";
      readonly at: string;
      readonly step: string;
      readonly kind: GateKind;
      readonly prompt: string;
      readonly answer: GateAnswer;
      readonly by: "operator" | "auto";
      readonly user: string;
    }
  /** How a step attempt ended: engine/model's StepEnd, the same facts the step-end event carries. */
  | ({
      readonly type: "step-end";
      readonly at: string;
      readonly step: string;
    } & StepEnd)
  | {
      readonly type: "run-end";
      readonly at: string;
      readonly status: RunStatus;
      readonly exitCode: number;
      readonly message: string;
      readonly durationMs?: number;
      /** The steps skipped unproven (absent when none, and in journals from before it was recorded). */
      readonly unproven?: readonly string[];
    };

export type RunEntry = Extract<JournalEntry, { type: "run" }>;
