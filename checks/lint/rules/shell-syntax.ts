import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import type { LintContext, LintRule, Snippet } from "../types.js";

/**
 * Shell that `bash -n` rejects (or warns about, like an unterminated
 * here-document), at the line inside the block, check or console session.
 */
export const shellSyntax: LintRule = {
  id: "shell-syntax",
  needsTools: true,
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      for (const finding of ctx.tools.get(snippet.id) ?? []) {
        if (finding.tool !== "bash") continue;
        const lines = snippet.code.split("\n");
        const past = finding.line > lines.length;
        // An unterminated here-document is reported where the text ends; point at where it starts.
        const heredoc = /^here-document at line (\d+)/.exec(finding.message);
        const line = Math.min(
          heredoc ? Number(heredoc[1]) : finding.line,
          lines.length,
        );
        const column = Math.max((lines[line - 1] ?? "").search(/\S/), 0) + 1;
        const message =
          past && /unexpected end of file/.test(finding.message)
            ? "unexpected end of the code: an if, loop, case, quote, brace or parenthesis is not closed"
            : finding.message;
        out.push(
          diagnostic(
            snippet.locate(line, column),
            finding.severity,
            "shell-syntax",
            `shell syntax (bash -n): ${message}`,
          ),
        );
      }
    }
    return out;
  },
};

/** Whether bash -n found a syntax error in the snippet (shellcheck's parse errors would repeat it). */
export function hasShellSyntaxError(
  ctx: LintContext,
  snippet: Snippet,
): boolean {
  return (ctx.tools.get(snippet.id) ?? []).some(
    (f) => f.tool === "bash" && f.severity === "error",
  );
}
