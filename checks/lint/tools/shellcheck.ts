import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import type { ToolFinding } from "../types.js";
import type { ToolResults } from "./bash-syntax.js";
import { runTool, toolEnv } from "./run-tool.js";

export interface ShellcheckInput {
  readonly id: number;
  readonly code: string;
  readonly shell: "sh" | "bash";
}

export interface ShellcheckOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default 'shellcheck' */
  readonly shellcheck?: string;
  /** Processes run side by side. @default os.availableParallelism() */
  readonly parallelism?: number;
}

/**
 * shellcheck codes that are false alarms for runbook blocks, with why:
 * - SC1090, SC1091: a sourced file is not next to the temporary copy shellcheck reads;
 * - SC2148: a block has no shebang by design (its shell is named by the block's language);
 * - SC2154: "referenced but not assigned" does not know params, captures and
 *   sentinels, which reach the block as environment variables; the
 *   runbook-aware `undefined-shell-variable` rule does this job;
 * - SC2153: "possible misspelling: X may not be assigned, did you mean Y?" is
 *   SC2154's guess when a similar name is assigned in the block; an upper-case
 *   name a block reads usually comes from the environment or an earlier step
 *   (`variable-not-shared` and `undefined-shell-variable` say what is wrong);
 * - SC2164: "cd without || exit": blocks run with `-e`, so a failed cd stops the step;
 * - SC2029: "note that, unescaped, this expands on the client side" of
 *   `ssh host "… $x …"`: in a runbook that is what the author wants (a value
 *   of this machine sent to the host); the variable the host would need is
 *   what SC2016 finds in single quotes.
 * (On the adoption corpus, test/fixtures/corpus, every finding of SC2029
 * and SC2153 was a false alarm.)
 */
export const SHELLCHECK_EXCLUDED = [
  "SC1090",
  "SC1091",
  "SC2029",
  "SC2148",
  "SC2153",
  "SC2154",
  "SC2164",
] as const;

/** Files per shellcheck process: under any argv limit, and shellcheck slows down per file in very long runs. */
const MAX_FILES_PER_RUN = 1000;

/**
 * Runs shellcheck over many snippets in as few processes as possible: each
 * distinct snippet becomes a small temporary file holding exactly its text
 * (a shebang stays on line 1, lines are the snippet's); the dialect is given
 * with `--shell=sh|bash`, one group of processes per shell, split between up
 * to one process per CPU; `-f json1` findings are mapped back by file name and line.
 * Style-level findings are left out (`-S info`). The temporary folder is
 * removed before returning. Resolves with a `failure` of `missing` when
 * shellcheck is not installed.
 */
export async function shellcheck(
  snippets: readonly ShellcheckInput[],
  options: ShellcheckOptions,
): Promise<ToolResults> {
  const findings = new Map<number, ToolFinding[]>();
  const program = options.shellcheck ?? "shellcheck";
  if (snippets.length === 0) return { findings };
  // Not installed is the common case on a laptop: know it before writing thousands of files.
  if (!onPath(program, options.env["PATH"]))
    return { findings, failure: "missing" };
  // Identical snippets (`true`, a repeated check) are read once.
  const byText = new Map<string, number[]>();
  for (const s of snippets) {
    const key = `${s.shell}\n${s.code}`;
    const ids = byText.get(key);
    if (ids) ids.push(s.id);
    else byText.set(key, [s.id]);
  }
  const dir = await mkdtemp(
    path.join(options.env["TMPDIR"] ?? tmpdir(), "runbook-lint-"),
  );
  try {
    // The dialect goes on the command line, one group of files per shell: the file is the
    // block as written, so a shebang stays on line 1 and lines are the block's own.
    const groups = new Map<"sh" | "bash", string[]>();
    const idsOf = new Map<string, number[]>();
    let n = 0;
    for (const [key, ids] of byText) {
      const newline = key.indexOf("\n");
      const shell = key.slice(0, newline) === "sh" ? "sh" : "bash";
      const name = `${n++}.sh`;
      groups.set(shell, [...(groups.get(shell) ?? []), name]);
      idsOf.set(name, ids);
      // Written one at a time: thousands of open files at once would hit the descriptor limit.
      writeFileSync(path.join(dir, name), `${key.slice(newline + 1)}\n`);
    }
    const parallelism = Math.max(
      options.parallelism ?? availableParallelism(),
      1,
    );
    const base = [
      "--norc",
      "--format=json1",
      "--severity=info",
      `--exclude=${SHELLCHECK_EXCLUDED.join(",")}`,
    ];
    const env = toolEnv(options.env, "C.UTF-8");
    const tasks: (() => ReturnType<typeof runTool>)[] = [];
    for (const [shell, files] of groups) {
      const runs = Math.max(
        Math.min(parallelism, Math.ceil(files.length / 50)),
        Math.ceil(files.length / MAX_FILES_PER_RUN),
        1,
      );
      const chunk = Math.ceil(files.length / runs);
      for (let i = 0; i < runs; i++) {
        const slice = files.slice(i * chunk, (i + 1) * chunk);
        if (slice.length > 0)
          tasks.push(() =>
            runTool(program, [...base, `--shell=${shell}`, "--", ...slice], {
              cwd: dir,
              env,
              timeoutMs: 600_000,
            }),
          );
      }
    }
    const results = await pool(tasks, parallelism);
    for (const result of results) {
      if (result.failure === "missing") return { findings, failure: "missing" };
      if (result.failure || (result.code !== 0 && result.code !== 1)) {
        return {
          findings,
          failure: `shellcheck could not be run (${result.failure ?? (result.stderr.trim().split("\n")[0] || `exit ${result.code}`)}): its findings are missing`,
        };
      }
      const comments = parseJson1(result.stdout);
      if (!comments)
        return {
          findings,
          failure: `shellcheck printed something that is not its JSON: its findings are missing`,
        };
      for (const comment of comments) {
        for (const id of idsOf.get(comment.file) ?? []) {
          const list = findings.get(id) ?? [];
          list.push({
            tool: "shellcheck",
            line: comment.line,
            column: comment.column,
            code: comment.code,
            level: comment.level,
            message: comment.message,
          });
          findings.set(id, list);
        }
      }
    }
    return { findings };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Json1Comment {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly level: "error" | "warning" | "info" | "style";
  readonly message: string;
}

/** The comments of `-f json1` output, or undefined when it is not that. */
function parseJson1(stdout: string): Json1Comment[] | undefined {
  if (stdout.trim() === "") return [];
  let parsed: { comments?: Json1Comment[] };
  try {
    parsed = JSON.parse(stdout) as { comments?: Json1Comment[] };
  } catch {
    return undefined;
  }
  return (parsed.comments ?? []).filter(
    (c) => typeof c.file === "string" && typeof c.line === "number",
  );
}

/** Runs the tasks with at most `limit` at a time; results in task order. */
async function pool<T>(
  tasks: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, worker),
  );
  return results;
}

/** Whether `program` (a name, or a path) is an executable file, looked up on `PATH` like a spawn would. */
function onPath(program: string, searchPath: string | undefined): boolean {
  const candidates = program.includes("/")
    ? [program]
    : (searchPath ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
