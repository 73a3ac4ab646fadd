import {
  diagnostic,
  type Diagnostic,
  type Param,
  type SourceLocation,
} from "../../../engine/model/index.js";
import { writeTargets } from "../shell-writes.js";
import type { LintContext, LintRule } from "../types.js";

/**
 * A param whose default is a path outside the sandbox, with no `rehearsal:`
 * value, when a rehearsal would write there (SPEC 5, a warning): a rehearsal
 * runs every block that is not `only=live` on this machine, so it would
 * create, fill or delete that real directory. Reported at the param, naming
 * the first write.
 */
export const rehearsalPath: LintRule = {
  id: "rehearsal-path",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const param of ctx.runbook.params) {
      if (
        param.rehearsal !== undefined ||
        param.default === undefined ||
        !outsideSandbox(param.default)
      )
        continue;
      const write = firstWrite(ctx, param.name);
      if (!write) continue;
      out.push(
        diagnostic(
          param.at,
          "warning",
          "rehearsal-path",
          `param "${param.name}" defaults to ${param.default}, outside the rehearsal's sandbox, and a rehearsal would write there (line ${write.line}: ${write.what}): ` +
            `give it a rehearsal value, like rehearsal: \${RUNBOOK_SANDBOX_DIR}/${suggestedDir(param)}, or mark the writing block {only=live}`,
        ),
      );
    }
    return out;
  },
};

/** An absolute or home path that is not scratch space. */
function outsideSandbox(value: string): boolean {
  if (value.includes("RUNBOOK_SANDBOX_DIR")) return false;
  if (!/^(?:\/|~\/|~$|\$HOME\b|\$\{HOME\})/.test(value)) return false;
  return !/^\/(?:tmp|var\/tmp|dev|proc)(?:\/|$)/.test(value);
}

function suggestedDir(param: Param): string {
  const last = param.default?.replace(/\/+$/, "").split("/").pop() ?? "";
  return /^[\w.-]+$/.test(last) ? last : param.name;
}

interface Write {
  readonly line: number;
  readonly what: string;
}

function firstWrite(ctx: LintContext, name: string): Write | undefined {
  const uses = new RegExp(`\\$(?:${name}(?!\\w)|\\{${name}(?![\\w]))`);
  let first: (Write & { at: SourceLocation }) | undefined;
  const keep = (at: SourceLocation, what: string): void => {
    if (!first || at.line < first.line) first = { at, line: at.line, what };
  };
  for (const step of ctx.runbook.steps) {
    for (const action of step.actions) {
      if (
        action.kind === "file" &&
        action.options.only !== "live" &&
        uses.test(action.path)
      )
        keep(action.at, `file=${action.path}`);
    }
  }
  for (const snippet of ctx.snippets) {
    const { origin } = snippet;
    if (
      snippet.language !== "shell" ||
      origin.kind !== "action" ||
      origin.action.options.only === "live"
    )
      continue;
    for (const command of ctx.shell(snippet).commands) {
      const target = writeTargets(command).find((w) => uses.test(w.text));
      if (!target) continue;
      const redirect = command.redirects.find((r) => r.target === target);
      const text = [
        ...command.words.map((w) => w.text),
        ...(redirect ? [redirect.op, redirect.target.text] : []),
      ].join(" ");
      keep(
        snippet.locate(target.line, target.column),
        text.length > 60 ? `${text.slice(0, 60)}…` : text,
      );
    }
  }
  return first;
}
