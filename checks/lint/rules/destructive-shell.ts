import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { CONFIRM_FIX, isConfirmed } from "../confirmation.js";
import { destructiveCommands } from "../shell-destructive.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * `rm -rf`, `dropdb`, stopping PostgreSQL, `pg_restore --clean` and the like
 * in a shell block or console session that runs without asking first,
 * recognised from the command words (see shell-destructive.ts).
 */
export const destructiveShell: LintRule = {
  id: "destructive-shell",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      const { origin } = snippet;
      if (
        snippet.language !== "shell" ||
        origin.kind !== "action" ||
        isConfirmed(snippet.step, origin.action)
      )
        continue;
      for (const found of destructiveCommands(ctx.shell(snippet).commands)) {
        out.push(
          diagnostic(
            snippet.locate(found.at.line, found.at.column),
            "error",
            "destructive-shell",
            `${found.what} in step "${snippet.step.id}", which runs without asking: ${CONFIRM_FIX}`,
          ),
        );
      }
    }
    return out;
  },
};
