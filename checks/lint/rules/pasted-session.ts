import {
  diagnostic,
  type Diagnostic,
  type ShellAction,
  type SourceLocation,
  pluralNoun,
} from "../../../engine/model/index.js";
import type { PromptSession, RootCommentSession } from "../session.js";
import { destructiveCommands } from "../shell-destructive.js";
import { scanShell } from "../shell-scan.js";
import type { LintContext, LintFix, LintRule } from "../types.js";

/**
 * A `sh`/`bash` block that is a pasted terminal session (SPEC 5): `$ `
 * prompts, perhaps with output among the commands, fail at once; commands
 * typed at a root prompt (`# rm -rf …`) are comments and the step "succeeds"
 * doing nothing. One error per block, at its first prompt, with a safe fix
 * where there is one: a session with output becomes a `console` block (which
 * runs each command and expects its output), a session without output loses
 * its prompts. Root prompts are never removed by a fix: that would start
 * running what the page only showed.
 */
export const pastedSession: LintRule = {
  id: "pasted-session",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      const { session, origin } = snippet;
      if (!session || origin.kind !== "action" || origin.action.kind !== "sh")
        continue;
      const action = origin.action;
      if (session.kind === "root-comments") {
        out.push(rootComments(action, session));
        continue;
      }
      const first = session.commandLines[0] ?? 1;
      out.push(
        diagnostic(
          lineAt(action, first),
          "error",
          "pasted-session",
          promptMessage(action, session),
        ),
      );
      const fix =
        session.outputLines.length > 0
          ? toConsole(ctx, action, session)
          : stripPrompts(ctx, action, session);
      if (fix) ctx.fix(fix);
    }
    return out;
  },
};

function promptMessage(action: ShellAction, session: PromptSession): string {
  const runner = action.shell === "sh" ? "/bin/sh" : "bash";
  const lang = `\`\`\`${action.lang}`;
  const fails = `${runner} would run the prompt as a command and fail ("$: not found")`;
  if (session.root) {
    return `this ${lang} block is a terminal session pasted from a root prompt: ${fails}. Remove the prompts${session.outputLines.length > 0 ? " and the output" : ""} and run the block as root ({user=root} or by running runbook as root)`;
  }
  if (session.outputLines.length === 0) {
    return `this ${lang} block is typed at a prompt: ${fails}; remove the "$ " prompts (runbook lint --fix does this)`;
  }
  // Lines of the Markdown file, as an editor shows them.
  const output = session.outputLines.map((l) => action.codeAt.line + l - 1);
  const lines = `${pluralNoun(output.length, "line")} ${output.slice(0, 3).join(", ")}${output.length > 3 ? ", …" : ""}`;
  if (session.multiline) {
    return `this ${lang} block is a pasted terminal session, with output among the commands (${lines}): ${fails}. Remove the prompts and the output (a \`\`\`console block holds one-line commands only)`;
  }
  return `this ${lang} block is a pasted terminal session, with output among the commands (${lines}): ${fails}. Make it a \`\`\`console block, which runs each "$ " command and expects the output shown (runbook lint --fix does this), or remove the prompts and the output`;
}

function rootComments(
  action: ShellAction,
  session: RootCommentSession,
): Diagnostic {
  const first = session.commands[0];
  const script = session.commands.map((c) => c.text).join("\n");
  const destructive = [
    ...new Set(
      destructiveCommands(scanShell(script).commands).map((d) => d.what),
    ),
  ];
  const example = first
    ? ` (\`# ${first.text.length > 40 ? `${first.text.slice(0, 40)}…` : first.text}\`)`
    : "";
  return diagnostic(
    lineAt(action, first?.line ?? 1),
    "error",
    "pasted-session",
    `every line of this \`\`\`${action.lang} block is a comment, so it runs nothing, yet ${session.commands.length === 1 ? "a line reads" : `${session.commands.length} lines read`} as commands typed at a root prompt${example}. ` +
      `To run them, remove the "# "${destructive.length > 0 ? ` and ask first ({confirm}: ${destructive.join(", ")})` : ""}; to only show them, make it a \`\`\`text block`,
  );
}

/** Where line `line` of the block's text starts, in the Markdown. */
function lineAt(action: ShellAction, line: number): SourceLocation {
  return {
    file: action.codeAt.file,
    line: action.codeAt.line + line - 1,
    column: action.codeAt.column,
  };
}

/** ```sh → ```console, other prompts as `$ `: only for one-line commands, which a console block can hold. */
function toConsole(
  ctx: LintContext,
  action: ShellAction,
  session: PromptSession,
): LintFix | undefined {
  if (session.root || session.multiline) return undefined;
  const fence = ctx.source.line(action.at.file, action.at.line);
  const head = /^(\s*(?:`{3,}|~{3,})[ \t]*)(\S+)/.exec(
    fence.slice(action.at.column - 1),
  );
  if (!head?.[1] || head[2]?.toLowerCase() !== action.lang) return undefined;
  const start = action.at.column - 1 + head[1].length;
  const edits = new Map<number, string>([
    [
      action.at.line,
      `${fence.slice(0, start)}console${fence.slice(start + (head[2]?.length ?? 0))}`,
    ],
  ]);
  for (const [i, kind] of session.lines.entries()) {
    if (kind.kind !== "command" || kind.prompt === "$ " || kind.prompt === "$")
      continue;
    const replaced = replacePrompt(ctx, action, i + 1, kind.prompt, "$ ");
    if (replaced === undefined) return undefined;
    edits.set(action.codeAt.line + i, replaced);
  }
  return fixOf(
    ctx,
    action,
    edits,
    `\`\`\`${action.lang} → \`\`\`console: each "$ " line runs as a command and the lines under it are the output the run expects (put ... where output varies)`,
  );
}

/** Removes the prompts (and `> ` continuation prompts) of a session without output. */
function stripPrompts(
  ctx: LintContext,
  action: ShellAction,
  session: PromptSession,
): LintFix | undefined {
  if (session.root) return undefined;
  const edits = new Map<number, string>();
  const commands: string[] = [];
  for (const [i, kind] of session.lines.entries()) {
    if (kind.kind !== "command" && kind.kind !== "continuation") continue;
    if (kind.prompt === "") continue;
    const replaced = replacePrompt(ctx, action, i + 1, kind.prompt, "");
    if (replaced === undefined) return undefined;
    edits.set(action.codeAt.line + i, replaced);
    if (kind.kind === "command")
      commands.push(replaced.slice(action.codeAt.column - 1).trim());
  }
  const shown = commands.filter((c) => c !== "" && !c.startsWith("#"));
  const list = shown
    .slice(0, 3)
    .map((c) => (c.length > 50 ? `${c.slice(0, 50)}…` : c))
    .join("; ");
  return fixOf(
    ctx,
    action,
    edits,
    `prompts removed: the block now runs ${list}${shown.length > 3 ? `; and ${shown.length - 3} more` : ""}`,
  );
}

/** Line `line` of the block in the Markdown with `prompt` (where the block's text starts) replaced by `by`; undefined when it is not there. */
function replacePrompt(
  ctx: LintContext,
  action: ShellAction,
  line: number,
  prompt: string,
  by: string,
): string | undefined {
  const raw = ctx.source.line(
    action.codeAt.file,
    action.codeAt.line + line - 1,
  );
  const at = action.codeAt.column - 1;
  if (raw.slice(at, at + prompt.length) !== prompt) return undefined;
  return raw.slice(0, at) + by + raw.slice(at + prompt.length);
}

/** One fix spanning the fence to the last edited line; `expect` holds the lines as they are now. */
function fixOf(
  ctx: LintContext,
  action: ShellAction,
  edits: ReadonlyMap<number, string>,
  description: string,
): LintFix | undefined {
  if (edits.size === 0) return undefined;
  const lines = [...edits.keys()];
  const line = Math.min(...lines);
  const endLine = Math.max(...lines);
  const expect: string[] = [];
  const text: string[] = [];
  for (let l = line; l <= endLine; l++) {
    const now = ctx.source.line(action.at.file, l);
    expect.push(now);
    text.push(edits.get(l) ?? now);
  }
  return {
    file: action.at.file,
    line,
    edits: [{ line, endLine, expect, text }],
    description,
  };
}
