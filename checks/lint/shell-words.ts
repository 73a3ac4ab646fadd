import type { ShellCommand, ShellWord } from "./shell-scan.js";

/** A shell variable name. */
export const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
/** A `NAME=value`, `NAME+=value` or `NAME[i]=value` word. */
export const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/;

/** Reserved words that may come before a command's name. */
export const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "do",
  "while",
  "until",
  "!",
  "{",
  "}",
  "fi",
  "done",
  "esac",
  "time",
  "coproc",
]);

/** The words of a command from its name on: leading reserved words (`then`, `do`, `!`) dropped. */
export function commandWords(command: ShellCommand): readonly ShellWord[] {
  let i = 0;
  while (i < command.words.length && KEYWORDS.has(command.words[i]?.text ?? ""))
    i++;
  return command.words.slice(i);
}
