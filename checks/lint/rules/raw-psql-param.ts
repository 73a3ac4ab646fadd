import {
  diagnostic,
  type Diagnostic,
  type VarRef,
} from "../../../engine/model/index.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * A param used as raw psql text (`:name`) without `raw: true` (SPEC 1.3):
 * its value is pasted into the SQL as is, so a quote in it breaks the
 * statement or changes what it does. `:'name'` (a literal) and `:"name"`
 * (an identifier) keep values as data. Arguments of psql meta-commands
 * (`\c :dbname`) are psql's own business and are not reported.
 */
export const rawPsqlParam: LintRule = {
  id: "raw-psql-param",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    const params = new Map(ctx.runbook.params.map((p) => [p.name, p]));
    for (const snippet of ctx.snippets) {
      if (snippet.language === "shell") continue;
      const refs: readonly VarRef[] =
        snippet.origin.kind === "action"
          ? snippet.origin.action.refs
          : snippet.origin.check.refs;
      const metaLines = new Set(
        ctx
          .sql(snippet)
          .metaCommands.map((m) => snippet.locate(m.line, 1).line),
      );
      for (const ref of refs) {
        const param = params.get(ref.name);
        if (
          ref.syntax !== "psql-raw" ||
          !param ||
          param.raw ||
          metaLines.has(ref.at.line)
        )
          continue;
        out.push(
          diagnostic(
            ref.at,
            "warning",
            "raw-psql-param",
            `:${ref.name} pastes param "${ref.name}" into the SQL as raw text: write :'${ref.name}' for a value or :"${ref.name}" for a name, or declare the param raw: true`,
          ),
        );
      }
    }
    return out;
  },
};
