import type { Diagnostic } from "../../engine/model/index.js";

const COMMAND = { error: "error", warning: "warning", info: "notice" } as const;

/**
 * GitHub Actions workflow commands, one per problem, so that each shows as
 * an annotation on the pull request's diff:
 * `::error file=F,line=L,col=C,title=RULE::MESSAGE`.
 */
export function renderGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map(
      (d) =>
        `::${COMMAND[d.severity]} file=${property(d.file)},line=${d.line},col=${d.column},title=${property(`runbook lint: ${d.rule}`)}::${data(d.message)}\n`,
    )
    .join("");
}

/** The escaping of a command's message (actions/toolkit `escapeData`). */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** The escaping of a command's property value (actions/toolkit `escapeProperty`). */
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
