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
 * create, fill or delete that real directory. A relative default counts too:
 * a rehearsal, like a run, resolves it where runbook was started (or at the
 * block's `cwd=`), not in the sandbox — unless the writing block's `cwd=` is
 * in the sandbox or scratch space. Reported at the param, naming the first
 * write.
 */
export const rehearsalPath: LintRule = {
  id: "rehearsal-path",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const param of ctx.runbook.params) {
      if (param.rehearsal !== undefined || param.default === undefined)
        continue;
      const kind = pathKind(param.default);
      if (kind === undefined) continue;
      const write = firstWrite(ctx, param.name, kind);
      if (!write) continue;
      const where =
        kind === "relative"
          ? "a relative path: a rehearsal resolves it where runbook is started, outside the rehearsal's sandbox"
          : "outside the rehearsal's sandbox";
      out.push(
        diagnostic(
          param.at,
          "warning",
          "rehearsal-path",
          `param "${param.name}" defaults to ${param.default}, ${where}, and a rehearsal would write there (line ${write.line}: ${write.what}): ` +
            `give it a rehearsal value, like rehearsal: \${RUNBOOK_SANDBOX_DIR}/${suggestedDir(param)}, or mark the writing block {only=live}`,
        ),
      );
    }
    return out;
  },
};

/**
 * Where a default points, if it is a path outside the sandbox: an absolute or
 * home path that is not scratch space, or a relative path (`.`, `./…`,
 * `../…`, or words with a `/`). A bare word (`app`) is taken for a name.
 */
function pathKind(value: string): "absolute" | "relative" | undefined {
  if (value.includes("RUNBOOK_SANDBOX_DIR")) return undefined;
  if (/^(?:\/|~\/|~$|\$HOME\b|\$\{HOME\})/.test(value))
    return scratch(value) ? undefined : "absolute";
  if (/^[$~]|:\/\//.test(value)) return undefined;
  return /^\.\.?(?:\/|$)/.test(value) || value.includes("/")
    ? "relative"
    : undefined;
}

/** Scratch space a rehearsal may write to: the temporary folders and devices. */
function scratch(value: string): boolean {
  return /^\/(?:tmp|var\/tmp|dev|proc)(?:\/|$)/.test(value);
}

/** A block's `cwd=` in the sandbox or scratch space: a relative path written there stays out of the operator's folders. */
function cwdInSandbox(cwd: string | undefined): boolean {
  return (
    cwd !== undefined && (cwd.includes("RUNBOOK_SANDBOX_DIR") || scratch(cwd))
  );
}

function suggestedDir(param: Param): string {
  const last = param.default?.replace(/\/+$/, "").split("/").pop() ?? "";
  return /^[\w.-]+$/.test(last) && !/^\.+$/.test(last) ? last : param.name;
}

interface Write {
  readonly line: number;
  readonly what: string;
}

function firstWrite(
  ctx: LintContext,
  name: string,
  kind: "absolute" | "relative",
): Write | undefined {
  // A relative path written by a block whose cwd= is in the sandbox lands there.
  const lands = (cwd: string | undefined): boolean =>
    kind === "absolute" || !cwdInSandbox(cwd);
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
        lands(action.options.cwd) &&
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
      origin.action.options.only === "live" ||
      !lands(origin.action.options.cwd)
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
