import type { CodeAction, Step } from "../../engine/model/index.js";

/**
 * Whether the operator is asked before `action` runs: the block has
 * `confirm`, or a `::confirm` gate comes before it in its step. A block that
 * only runs in a rehearsal (`only=rehearsal`) touches throwaway clusters.
 */
export function isConfirmed(step: Step, action: CodeAction): boolean {
  if (action.options.confirm || action.options.only === "rehearsal")
    return true;
  const index = step.actions.indexOf(action);
  return step.actions
    .slice(0, Math.max(index, 0))
    .some((a) => a.kind === "confirm");
}

/** The fix, said the same way by every destructive-statement rule. */
export const CONFIRM_FIX =
  'add {confirm} to the block or a ::confirm{type="…"} gate before it';
