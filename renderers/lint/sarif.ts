import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../../engine/model/index.js";

/** What SARIF needs to know about a rule id. */
export interface SarifRule {
  readonly id: string;
  readonly description: string;
}

export interface SarifOptions {
  /** Relative `file`s are relative to this folder (written as `%SRCROOT%`). */
  readonly cwd: string;
  readonly version: string;
  /** Describes each rule id that occurs. */
  readonly describe: (rule: string) => SarifRule;
}

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/**
 * A SARIF 2.1.0 log (OASIS), the format GitHub code scanning uploads: one
 * run of the `runbook` tool, its rules (only those found), and a result per
 * problem with its place in the Markdown file. Relative paths are given
 * against `%SRCROOT%`, the folder lint ran in.
 */
export function renderSarif(
  diagnostics: readonly Diagnostic[],
  options: SarifOptions,
): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.rule))].sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "runbook",
            informationUri: "https://www.npmjs.com/package/runbook",
            version: options.version,
            rules: ruleIds.map((id) => {
              const rule = options.describe(id);
              const shellcheck = /^shellcheck\/(SC\d+)$/.exec(id);
              return {
                id,
                shortDescription: { text: rule.description },
                ...(shellcheck
                  ? {
                      helpUri: `https://www.shellcheck.net/wiki/${shellcheck[1]}`,
                    }
                  : {}),
              };
            }),
          },
        },
        originalUriBaseIds: {
          "%SRCROOT%": {
            uri: pathToFileURL(
              options.cwd.endsWith(path.sep)
                ? options.cwd
                : `${options.cwd}${path.sep}`,
            ).href,
          },
        },
        columnKind: "utf16CodeUnits",
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: index.get(d.rule) ?? 0,
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(d.file),
                region: { startLine: d.line, startColumn: d.column },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function artifact(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return {
    uri: file.split(path.sep).map(encodeURIComponent).join("/"),
    uriBaseId: "%SRCROOT%",
  };
}
