import type {
  Interaction,
  GateRequest,
  StepDecision,
} from "../../engine/run/index.js";
import type { TuiStore } from "./tui-store.js";

export interface TuiInteractionOptions {
  /** Unmounts the UI so an `interactive` block gets the terminal. */
  readonly stepAside?: () => Promise<void>;
  /** Mounts the UI again afterwards. */
  readonly comeBack?: () => Promise<void>;
}

/**
 * The operator's decisions, asked on screen: every method shows a prompt in
 * the store and resolves with what the key handler answers.
 *
 * One question per step (SPEC 4): a step that opens with a gate asks the
 * gate's question instead of "Run step N?", and when the engine then asks
 * that gate, the answer already given is used. After `c`, ordinary steps are
 * not asked about; gates, manual steps and `confirm` blocks still are.
 */
export function tuiInteraction(
  store: TuiStore,
  options: TuiInteractionOptions = {},
): Interaction &
  Required<Pick<Interaction, "beforeInteractive" | "afterInteractive">> {
  let asked = 0;
  let total: number | undefined;
  return {
    interactive: true,
    confirmStep: async (step) => {
      const lead = store.leadGate(step);
      if (!lead) {
        if (store.continuing) return "run";
        return (await store.ask({ kind: "step", step })) as StepDecision;
      }
      const answer = await store.ask({ kind: "step", step, lead });
      if (answer === "skip" || answer === "quit") return answer;
      // yes / done / no: the engine asks the gate when the step starts, and gets this answer (a no stops the run there, journaled).
      store.preanswer(step.id, {
        index: lead.index,
        answer,
        ...(lead.typed !== undefined ? { typed: lead.typed } : {}),
      });
      return "run";
    },
    gate: async (request) => {
      const index = gateIndex(store, request);
      const given = store.takePreanswer(
        request.step.id,
        index,
        request.kind === "typed" ? request.typed : undefined,
      );
      if (given === "yes" || given === "no") return given;
      return (await store.ask(
        { kind: "gate", step: request.step, request },
        index,
      )) as "yes" | "no" | "quit";
    },
    manual: async (step, action) => {
      const index = step.actions.indexOf(action);
      if (store.takePreanswer(step.id, index, undefined) === "done")
        return "done";
      return (await store.ask({ kind: "manual", step, action }, index)) as
        "done" | "skip" | "quit";
    },
    failed: async (step, message, interrupted) =>
      (await store.ask({ kind: "failed", step, message, interrupted })) as
        "retry" | "skip" | "quit",
    askParam: async (param) => {
      // The count is fixed at the first question: "Param 1 of 2", then "Param 2 of 2".
      total ??= store.runbook.params.filter(
        (p) =>
          p === param ||
          store.getSnapshot().values.get(p.name)?.value === undefined,
      ).length;
      asked++;
      return store.ask({
        kind: "param",
        param,
        position: asked,
        count: Math.max(asked, total),
      });
    },
    unknownState: async (step, details) =>
      (await store.ask({ kind: "unknown", step, log: details.log })) as
        "rerun" | "done" | "abort",
    reread: (steps) => store.reread(steps),
    changedSteps: async (steps) =>
      (await store.ask({ kind: "changed", steps })) === "yes",
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
  if (request.kind !== "block") return step.actions.indexOf(request.action);
  return store.firstUnstarted(
    step.id,
    (a) => "options" in a && a.options.confirm,
  );
}
