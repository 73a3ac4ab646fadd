import type { Check, CodeAction, Step } from "../../engine/model/index.js";
import { isCodeAction } from "../../engine/model/index.js";
import type { CheckOutcome, RunStatus } from "../../engine/run/index.js";
import { uses, verifies } from "../run-proof.js";
import type { ActionRun, CurrentStep, TuiSnapshot } from "./tui-store.js";

/** The four words a run can end with (SPEC 2: the outcome is honest). */
export type OutcomeWord = "done" | "incomplete" | "failed" | "stopped";

/**
 * The word for the engine's run-end status (SPEC 2: the engine decides the
 * honest outcome, with the steps skipped unproven; the UI only says it): an
 * interrupted run reads `stopped`, as a run stopped at a gate does.
 */
export function outcomeWord(status: RunStatus): OutcomeWord {
  return status === "interrupted" ? "stopped" : status;
}

/** One check of the run, with what became of it. */
export interface CheckProof {
  readonly step: Step;
  readonly index: number;
  readonly check: Check;
  readonly outcome?: CheckOutcome;
}

/** Every check of the selected steps, in order, with its outcome when it ran. */
export function checkProofs(snap: TuiSnapshot): CheckProof[] {
  const out: CheckProof[] = [];
  for (const row of snap.steps) {
    if (!row.selected) continue;
    const step = snap.runbook.steps.find((s) => s.id === row.id);
    if (!step) continue;
    const rec = snap.records.get(step.id);
    step.checks.forEach((check, index) => {
      const outcome = rec?.checks.get(index)?.outcome;
      out.push({ step, index, check, ...(outcome ? { outcome } : {}) });
    });
  }
  return out;
}

/** Where a sentinel's token was written and where it was looked for. */
export interface SentinelProof {
  readonly name: string;
  /** The token, when the engine gave it or a check found it. */
  readonly token?: string;
  readonly written: readonly {
    readonly step: Step;
    readonly action: CodeAction;
    readonly run?: ActionRun;
  }[];
  readonly found: readonly CheckProof[];
  /** Some write ran and some check that expects the token passed. */
  readonly proven: boolean;
}

export function sentinelProofs(snap: TuiSnapshot): SentinelProof[] {
  const checks = checkProofs(snap);
  return snap.runbook.sentinels.map((sentinel) => {
    const name = sentinel.name;
    const written: { step: Step; action: CodeAction; run?: ActionRun }[] = [];
    for (const step of snap.runbook.steps) {
      const rec: CurrentStep | undefined = snap.records.get(step.id);
      step.actions.forEach((action, i) => {
        if (!isCodeAction(action) || !uses(action, name)) return;
        const run = rec?.actions.get(i);
        written.push({ step, action, ...(run ? { run } : {}) });
      });
    }
    const found = checks.filter((c) => verifies(c.check, name));
    const passed = found.find(
      (c) =>
        c.outcome?.kind === "pass" &&
        c.check.expectation.expect === `\${${name}}`,
    );
    const token =
      snap.values.get(name)?.value ??
      (passed?.outcome?.kind === "pass" ? passed.outcome.actual : undefined);
    // A check that was not evaluated (only= the other kind of run) proves nothing, as in run-proof.ts.
    const proven =
      written.some((w) => w.run?.state === "ok") &&
      found.some((c) => c.outcome?.kind === "pass");
    return {
      name,
      ...(token !== undefined ? { token } : {}),
      written,
      found,
      proven,
    };
  });
}
