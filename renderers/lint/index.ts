import type { Diagnostic } from "../../engine/model/index.js";
import { renderGithub } from "./github.js";
import { renderJson } from "./json.js";
import { renderSarif, type SarifOptions } from "./sarif.js";
import { renderStylish } from "./stylish.js";

export { renderGithub } from "./github.js";
export { renderJson } from "./json.js";
export { renderSarif, type SarifOptions, type SarifRule } from "./sarif.js";
export { renderStylish, type StylishOptions } from "./stylish.js";

/** The `--format` values of `runbook lint`. */
export const LINT_FORMATS = ["stylish", "json", "sarif", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export interface RenderLintOptions extends SarifOptions {
  /** Colour for `stylish`. @default false */
  readonly color?: boolean;
  /** Files linted (named as the diagnostics name them), for `stylish`'s summary line. */
  readonly files?: readonly string[];
}

/** Lint's problems in one of the output formats. */
export function renderLint(
  format: LintFormat,
  diagnostics: readonly Diagnostic[],
  options: RenderLintOptions,
): string {
  switch (format) {
    case "stylish":
      return renderStylish(diagnostics, {
        color: options.color === true,
        ...(options.files === undefined ? {} : { files: options.files }),
      });
    case "json":
      return renderJson(diagnostics);
    case "sarif":
      return renderSarif(diagnostics, options);
    case "github":
      return renderGithub(diagnostics);
  }
}
