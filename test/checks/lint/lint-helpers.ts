import { lintFiles } from "../../../checks/lint/index.js";
import type { Diagnostic } from "../../../engine/model/index.js";

export const FILE = "/virtual/runbook.md";

export interface LintMarkdownOptions {
  /** Other files (includes), by absolute path. */
  readonly files?: Record<string, string>;
  /** @default false: most tests are about lint's own rules, and shellcheck is slow */
  readonly shellcheck?: boolean;
}

/** Lints Markdown given inline, as `/virtual/runbook.md`; nothing is read from disk. */
export function lintMarkdown(
  markdown: string,
  options: LintMarkdownOptions = {},
): Promise<Diagnostic[]> {
  const files: Record<string, string> = { [FILE]: markdown, ...options.files };
  return lintFiles([FILE], {
    env: process.env,
    shellcheck: options.shellcheck ?? false,
    readFile: (f) => {
      const text = files[f];
      if (text === undefined)
        throw Object.assign(new Error(`ENOENT: ${f}`), { code: "ENOENT" });
      return text;
    },
    realpath: (f) => {
      if (
        files[f] === undefined &&
        !Object.keys(files).some((k) => k.startsWith(`${f}/`))
      )
        throw new Error(`ENOENT: ${f}`);
      return f;
    },
  });
}

/** `line:column severity rule` of each diagnostic of the given rules (all when none given): short, readable expectations. */
export function found(
  diagnostics: readonly Diagnostic[],
  ...rules: string[]
): string[] {
  return diagnostics
    .filter((d) => rules.length === 0 || rules.includes(d.rule))
    .map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`);
}

/** Joins lines into Markdown. */
export function md(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
