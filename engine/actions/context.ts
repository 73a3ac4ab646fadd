import type { Step } from "../model/index.js";
import type { Connections } from "./connections.js";

/** What an action needs from the run; the run loop builds one per action. */
export interface ActionContext {
  readonly step: Step;
  readonly mode: "live" | "rehearsal";
  /** Where `runbook` was started: the default working directory. */
  readonly cwd: string;
  /** Environment for child processes: the caller's, plus params, captures, sentinels and RUNBOOK_*. */
  readonly env: Readonly<Record<string, string>>;
  /** Values for `${name}` and psql variables: params, captures, sentinels. */
  readonly vars: ReadonlyMap<string, string>;
  /** Every value to mask. */
  readonly secrets: readonly string[];
  /** The process runs as root (user= uses runuser, else sudo -n). */
  readonly isRoot: boolean;
  /** Resolves a host name to its ssh target. */
  readonly host: (name: string) => string;
  readonly connections: Connections;
  /** Output of the action, as it arrives; process output is masked already, in-process text must pass through `redact`. */
  readonly output: (stream: "stdout" | "stderr" | "info", text: string) => void;
  /** Set while the output sink is saturated: a producer should stop reading until it resolves. */
  readonly backpressure?: () => Promise<void> | undefined;
  /** Masks every secret in text the engine produced itself (result sets, diffs, messages). */
  readonly redact: (text: string) => string;
  readonly signal: AbortSignal;
  /** Told the process group id of every process the action starts, as soon as it runs (the engine journals it). */
  readonly onProcessGroup?: (pgid: number) => void;
}

/** How an action ran (every producer builds one of these; failure wording comes from failure-message.ts). */
export type ActionResult = (
  | {
      readonly kind: "ok";
      /** The process's exit status, for a process-backed action. */
      readonly exitCode?: number;
      /** The value for `capture=`, when the action has one. */
      readonly captured?: string;
    }
  /** It ran and failed, or could not start: the step fails (after `retry=`). */
  | {
      readonly kind: "failed";
      /** Why, one line, masked. */
      readonly message: string;
      readonly exitCode?: number;
    }
  /** Ctrl-C (or a quit) stopped it: never retried. */
  | {
      readonly kind: "interrupted";
      /** What was stopped, one line, masked. */
      readonly message: string;
      readonly exitCode?: number;
    }
) & { readonly durationMs: number };

/** `${name}` lookup over the run's variables, then the environment. */
export function lookupVar(
  ctx: Pick<ActionContext, "vars" | "env">,
): (name: string) => string | undefined {
  return (name) => ctx.vars.get(name) ?? ctx.env[name];
}
