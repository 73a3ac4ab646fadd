import type { ActionKind } from '../model/action.js';
import type { Check } from '../model/check.js';

/** A step's outcome state (ARCHITECTURE: pending|running|done|failed|skipped|unknown). */
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'unknown';

export interface RunStepInfo {
  readonly id: string;
  readonly title: string;
  /** State when the run (or resume) starts: done/skipped steps of a resumed run are shown as such. */
  readonly state: StepState;
  /** The step is outside --from/--to/--only: it is shown but not run. */
  readonly selected: boolean;
}

export interface CheckOutcome {
  readonly ok: boolean;
  /** What was expected, in words or as a value. */
  readonly expected?: string;
  /** What was found (masked). */
  readonly actual?: string;
  /** Expected and actual result sets for table expectations. */
  readonly table?: { readonly columns: readonly string[]; readonly expected: readonly (readonly string[])[]; readonly actual: readonly (readonly string[])[] };
  /** One line: why it failed, or what passed. */
  readonly message: string;
  readonly attempts: number;
  readonly durationMs: number;
}

/** Everything the engine tells reporters, in order. All text is already masked. */
export type RunEvent =
  | { readonly type: 'run-start'; readonly runId: string; readonly title: string; readonly file: string; readonly mode: 'live' | 'rehearsal'; readonly steps: readonly RunStepInfo[]; readonly resumed: boolean; readonly stateDir: string }
  | { readonly type: 'step-start'; readonly stepId: string; readonly index: number; readonly total: number; readonly attempt: number }
  | { readonly type: 'action-start'; readonly stepId: string; readonly index: number; readonly kind: ActionKind; readonly code: string; readonly target?: string; readonly attempt: number }
  | { readonly type: 'output'; readonly stepId: string; readonly stream: 'stdout' | 'stderr' | 'info'; readonly text: string }
  | { readonly type: 'action-end'; readonly stepId: string; readonly index: number; readonly ok: boolean; readonly exitCode?: number; readonly durationMs: number; readonly message?: string; readonly skipped?: string }
  | { readonly type: 'check-start'; readonly stepId: string; readonly index: number; readonly kind: Check['kind']; readonly code: string; readonly waitMs?: number }
  | { readonly type: 'check-end'; readonly stepId: string; readonly index: number; readonly outcome: CheckOutcome }
  | { readonly type: 'gate'; readonly stepId: string; readonly kind: GateKind; readonly prompt: string; readonly answer: GateAnswer; readonly by: 'operator' | 'auto' }
  | { readonly type: 'capture'; readonly stepId: string; readonly name: string; readonly value: string }
  | { readonly type: 'step-end'; readonly stepId: string; readonly state: 'done' | 'failed' | 'skipped'; readonly durationMs: number; readonly message?: string; readonly assumed?: boolean }
  | { readonly type: 'notice'; readonly level: 'info' | 'warning' | 'error'; readonly message: string }
  | { readonly type: 'run-end'; readonly status: RunStatus; readonly exitCode: number; readonly durationMs: number; readonly message: string; readonly resumeHint?: string };

export type GateKind = 'step' | 'confirm' | 'typed' | 'manual' | 'block';
export type GateAnswer = 'yes' | 'no' | 'done' | 'skip' | 'quit';

/** How a run ended: done; failed (a step failed); stopped (quit, or a gate under --yes); interrupted (Ctrl-C). */
export type RunStatus = 'done' | 'failed' | 'stopped' | 'interrupted';

type HookName<T extends string> = T extends `${infer A}-${infer B}` ? `${A}${Capitalize<HookName<B>>}` : T;
type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/**
 * A reporter implements the hooks it cares about (like Vitest's Reporter):
 * `onRunStart`, `onStepStart`, `onActionStart`, `onOutput`, `onActionEnd`,
 * `onCheckStart`, `onCheckEnd`, `onGate`, `onCapture`, `onStepEnd`, `onNotice`, `onRunEnd`.
 */
export type Reporter = {
  [T in RunEvent['type'] as `on${Capitalize<HookName<T>>}`]?: (event: EventOf<T>) => void;
} & {
  /**
   * While the reporter's output is saturated (a slow pipe), a promise that
   * resolves when it can take more: the engine stops reading the step's
   * output until then, so memory stays bounded however much a step prints.
   */
  readonly drained?: () => Promise<void> | undefined;
};

/** The first reporter's pending drain, if any. */
export function reportersDrained(reporters: readonly Reporter[]): Promise<void> | undefined {
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
    const fn = (reporter as Record<string, ((e: RunEvent) => void) | undefined>)[hook];
    if (fn) fn.call(reporter, event);
  }
}
