import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import type { LintContext, LintRule } from "../types.js";
import { variableUses, type VariableUse } from "../variable-uses.js";

/**
 * The sentinel last write (SPEC 1.4) proves something only when it is both
 * written (used by an action: `:'last_write'` in SQL, `"$last_write"` in
 * shell, `${last_write}` in a file block) and verified (used by a check:
 * `expect="${last_write}"`, or in its SQL or shell), and verified after it
 * is written in execution order. A sentinel nothing uses is a warning.
 */
export const sentinels: LintRule = {
  id: "sentinel",
  check(ctx: LintContext): Diagnostic[] {
    if (ctx.runbook.sentinels.length === 0) return [];
    const names = new Set(ctx.runbook.sentinels.map((s) => s.name));
    const uses = new Map<string, VariableUse[]>();
    for (const use of variableUses(ctx)) {
      if (!names.has(use.name)) continue;
      const list = uses.get(use.name) ?? [];
      list.push(use);
      uses.set(use.name, list);
    }
    const position = (use: VariableUse): number =>
      ctx.known.order.get(use.step.id) ?? use.step.index;
    const out: Diagnostic[] = [];
    for (const sentinel of ctx.runbook.sentinels) {
      const all = uses.get(sentinel.name) ?? [];
      const writes = all.filter((u) => u.by === "action");
      const checks = all.filter((u) => u.by === "check");
      const name = `sentinel "${sentinel.name}"`;
      if (writes.length === 0 && checks.length === 0) {
        out.push(
          diagnostic(
            sentinel.at,
            "warning",
            "sentinel-unused",
            `${name} is never used: write it in a step (:'${sentinel.name}' in SQL, "$${sentinel.name}" in shell) and verify it with a check (expect="\${${sentinel.name}}")`,
          ),
        );
      } else if (checks.length === 0) {
        out.push(
          diagnostic(
            sentinel.at,
            "error",
            "sentinel-not-verified",
            `${name} is written (line ${writes[0]?.at.line}) but no check verifies it: add a check with expect="\${${sentinel.name}}" where the write must arrive`,
          ),
        );
      } else if (writes.length === 0) {
        out.push(
          diagnostic(
            sentinel.at,
            "error",
            "sentinel-not-written",
            `${name} is verified (line ${checks[0]?.at.line}) but no step writes it, so the check cannot pass: write it with :'${sentinel.name}' in SQL or "$${sentinel.name}" in shell`,
          ),
        );
      } else {
        const firstWrite = Math.min(...writes.map(position));
        const early = checks.filter((c) => position(c) < firstWrite);
        if (early.length === checks.length) {
          const check = early[0] as VariableUse;
          out.push(
            diagnostic(
              check.at,
              "error",
              "sentinel-order",
              `${name} is verified in step "${check.step.id}", which runs before any step writes it: verify it after the write`,
            ),
          );
        }
      }
    }
    return out;
  },
};
