import type { ToolFinding } from "../types.js";

/** Findings by snippet id, and why the tool could not run, when it could not. */
export interface ToolResults {
  readonly findings: Map<number, ToolFinding[]>;
  readonly failure?: string;
}
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runTool, toolEnv, type ToolRun } from "./run-tool.js";

/** The part of a snippet bash needs. */
export interface ShellText {
  readonly id: number;
  readonly code: string;
}

export interface BashSyntaxOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default 'bash' */
  readonly bash?: string;
}

/**
 * Checks the syntax of many shell snippets with `bash -n` (which reads and
 * never executes), in as few processes as possible: all snippets go to one
 * bash, each wrapped in a function of its own, in one temporary file. Only when that
 * fails are the failing snippets looked for: first the one at the reported
 * line, alone, then the rest on either side of it; when the guess is wrong
 * (an unclosed quote reports at the end of the text), by halving. A snippet
 * alone is checked as written, so every reported line is its own.
 */
export async function bashSyntax(
  snippets: readonly ShellText[],
  options: BashSyntaxOptions,
): Promise<ToolResults> {
  const findings = new Map<number, ToolFinding[]>();
  const bash = options.bash ?? "bash";
  const env = toolEnv(options.env);
  // bash reads a file: from stdin it leaves the line number out of most messages (and
  // /dev/stdin is a socket, which it cannot open, when node spawns it).
  const dir = await mkdtemp(
    path.join(options.env["TMPDIR"] ?? tmpdir(), "runbook-bash-"),
  );
  let runs = 0;
  const run = async (text: string): Promise<ToolRun> => {
    const file = path.join(dir, `${runs++}.sh`);
    await writeFile(file, text);
    return runTool(
      bash,
      ["--norc", "--noprofile", "-O", "extglob", "-n", file],
      { env },
    );
  };

  let failure: string | undefined;
  const check = async (set: readonly ShellText[]): Promise<void> => {
    if (set.length === 0 || failure) return;
    if (set.length === 1) {
      const only = set[0] as ShellText;
      const result = await run(
        only.code.endsWith("\n") ? only.code : `${only.code}\n`,
      );
      if (result.failure) {
        failure = result.failure;
        return;
      }
      const found = parseBashErrors(result.stderr, result.code !== 0);
      if (found.length > 0) findings.set(only.id, found);
      return;
    }
    const { text, starts } = wrap(set);
    const result = await run(text);
    if (result.failure) {
      failure = result.failure;
      return;
    }
    if (result.code === 0 && result.stderr.trim() === "") return;
    const guess = snippetAt(starts, firstLine(result.stderr));
    if (guess !== undefined) {
      const alone = set[guess] as ShellText;
      await check([alone]);
      if (findings.has(alone.id)) {
        await Promise.all([
          check(set.slice(0, guess)),
          check(set.slice(guess + 1)),
        ]);
        return;
      }
    }
    const middle = set.length >> 1;
    await Promise.all([check(set.slice(0, middle)), check(set.slice(middle))]);
  };
  try {
    await check(snippets);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!failure) return { findings };
  return {
    findings,
    failure:
      failure === "missing"
        ? `${bash} is not installed: shell syntax was not checked`
        : `${bash} -n could not be run (${failure}): shell syntax was not checked`,
  };
}

/** All snippets as one script, each inside `__runbook_lint_N () { … }`; `starts[i]` is the line of snippet i's first line. */
function wrap(set: readonly ShellText[]): { text: string; starts: number[] } {
  const parts: string[] = [];
  const starts: number[] = [];
  let line = 1;
  set.forEach((s, i) => {
    starts.push(line + 1);
    parts.push(`__runbook_lint_${i} () {\n${s.code}\n}\n`);
    line += 3 + countNewlines(s.code);
  });
  return { text: parts.join(""), starts };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function snippetAt(
  starts: readonly number[],
  line: number | undefined,
): number | undefined {
  if (line === undefined) return undefined;
  let found: number | undefined;
  for (let i = 0; i < starts.length && (starts[i] ?? 0) <= line; i++) found = i;
  return found;
}

const BASH_LINE = /^(?:.*?: )?line (\d+): (.*)$/;

function firstLine(stderr: string): number | undefined {
  for (const line of stderr.split("\n")) {
    const m = BASH_LINE.exec(line);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/**
 * bash's messages: `bash: line 3: syntax error near unexpected token `fi'`,
 * then the offending line quoted (skipped), and warnings such as an
 * unterminated here-document.
 */
export function parseBashErrors(
  stderr: string,
  failed: boolean,
): ToolFinding[] {
  const out: ToolFinding[] = [];
  for (const raw of stderr.split("\n")) {
    const m = BASH_LINE.exec(raw.trimEnd());
    if (!m) continue;
    const message = (m[2] ?? "").trim();
    if (/^`.*'$/s.test(message)) continue;
    const warning = message.startsWith("warning: ");
    out.push({
      tool: "bash",
      line: Number(m[1]),
      severity: warning ? "warning" : "error",
      message: warning ? message.slice("warning: ".length) : message,
    });
  }
  if (failed && !out.some((f) => f.tool === "bash" && f.severity === "error")) {
    out.push({
      tool: "bash",
      line: 1,
      severity: "error",
      message:
        stderr.trim().split("\n")[0] || "bash -n rejects this shell code",
    });
  }
  return out;
}
