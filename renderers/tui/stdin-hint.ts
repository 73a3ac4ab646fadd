import type { Action } from "../../engine/model/index.js";
import type { OutputLine } from "./output-buffer.js";

// A command that reads the terminal: `read`, `select … in`, `cat` or `cat -` with no file, `head`/`tail`/`mapfile` of stdin, a password prompt.
const READS_STDIN = [
  /(?:^|[;&|({]|\bthen|\bdo|\belse|!)\s*read\b/m,
  /(?:^|[;&|({]|\bthen|\bdo|\belse)\s*select\s+\w+\s+in\b/m,
  /(?:^|[;&|({]|\bthen|\bdo|\belse|\$\()\s*(?:cat|head\s+-n\s*\d+|tail\s+-n\s*\d+|mapfile|readarray)(?:\s+-)?\s*(?:$|[;&|)])/m,
  /\b(?:passwd|vipe|sudo\s+(?!-n\b)(?!--non-interactive\b))/m,
];
// What a program prints when it wanted a terminal and got /dev/null.
const SAYS_NO_TTY =
  /not a tty|not a terminal|no tty present|inappropriate ioctl for device|stdin is not a (?:tty|terminal)|cannot read (?:from )?(?:stdin|the terminal)|unexpected end of (?:file|input)|EOF (?:when|while) reading/i;

/**
 * A hint for a failed block that probably wanted the operator's input: its
 * standard input is empty in a run (only `{interactive}` gives it the
 * terminal), so a `read` gets end-of-file and `sh -e` stops with a bare exit
 * status. Undefined when nothing suggests it.
 */
export function stdinHint(
  action: Action | undefined,
  output: readonly OutputLine[],
): string | undefined {
  if (!action || (action.kind !== "sh" && action.kind !== "console"))
    return undefined;
  if (action.options.interactive) return undefined;
  const code =
    action.kind === "console"
      ? action.commands.map((c) => c.command).join("\n")
      : stripComments(action.code);
  const reads = READS_STDIN.some((re) => re.test(code));
  const said = output.some((l) => SAYS_NO_TTY.test(l.text));
  if (!reads && !said) return undefined;
  const lang = action.kind === "sh" ? action.shell : "console";
  // A no-break space keeps the fence's info string on one row.
  return `this block ${reads ? "reads from standard input" : "wanted a terminal"}, which is empty in a run. To type into it, mark it interactive: \`\`\`${lang}\u00a0{interactive}`;
}

function stripComments(code: string): string {
  return code
    .split("\n")
    .map((l) => (/^\s*#/.test(l) ? "" : l))
    .join("\n");
}
