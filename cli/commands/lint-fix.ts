import { readFileSync, writeFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { createTwoFilesPatch } from "diff";
import { displayPath } from "../../engine/parse/index.js";
import {
  applyFixes,
  lintWithFixes,
  type LintFix,
  type LintOptions,
} from "../../checks/lint/index.js";
import { createStyle } from "../../renderers/style.js";
import type { Io } from "../io.js";
import { plural } from "../../engine/model/index.js";

/** Passes of lint and fix: a fix skipped because it overlapped another is offered again by the next pass. */
const MAX_PASSES = 3;

/** Where `runbook lint --fix` says what it changed. */
export interface FixReport {
  readonly io: Io;
  /** stdout for stylish; stderr when stdout is JSON, SARIF or annotations. */
  readonly report: Writable;
  readonly color: boolean;
}

/**
 * `runbook lint --fix` (SPEC 5): applies the safe fixes the rules offer to the
 * files in place, and prints each change as a unified diff with one line per
 * fix saying what it does (and so whether it changes what runs). Lint, apply,
 * lint again, until nothing more applies or after a few passes.
 */
export async function fixFiles(
  files: readonly string[],
  options: LintOptions,
  out: FixReport,
): Promise<void> {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const done: LintFix[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // Fixes need no shellcheck: skipping it makes each pass cheaper.
    const { fixes } = await lintWithFixes(files, {
      ...options,
      shellcheck: false,
    });
    const byFile = new Map<string, LintFix[]>();
    for (const fix of fixes)
      byFile.set(fix.file, [...(byFile.get(fix.file) ?? []), fix]);
    let applied = 0;
    for (const [file, list] of byFile) {
      const text = after.get(file) ?? readFileSync(file, "utf8");
      if (!before.has(file)) before.set(file, text);
      const result = applyFixes(text, list);
      if (result.applied.length === 0) continue;
      writeFileSync(file, result.text);
      after.set(file, result.text);
      done.push(...result.applied);
      applied += result.applied.length;
    }
    if (applied === 0) break;
  }
  const style = createStyle(out.color);
  const show = (file: string): string => displayPath(file, out.io.cwd);
  const lines: string[] = [];
  for (const [file, text] of after) {
    const original = before.get(file) ?? "";
    const patch = createTwoFilesPatch(
      show(file),
      show(file),
      original,
      text,
      undefined,
      undefined,
      { context: 2 },
    );
    for (const line of patch.split("\n").slice(2)) {
      if (line.startsWith("+") && !line.startsWith("+++"))
        lines.push(style.green(line));
      else if (line.startsWith("-") && !line.startsWith("---"))
        lines.push(style.red(line));
      else if (line.startsWith("---") || line.startsWith("+++"))
        lines.push(style.bold(line));
      else if (line !== "\\ No newline at end of file") lines.push(line);
    }
  }
  for (const fix of done.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  ))
    lines.push(`${show(fix.file)}:${fix.line}:1  fixed: ${fix.description}`);
  const changed = after.size;
  lines.push(
    done.length === 0
      ? "nothing to fix"
      : `${plural(changed, "file")} fixed (${plural(done.length, "change")}); lint again:`,
    "",
  );
  out.report.write(lines.join("\n"));
}
