import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { unsharedVariables } from "../shared-variables.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * A variable set in one block and used in a later one (a page written for one
 * terminal session): each block runs in a shell of its own, so the later block
 * sees it empty, or stops under `set -u`. The fix is `capture=`.
 */
export const variableNotShared: LintRule = {
  id: "variable-not-shared",
  check(ctx: LintContext): Diagnostic[] {
    return unsharedVariables(ctx).map((v) =>
      diagnostic(
        v.at,
        "warning",
        "variable-not-shared",
        `${v.name} is set here and used by a later block (line ${v.use.line}), but each block runs in a shell of its own, so that block will not see it: ` +
          `print the value in this block and add {capture=${v.name}} to it (later blocks then get $${v.name}), or declare a param for a value known before the run`,
      ),
    );
  },
};
