import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  FileStateStore,
  readJournal,
  runDir,
  type JournalEntry,
} from "../../engine/journal/index.js";
import type { Diagnostic, Runbook } from "../../engine/model/index.js";
import {
  resolveParams,
  type ResolvedParam,
} from "../../engine/params/index.js";
import { parseRunbookFile, validateRunbook } from "../../engine/parse/index.js";
import {
  automatic,
  executeRun,
  Interrupter,
  type Interaction,
  type Reporter,
  type RunEvent,
  type RunOutcome,
  type ResumeInput,
  type SandboxBinding,
} from "../../engine/run/index.js";

export interface RunResult {
  readonly outcome: RunOutcome;
  readonly events: RunEvent[];
  /** All output text of every step, joined. */
  readonly output: string;
  readonly journal: JournalEntry[];
  readonly runbook: Runbook;
  readonly stateDir: string;
}

export interface RunTestOptions {
  readonly dir: string;
  readonly set?: Record<string, string>;
  readonly env?: Record<string, string | undefined>;
  readonly mode?: "live" | "rehearsal";
  readonly yes?: "none" | "steps" | "all";
  readonly interaction?: Interaction;
  readonly sandbox?: SandboxBinding;
  readonly secrets?: readonly string[];
  readonly resume?: ResumeInput;
  readonly interrupter?: Interrupter;
  readonly file?: string;
  /** Static errors to let through (to reach the engine with a runbook the checks before the run still refuse). */
  readonly tolerate?: (d: Diagnostic) => boolean;
  /** Give the engine a way to read the runbook file again (as the CLI does): a retry runs what the file says then. */
  readonly reload?: boolean;
}

/** Writes `markdown` to a runbook file in `dir` and runs it through the engine, recording every event. */
export async function runMarkdown(
  markdown: string,
  o: RunTestOptions,
): Promise<RunResult> {
  const file = path.join(o.dir, o.file ?? "runbook.md");
  writeFileSync(file, markdown);
  return runFile(file, o);
}

export async function runFile(
  file: string,
  o: RunTestOptions,
): Promise<RunResult> {
  const parsed = parseRunbookFile(file);
  const env = o.env ?? {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    TMPDIR: process.env["TMPDIR"],
  };
  const problems = [
    ...parsed.diagnostics,
    ...validateRunbook(parsed.runbook, { env }),
  ].filter((d) => d.severity === "error" && !o.tolerate?.(d));
  if (problems.length > 0)
    throw new Error(
      `invalid runbook: ${problems.map((d) => `${d.line}:${d.column} ${d.message}`).join("; ")}`,
    );
  const mode = o.mode ?? "live";
  const resolved = resolveParams(parsed.runbook, {
    set: o.set ?? {},
    env,
    mode,
  });
  if (resolved.missing.length > 0)
    throw new Error(
      `missing params: ${resolved.missing.map((p) => p.name).join(", ")}`,
    );
  const events: RunEvent[] = [];
  const recorder: Reporter = new Proxy({} as Reporter, {
    get: (_t, prop) =>
      typeof prop === "string" && prop.startsWith("on")
        ? (e: RunEvent) => events.push(e)
        : undefined,
  });
  const stateDir = path.join(o.dir, "state");
  const outcome = await executeRun({
    runbook: parsed.runbook,
    mode,
    state: new FileStateStore({ stateDir, flag: `--state-dir ${stateDir}` }),
    cwd: o.dir,
    env,
    params: new Map<string, ResolvedParam>(resolved.values),
    selection: {},
    yes: o.yes ?? "all",
    interaction:
      o.interaction ?? automatic({ yes: o.yes === "steps" ? "steps" : "all" }),
    reporters: [recorder],
    interrupter: o.interrupter ?? new Interrupter(),
    identity: {
      user: "tester",
      host: "test",
      pid: process.pid,
      isRoot: process.getuid?.() === 0,
    },
    ...(o.sandbox ? { sandbox: o.sandbox } : {}),
    ...(o.secrets ? { secrets: o.secrets } : {}),
    ...(o.resume ? { resume: o.resume } : {}),
    ...(o.reload
      ? {
          reload: async () => {
            const again = parseRunbookFile(file);
            const first = [
              ...again.diagnostics,
              ...validateRunbook(again.runbook, { env }),
            ].find((d) => d.severity === "error");
            if (first)
              throw new Error(
                `${first.file}:${first.line}:${first.column}: ${first.message}`,
              );
            return again.runbook;
          },
        }
      : {}),
  });
  const output = events
    .flatMap((e) => (e.type === "output" ? [e.text] : []))
    .join("");
  const journal = [
    ...readJournal(path.join(runDir(stateDir, outcome.runId), "journal.jsonl"))
      .entries,
  ];
  return {
    outcome,
    events,
    output,
    journal,
    runbook: parsed.runbook,
    stateDir,
  };
}

/** The check outcomes, in order. */
export function checkResults(
  events: readonly RunEvent[],
): { ok: boolean; message: string }[] {
  return events.flatMap((e) =>
    e.type === "check-end"
      ? [{ ok: e.outcome.kind === "pass", message: e.outcome.message }]
      : [],
  );
}

export function stepEnds(events: readonly RunEvent[]): [string, string][] {
  return events.flatMap((e): [string, string][] =>
    e.type === "step-end" ? [[e.stepId, e.state]] : [],
  );
}
