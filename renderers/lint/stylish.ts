import type { Diagnostic } from "../../engine/model/index.js";
import { createStyle } from "../style.js";
import { plural } from "../../engine/model/index.js";

export interface StylishOptions {
  /** Colour the output (only for a terminal without NO_COLOR). @default false */
  readonly color?: boolean;
  /**
   * The files linted, named as the diagnostics name them: a clean lint then
   * says so in one line (`3 files, no problems`), and the summary in how many
   * of them the problems are. A file a runbook includes that has problems
   * counts among them too (it was read, and named above).
   */
  readonly files?: readonly string[];
}

/**
 * ESLint's "stylish" layout: the problems grouped under each file, one per
 * line with `line:column`, severity, message and rule id in aligned
 * columns, then a count. With no problems, one line when the number of
 * files is known (SPEC 5: a clean lint says so), else nothing.
 */
export function renderStylish(
  diagnostics: readonly Diagnostic[],
  options: StylishOptions = {},
): string {
  if (diagnostics.length === 0)
    return options.files === undefined
      ? ""
      : `${plural(options.files.length, "file")}, no problems\n`;
  const style = createStyle(options.color === true);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics)
    byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push("", style.bold(file));
    const places = list.map((d) => `${d.line}:${d.column}`);
    const placeWidth = Math.max(...places.map((p) => p.length));
    const severityWidth = Math.max(...list.map((d) => d.severity.length));
    const messageWidth = Math.max(...list.map((d) => d.message.length));
    list.forEach((d, i) => {
      const severity = d.severity.padEnd(severityWidth);
      const colored =
        d.severity === "error"
          ? style.red(severity)
          : d.severity === "warning"
            ? style.yellow(severity)
            : style.cyan(severity);
      lines.push(
        `  ${style.dim((places[i] ?? "").padEnd(placeWidth))}  ${colored}  ${d.message.padEnd(messageWidth)}  ${style.dim(d.rule)}`.trimEnd(),
      );
    });
  }
  const count = (severity: Diagnostic["severity"]): number =>
    diagnostics.filter((d) => d.severity === severity).length;
  const errors = count("error");
  const warnings = count("warning");
  const infos = count("info");
  const parts = [
    plural(errors, "error"),
    plural(warnings, "warning"),
    ...(infos > 0 ? [plural(infos, "info", "infos")] : []),
  ];
  const where =
    options.files === undefined
      ? ""
      : ` in ${byFile.size} of ${plural(new Set([...options.files, ...byFile.keys()]).size, "file")}`;
  const summary = `✖ ${plural(diagnostics.length, "problem")} (${parts.join(", ")})${where}`;
  lines.push(
    "",
    errors > 0
      ? style.bold(style.red(summary))
      : warnings > 0
        ? style.bold(style.yellow(summary))
        : style.bold(summary),
    "",
  );
  return lines.join("\n");
}
