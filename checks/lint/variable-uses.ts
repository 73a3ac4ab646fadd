import {
  isCodeAction,
  type SourceLocation,
  type Step,
} from "../../engine/model/index.js";
import type { LintContext } from "./types.js";

/** One use of a runbook variable by an action (a write) or a check (a verification). */
export interface VariableUse {
  readonly name: string;
  readonly at: SourceLocation;
  readonly step: Step;
  readonly by: "action" | "check";
}

/**
 * Every use of a variable in the runbook's actions and checks: `${name}` in
 * attributes and file blocks, psql variables in SQL, and `$name` in shell
 * code (params, captures and sentinels reach shell as environment
 * variables). Gates and manual steps only show text, so they are not uses.
 */
export function variableUses(ctx: LintContext): readonly VariableUse[] {
  let out = computed.get(ctx);
  if (!out) {
    out = collect(ctx);
    computed.set(ctx, out);
  }
  return out;
}

/** Several rules ask; the uses are collected once per runbook. */
const computed = new WeakMap<LintContext, VariableUse[]>();

function collect(ctx: LintContext): VariableUse[] {
  const out: VariableUse[] = [];
  for (const step of ctx.runbook.steps) {
    for (const action of step.actions) {
      if (!isCodeAction(action)) continue;
      for (const ref of action.refs)
        out.push({ name: ref.name, at: ref.at, step, by: "action" });
    }
    for (const check of step.checks)
      for (const ref of check.refs)
        out.push({ name: ref.name, at: ref.at, step, by: "check" });
  }
  for (const snippet of ctx.snippets) {
    if (snippet.language !== "shell") continue;
    const by = snippet.origin.kind === "check" ? "check" : "action";
    for (const use of ctx.shell(snippet).variables)
      out.push({
        name: use.name,
        at: snippet.locate(use.line, use.column),
        step: snippet.step,
        by,
      });
  }
  return out;
}
