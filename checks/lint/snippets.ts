import type {
  Check,
  ConsoleAction,
  Runbook,
  SourceLocation,
  Step,
} from "../../engine/model/index.js";
import { findPlaceholders, maskPlaceholders } from "./placeholders.js";
import { readSession, sessionScript, type Session } from "./session.js";
import type { Snippet, SnippetLanguage, SnippetOrigin } from "./types.js";

/** Hands out snippet ids that stay unique across the runbooks of one lint run. */
export interface SnippetIds {
  next(): number;
}

/** A fresh id counter, one per lint run. */
export function snippetIds(): SnippetIds {
  let id = 0;
  return { next: () => id++ };
}

/**
 * Every piece of executable code in a runbook, in document order: shell,
 * SQL and psql blocks, console transcripts (their commands form one bash
 * session), and the code of SQL and shell checks, leaf or container.
 */
export function collectSnippets(runbook: Runbook, ids: SnippetIds): Snippet[] {
  const out: Snippet[] = [];
  const add = (
    step: Step,
    origin: SnippetOrigin,
    language: SnippetLanguage,
    shell: "sh" | "bash",
    text: string,
    locate: Snippet["locate"],
    session?: Session,
  ): void => {
    const placeholders = findPlaceholders(
      text,
      language === "shell" ? "shell" : "sql",
    );
    const code = maskPlaceholders(text, placeholders);
    out.push({
      id: ids.next(),
      language,
      shell,
      code,
      text,
      placeholders,
      step,
      origin,
      locate,
      ...(session ? { session } : {}),
    });
  };
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      switch (action.kind) {
        case "sh": {
          const session = readSession(action.code);
          if (session?.kind === "prompts") {
            // Tools read the commands only: output lines are no shell, and prompts are no part of the command.
            const script = sessionScript(action.code, session);
            add(
              step,
              { kind: "action", action },
              "shell",
              action.shell,
              script.code,
              blockLocator(action.codeAt, script.code, script.offsets),
              session,
            );
          } else {
            add(
              step,
              { kind: "action", action },
              "shell",
              action.shell,
              action.code,
              blockLocator(action.codeAt, action.code),
              session,
            );
          }
          break;
        }
        case "console":
          add(
            step,
            { kind: "action", action },
            "shell",
            "bash",
            action.commands.map((c) => c.command).join("\n"),
            consoleLocator(action),
          );
          break;
        case "sql":
        case "psql":
          add(
            step,
            { kind: "action", action },
            action.kind,
            "sh",
            action.code,
            blockLocator(action.codeAt, action.code),
          );
          break;
        case "file":
        case "manual":
        case "confirm":
          break;
      }
    }
    for (const check of step.checks) {
      const locate =
        check.form === "leaf"
          ? attributeLocator(check)
          : blockLocator(check.codeAt, check.code);
      if (check.kind === "sql")
        add(step, { kind: "check", check }, "sql", "sh", check.code, locate);
      else
        add(
          step,
          { kind: "check", check },
          "shell",
          check.shell,
          check.code,
          locate,
        );
    }
  }
  return out;
}

/**
 * Lines of a fenced block's text: each is a line of the file, shifted by the
 * fence's indentation (and by `offsets[i]` more on line i + 1: a prompt the
 * tools did not see).
 */
export function blockLocator(
  codeAt: SourceLocation,
  code: string,
  offsets: readonly number[] = [],
): Snippet["locate"] {
  const last = Math.max(1, code.split("\n").length);
  return (line, column) => {
    const l = clamp(line, last);
    return {
      file: codeAt.file,
      line: codeAt.line + l - 1,
      column: codeAt.column + (offsets[l - 1] ?? 0) + Math.max(column, 1) - 1,
    };
  };
}

/** An attribute value (`sql="…"`): its first line starts after the quote, later lines at column 1. */
function attributeLocator(check: Check): Snippet["locate"] {
  const { codeAt } = check;
  const last = Math.max(1, check.code.split("\n").length);
  return (line, column) => {
    const l = clamp(line, last);
    return l === 1
      ? {
          file: codeAt.file,
          line: codeAt.line,
          column: codeAt.column + Math.max(column, 1) - 1,
        }
      : {
          file: codeAt.file,
          line: codeAt.line + l - 1,
          column: Math.max(column, 1),
        };
  };
}

/** Line N of a console session is the Nth `$ ` command, after its prompt. */
function consoleLocator(action: ConsoleAction): Snippet["locate"] {
  const { commands } = action;
  return (line, column) => {
    const command = commands[clamp(line, Math.max(commands.length, 1)) - 1];
    if (!command) return action.at;
    return {
      file: command.at.file,
      line: command.at.line,
      column: command.at.column + 2 + Math.max(column, 1) - 1,
    };
  };
}

function clamp(line: number, last: number): number {
  return Math.min(Math.max(line, 1), last);
}
