import {
  diagnostic,
  isCodeAction,
  type Diagnostic,
  type SourceLocation,
} from "../../../engine/model/index.js";
import { parseCodeAttributes } from "../../../engine/parse/index.js";
import type { LintContext, LintRule } from "../types.js";

/** The fence, the language and the blanks after it: what comes next is the meta. */
const FENCE = /^(?:`{3,}|~{3,})[ \t]*\S+[ \t]+/;

/**
 * SPEC 1.3: words after an executable block's language that are not an
 * attribute block (```` ```console # drain first ````) are a comment. The
 * run ignores them; the author may have meant an attribute, or prose that
 * GitHub does not show.
 */
export const fenceComment: LintRule = {
  id: "fence-comment",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    const report = (fence: SourceLocation): void => {
      const line = ctx.source
        .line(fence.file, fence.line)
        .slice(fence.column - 1);
      const meta = FENCE.exec(line);
      if (!meta) return;
      const parsed = parseCodeAttributes(line.slice(meta[0].length));
      if (!parsed.ok || !parsed.comment) return;
      const { text, offset } = parsed.comment;
      const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
      out.push(
        diagnostic(
          { ...fence, column: fence.column + meta[0].length + offset },
          "warning",
          "fence-comment",
          `"${shown}" after the language is a comment: runbook ignores it when running (GitHub does not show it either); write attributes in braces ({timeout=5m}) and notes as prose`,
        ),
      );
    };
    for (const step of ctx.runbook.steps) {
      for (const action of step.actions)
        if (isCodeAction(action)) report(action.at);
      for (const check of step.checks)
        if (check.form === "container")
          report({ ...check.codeAt, line: check.codeAt.line - 1 });
    }
    return out;
  },
};
