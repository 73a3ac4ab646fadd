import { diffArrays } from "diff";
import type { RunState } from "../journal/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { Runbook } from "../model/index.js";

/**
 * SPEC 1.2 and 2: the journal keys every step by its id, and an id derived
 * from a heading is deduplicated across the document like GitHub's
 * (`check`, `check-1`), so a heading added, removed or renamed before it
 * shifts it. On resume, a step the journal has a state for must still be
 * the step with that id; when its text now sits under another id, resuming
 * would count one step's work as another's (a completed step never runs
 * again, so the step it is mapped onto never runs at all).
 *
 * The journal holds each step's id and the hash of its text in document
 * order. The two lists of hashes are aligned (a longest common subsequence,
 * as `diff` does for lines); a recorded step whose text is aligned with a
 * step of another id has moved. A step whose text changed is not aligned
 * with anything: that is resume's "changed since" question, not this.
 * Returns one error per moved step, at the step's heading now.
 */
export function movedSteps(state: RunState, runbook: Runbook): Diagnostic[] {
  const before = state.run.steps;
  const now = runbook.steps;
  const recorded = (id: string): boolean => {
    const s = state.steps.get(id)?.state;
    return s !== undefined && s !== "pending";
  };
  // The common case: nothing the journal recorded has moved or changed.
  const byId = new Map(now.map((s) => [s.id, s.hash]));
  if (
    before.every((s) => !recorded(s.id) || byId.get(s.id) === s.hash) &&
    before.length === now.length &&
    before.every((s, i) => now[i]?.hash === s.hash)
  )
    return [];

  const out: Diagnostic[] = [];
  let i = 0;
  let j = 0;
  for (const change of diffArrays(
    before.map((s) => s.hash),
    now.map((s) => s.hash),
  )) {
    const count = change.value.length;
    if (change.removed) i += count;
    else if (change.added) j += count;
    else {
      for (let k = 0; k < count; k++) {
        const was = before[i + k];
        const is = now[j + k];
        if (!was || !is || was.id === is.id || !recorded(was.id)) continue;
        const state_ = state.steps.get(was.id)?.state ?? "pending";
        out.push(
          diagnostic(
            is.at,
            "error",
            "step-id-moved",
            `the step "${is.title}" was "${was.id}" (${state_}) when run ${state.run.runId} started and is now "${is.id}": a heading was added, removed or renamed before it, and resuming would count its state for another step. Pin its id with ::step{#${was.id}} (and give a new step with the same heading its own ::step{#id}), or start a new run`,
          ),
        );
      }
      i += count;
      j += count;
    }
  }
  return out;
}
