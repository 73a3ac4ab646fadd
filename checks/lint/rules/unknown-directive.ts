import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import { RUNBOOK_DIRECTIVES } from "../../../engine/parse/index.js";
import { suggest } from "../suggest.js";
import type { LintContext, LintRule } from "../types.js";

/** Containers that documentation sites render (VitePress, Docusaurus) beside the admonitions the parser knows. */
const DOC_CONTAINERS = new Set([
  "details",
  "code-group",
  "tabs",
  "tab",
  "raw",
  "v-pre",
]);

/**
 * A `::name` or `:::name` directive runbook does not know. Most are another
 * tool's (a warning: the runbook still reads well on GitHub); one that looks
 * like a typo of ours (`::confrim`) is an error, because the gate or check
 * the author meant will silently not happen.
 */
export const unknownDirective: LintRule = {
  id: "unknown-directive",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const use of ctx.runbook.directives) {
      if (
        use.known ||
        use.type === "textDirective" ||
        DOC_CONTAINERS.has(use.name)
      )
        continue;
      const meant = suggest(use.name, RUNBOOK_DIRECTIVES);
      const written = `${use.type === "containerDirective" ? ":::" : "::"}${use.name}`;
      out.push(
        meant
          ? diagnostic(
              use.at,
              "error",
              "unknown-directive",
              `unknown directive ${written}: did you mean ::${meant}? As written it is ignored`,
            )
          : diagnostic(
              use.at,
              "warning",
              "unknown-directive",
              `unknown directive ${written}: runbook ignores it (known: ${[...RUNBOOK_DIRECTIVES].join(", ")})`,
            ),
      );
    }
    return out;
  },
};
