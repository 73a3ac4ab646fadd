import {
  isCodeAction,
  type Step,
  interpolate,
} from "../../engine/model/index.js";
import type { DisplayValue, LeadGate } from "./tui-state.js";

export interface LeadGateContext {
  readonly values: ReadonlyMap<string, DisplayValue>;
  readonly mask: (text: string) => string;
  readonly mode: "live" | "rehearsal";
}

/**
 * The gate a step opens with, when nothing of the step runs before it: a
 * `::confirm` (yes/no or typed), a `::manual`, or a first code block marked
 * `confirm`. Its question is asked instead of "Run step N?", so a gated step
 * asks once (SPEC 4). A gate that comes after code is not one: it confirms
 * what that code did, so it is asked when the step reaches it. Undefined too
 * when its text names a value the UI cannot know exactly (a secret, a
 * capture that holds one): the engine's own question is then asked.
 */
export function leadGateOf(
  step: Step,
  ctx: LeadGateContext,
): LeadGate | undefined {
  const first = step.actions[0];
  if (!first) return undefined;
  switch (first.kind) {
    case "manual":
      return { index: 0, kind: "manual", prompt: ctx.mask(first.text) };
    case "confirm": {
      const lookup = (name: string): string | undefined => {
        const v = ctx.values.get(name);
        return v && !v.secret && v.value !== undefined ? v.value : undefined;
      };
      const prompt = interpolate(first.prompt, lookup);
      if (prompt.missing.length > 0) return undefined;
      if (first.typed === undefined)
        return { index: 0, kind: "confirm", prompt: ctx.mask(prompt.text) };
      const typed = interpolate(first.typed, lookup);
      if (typed.missing.length > 0) return undefined;
      return {
        index: 0,
        kind: "typed",
        prompt: ctx.mask(prompt.text),
        typed: typed.text,
      };
    }
    default:
      if (
        isCodeAction(first) &&
        first.options.confirm &&
        (first.options.only === undefined || first.options.only === ctx.mode)
      ) {
        return {
          index: 0,
          kind: "block",
          prompt: `Run this ${first.kind === "sh" ? first.shell : first.kind} block? It is marked confirm.`,
        };
      }
      return undefined;
  }
}
