import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { unsharedVariables } from "../shared-variables.js";
import type { LintContext, LintRule, Snippet } from "../types.js";

/**
 * A `sh`/`bash` block that only sets shell variables (`DB_HOST=localhost`,
 * `PIDFile=/run/x.pid`): as a step it does nothing, since the variables are
 * gone when the block ends. It is nearly always a configuration file (an
 * `.env`, a systemd unit) labelled as shell. One warning per block, in place
 * of shellcheck's "appears unused" (SC2034) on every line.
 */
export const assignmentsOnly: LintRule = {
  id: "assignments-only",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    // A block whose values later blocks use is a session's setup: variable-not-shared says what to do.
    const handedOn = new Set(unsharedVariables(ctx).map((v) => v.snippet.id));
    for (const snippet of ctx.snippets) {
      if (
        !isAssignmentsOnly(ctx, snippet) ||
        snippet.origin.kind !== "action" ||
        handedOn.has(snippet.id)
      )
        continue;
      const names = ctx
        .shell(snippet)
        .commands.flatMap((c) =>
          c.assignments.map((a) => a.text.replace(/=.*$/s, "")),
        );
      const shown = `${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}`;
      const first = ctx.shell(snippet).commands[0]?.assignments[0];
      out.push(
        diagnostic(
          snippet.locate(first?.line ?? 1, first?.column ?? 1),
          "warning",
          "assignments-only",
          `this block only sets shell variables (${shown}), which are gone when it ends, so as a step it does nothing: ` +
            "if it is a file's contents (an .env file, a unit), write it with {file=PATH} or show it as ```ini; to hand a value to later steps, use capture= or a param",
        ),
      );
    }
    return out;
  },
};

/** Every command of a shell action's code is a bare `NAME=value` (no command word, no export). */
export function isAssignmentsOnly(ctx: LintContext, snippet: Snippet): boolean {
  if (
    snippet.language !== "shell" ||
    snippet.origin.kind !== "action" ||
    snippet.origin.action.kind !== "sh" ||
    snippet.session
  )
    return false;
  const { commands } = ctx.shell(snippet);
  return (
    commands.length > 0 &&
    commands.every(
      (c) =>
        c.words.length === 0 &&
        c.assignments.length > 0 &&
        c.redirects.length === 0,
    )
  );
}
