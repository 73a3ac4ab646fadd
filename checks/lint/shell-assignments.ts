import type { ShellCommand } from "./shell-scan.js";
import { ASSIGNMENT, NAME, commandWords } from "./shell-words.js";

/**
 * The names a command assigns (`x=1`, `export/local/declare/readonly x`,
 * `read x`, `for x in`, `printf -v x`), and whether it may assign any name
 * (`source`, `.`, `eval`).
 */
export function assignmentsOf(command: ShellCommand): {
  names: string[];
  dynamic: boolean;
} {
  const names: string[] = [];
  let dynamic = false;
  for (const a of command.assignments) {
    const name = ASSIGNMENT.exec(a.text)?.[1];
    if (name) names.push(name);
  }
  const words = commandWords(command).map((w) => w.text);
  const [name = "", ...args] = words;
  const plain = args.filter((a) => !a.startsWith("-"));
  const add = (word: string | undefined): void => {
    const m = word === undefined ? null : NAME.exec(word);
    if (m) names.push(m[0]);
  };
  switch (name) {
    case "export":
    case "local":
    case "declare":
    case "typeset":
    case "readonly":
    case "let":
      for (const a of plain) add(a);
      break;
    case "read":
    case "mapfile":
    case "readarray": {
      // Options that take a value; `read -a NAME` assigns NAME.
      const valued =
        name === "read" ? /^-[^-]*[pdntuiN]$/ : /^-[^-]*[dnOsuCc]$/;
      for (let k = 0; k < args.length; k++) {
        const a = args[k] ?? "";
        if (name === "read" && /^-[^-]*a$/.test(a)) add(args[++k]);
        else if (valued.test(a)) k++;
        else if (!a.startsWith("-")) add(a);
      }
      break;
    }
    case "for":
    case "select":
      add(args[0]);
      break;
    case "getopts":
      add(args[1]);
      break;
    case "printf":
      if (args[0] === "-v") add(args[1]);
      break;
    case "source":
    case ".":
    case "eval":
      dynamic = true;
      break;
  }
  return { names, dynamic };
}
