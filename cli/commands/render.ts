import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { lintFiles } from "../../checks/lint/index.js";
import {
  formatDiagnostic,
  usageError,
  type Diagnostic,
  type Runbook,
  plural,
} from "../../engine/model/index.js";
import {
  displayPath,
  expandPaths,
  parseRunbookFile,
} from "../../engine/parse/index.js";
import { writeLine, type Io } from "../io.js";
import type { RenderFlags } from "../definitions.js";

interface Parsed {
  readonly file: string;
  /** As shown: relative to the working directory. */
  readonly shown: string;
  readonly runbook: Runbook;
  readonly diagnostics: readonly Diagnostic[];
  readonly output: string;
}

/**
 * SPEC 3: `runbook render FILE|DIR… --out DIR`: one self-contained page per
 * runbook plus an index. Pages are written even for a runbook with errors
 * (they show the errors); the exit status is then 2, as for any invalid runbook.
 */
export async function renderCommand(
  targets: string[],
  flags: Partial<RenderFlags>,
  io: Io,
): Promise<number> {
  const format = flags.format ?? "html";
  if (!flags.out)
    throw usageError("--out DIR is required: the folder to write the pages to");
  const started = performance.now();
  const outDir = path.resolve(io.cwd, flags.out);
  const files = findRunbooks(targets, io.cwd);

  const ext = format === "html" ? ".html" : ".md";
  const { pageNames } = await import("../../renderers/html/index.js");
  const names = pageNames(files, ext);
  const parsed: Parsed[] = files.map((file) => {
    const output = path.join(
      outDir,
      names.get(file) ?? `${path.basename(file, ".md")}${ext}`,
    );
    if (output === file)
      throw usageError(
        `--out ${flags.out} would overwrite ${path.relative(io.cwd, file)}: choose another folder`,
      );
    let result;
    try {
      result = parseRunbookFile(file);
    } catch (error) {
      throw usageError((error as Error).message);
    }
    return {
      file,
      shown: displayPath(file, io.cwd),
      runbook: result.runbook,
      diagnostics: result.diagnostics,
      output,
    };
  });

  // The page shows what `runbook lint` finds (issue 14), not only the parser's problems; shellcheck
  // is left out (the page says so): on a folder of runbooks it would double the time render takes.
  const linted = await lintFiles(files, { env: io.env, shellcheck: false });
  const findings = (p: Parsed): Diagnostic[] => {
    const own = new Set(
      p.runbook.files.length > 0 ? p.runbook.files : [p.file],
    );
    return linted.filter((d) => own.has(d.file));
  };

  mkdirSync(outDir, { recursive: true });
  let invalid = 0;
  for (const p of parsed) {
    for (const d of p.diagnostics)
      if (d.severity === "error")
        writeLine(
          io.stderr,
          formatDiagnostic({ ...d, file: displayPath(d.file, io.cwd) }),
        );
    if (p.diagnostics.some((d) => d.severity === "error")) invalid++;
  }
  if (format === "html") {
    const { renderIndexPage, renderRunbookPage } =
      await import("../../renderers/html/index.js");
    for (const p of parsed)
      writeFileSync(
        p.output,
        renderRunbookPage({
          runbook: p.runbook,
          diagnostics: findings(p),
          sourcePath: p.shown,
          indexHref: "index.html",
        }),
      );
    writeFileSync(
      path.join(outDir, "index.html"),
      renderIndexPage({
        entries: parsed.map((p) => ({
          runbook: p.runbook,
          href: path.basename(p.output),
          sourcePath: p.shown,
          errors: p.diagnostics.filter((d) => d.severity === "error").length,
        })),
      }),
    );
  } else {
    const { renderMarkdownIndex, renderRunbookMarkdown } =
      await import("../../renderers/markdown/index.js");
    for (const p of parsed)
      writeFileSync(
        p.output,
        renderRunbookMarkdown({
          runbook: p.runbook,
          diagnostics: findings(p),
          sourcePath: p.shown,
        }),
      );
    writeFileSync(
      path.join(outDir, "index.md"),
      renderMarkdownIndex(
        parsed.map((p) => ({
          runbook: p.runbook,
          href: path.basename(p.output),
          sourcePath: p.shown,
        })),
      ),
    );
  }
  const ms = Math.round(performance.now() - started);
  writeLine(
    io.stdout,
    `rendered ${plural(parsed.length, "runbook")} to ${displayPath(outDir, io.cwd)}${path.sep}index${ext} in ${ms}ms${invalid > 0 ? ` (${invalid} with errors)` : ""}`,
  );
  return invalid > 0 ? 2 : 0;
}

/** Files as given, and every `.md` under a folder or matching a glob: the finder `lint` uses too. */
function findRunbooks(targets: readonly string[], cwd: string): string[] {
  const { files, problems } = expandPaths(targets, cwd);
  if (problems.length > 0) throw usageError(problems.join("; "));
  return files;
}
