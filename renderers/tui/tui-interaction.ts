import type { Interaction, GateRequest } from '../../engine/run/index.js';
import type { TuiStore } from './tui-store.js';

export interface TuiInteractionOptions {
  /** Unmounts the UI so an `interactive` block gets the terminal. */
  readonly stepAside?: () => Promise<void>;
  /** Mounts the UI again afterwards. */
  readonly comeBack?: () => Promise<void>;
}

/**
 * The operator's decisions, asked on screen: every method shows a prompt in
 * the store and resolves with what the key handler answers.
 */
export function tuiInteraction(store: TuiStore, options: TuiInteractionOptions = {}): Interaction & Required<Pick<Interaction, 'beforeInteractive' | 'afterInteractive'>> {
  let asked = 0;
  return {
    interactive: true,
    confirmStep: async (step) => (await store.ask({ kind: 'step', step })) as 'run' | 'skip' | 'quit',
    gate: async (request) => (await store.ask({ kind: 'gate', step: request.step, request }, gateIndex(store, request))) as 'yes' | 'no' | 'quit',
    manual: async (step, action) => (await store.ask({ kind: 'manual', step, action }, step.actions.indexOf(action))) as 'done' | 'skip' | 'quit',
    failed: async (step, message, interrupted) => (await store.ask({ kind: 'failed', step, message, interrupted })) as 'retry' | 'skip' | 'quit',
    askParam: async (param) => {
      const missing = store.runbook.params.filter((p) => p === param || !store.getSnapshot().values.has(p.name)).length;
      asked++;
      return store.ask({ kind: 'param', param, position: asked, count: Math.max(asked, asked - 1 + missing) });
    },
    unknownState: async (step) => (await store.ask({ kind: 'unknown', step })) as 'rerun' | 'done' | 'abort',
    changedSteps: async (steps) => (await store.ask({ kind: 'changed', steps })) === 'yes',
    beforeInteractive: async () => {
      store.setSuspended(true);
      await options.stepAside?.();
    },
    afterInteractive: async () => {
      store.setSuspended(false);
      await options.comeBack?.();
    },
  };
}

/** The action a gate is about: its `::confirm`, or the next `confirm` block that has not run yet. */
function gateIndex(store: TuiStore, request: GateRequest): number | undefined {
  const { step } = request;
  if (request.action) return step.actions.indexOf(request.action);
  return store.firstUnstarted(step.id, (a) => 'options' in a && a.options.confirm);
}
