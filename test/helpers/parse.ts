import { parseRunbook } from "../../engine/parse/index.js";
import type { Diagnostic, Runbook } from "../../engine/model/index.js";

/** Parses Markdown given inline; `file` defaults to a name under /virtual so no disk is read. */
export function parse(
  markdown: string,
  file = "/virtual/runbook.md",
  files: Record<string, string> = {},
): { runbook: Runbook; diagnostics: readonly Diagnostic[] } {
  return parseRunbook(markdown, {
    file,
    readFile: (f) => {
      const text = files[f];
      if (text === undefined)
        throw Object.assign(new Error(`ENOENT: ${f}`), { code: "ENOENT" });
      return text;
    },
    realpath: (f) => {
      if (
        files[f] === undefined &&
        f !== file &&
        !Object.keys(files).some((k) => k.startsWith(`${f}/`))
      )
        throw new Error(`ENOENT: ${f}`);
      return f;
    },
  });
}

export function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

/** Joins lines: keeps test Markdown readable without template-literal indentation surprises. */
export function md(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
