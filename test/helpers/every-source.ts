import { expect } from "vitest";
import type { Diagnostic } from "../../engine/model/index.js";
import {
  automatic,
  type GateRequest,
  type Interaction,
  type RunEvent,
  type SandboxBinding,
} from "../../engine/run/index.js";
import { md } from "./parse.js";
import { runMarkdown, type RunResult } from "./run.js";
import { tempDir } from "./temp.js";

/**
 * Table-driven runs for SPEC 1.1's `${name}` in attributes: for one case (an
 * attribute), one runbook uses the attribute once per source of a variable,
 * each in its own step, and the case's `verify` sees how each step went.
 */

export type Source = "set" | "default" | "capture" | "sentinel" | "env";
export const SOURCES: readonly Source[] = [
  "set",
  "default",
  "capture",
  "sentinel",
  "env",
];
/** The variable each source provides: a param given with --set, a param whose default uses ${RBT_HEAD}, a capture, a sentinel, an environment variable. */
export const VARIABLE: Record<Source, string> = {
  set: "v_set",
  default: "v_default",
  capture: "v_capture",
  sentinel: "v_sentinel",
  env: "RBT_VALUE",
};

export interface Use {
  /** `${v_set}` and so on. */
  readonly ref: string;
  /** The variable's name (to read it in a shell as `"$v_set"`). */
  readonly name: string;
  readonly source: Source;
  /** The value, when known before the run (not for the sentinel). */
  readonly value: string | undefined;
}

export interface Seen {
  readonly dir: string;
  readonly source: Source;
  /** What the variable held (the sentinel's token, read from the journal). */
  readonly value: string;
  readonly end: Extract<RunEvent, { type: "step-end" }> | undefined;
  readonly output: string;
  readonly events: readonly RunEvent[];
  readonly gates: readonly GateRequest[];
  readonly result: RunResult;
}

export interface Case {
  readonly attribute: string;
  /** The value --set, the default (split as `${RBT_HEAD}` + rest), the capture and the environment give. */
  readonly value: string | ((source: Exclude<Source, "sentinel">) => string);
  /** A sentinel's token is a fine value (a path), or one the attribute must refuse when the step starts (a duration). */
  readonly sentinel: "value" | "refused";
  readonly frontMatter?: readonly string[];
  /** Shell lines of a step that runs before the uses. */
  readonly prepare?: readonly string[];
  /** Or the Markdown of that step (a sql block). */
  readonly prepareBlocks?: readonly string[];
  /** The Markdown of one step's body using the attribute. */
  readonly use: (u: Use) => readonly string[];
  readonly verify: (seen: Seen) => void;
  readonly env?: (dir: string) => Record<string, string>;
  readonly skip?: boolean;
  /** Static checks owned elsewhere still refuse `${}` here: the run goes ahead past them to prove the engine's part. */
  readonly tolerate?: (d: Diagnostic) => boolean;
}

export function valueOf(c: Case, source: Exclude<Source, "sentinel">): string {
  return typeof c.value === "string" ? c.value : c.value(source);
}

/** One runbook: a capture step, an optional preparing step, then one step per source using the attribute. */
function runbookFor(c: Case): string {
  const def = valueOf(c, "default");
  const lines = [
    "---",
    "params:",
    "  v_set: { description: given with --set }",
    `  v_default: { default: "\${RBT_HEAD}${def.slice(1)}" }`,
    ...(c.frontMatter ?? []),
    "---",
    "",
    "::sentinel{#v_sentinel}",
    "",
    "## Capture",
    "```sh {capture=v_capture}",
    `printf '%s\\n' '${valueOf(c, "capture")}'`,
    "```",
  ];
  if (c.prepare || c.prepareBlocks)
    lines.push(
      "",
      "## Prepare",
      ...(c.prepare ? ["```sh", ...c.prepare, "```"] : []),
      ...(c.prepareBlocks ?? []),
    );
  for (const source of SOURCES) {
    const name = VARIABLE[source];
    lines.push(
      "",
      `## From ${source}`,
      ...c.use({
        ref: `\${${name}}`,
        name,
        source,
        value: source === "sentinel" ? undefined : valueOf(c, source),
      }),
    );
  }
  return md(...lines);
}

export interface CaseRunOptions {
  readonly mode?: "live" | "rehearsal";
  readonly sandbox?: SandboxBinding;
  readonly secrets?: readonly string[];
}

/** Runs a case's runbook (a failing step is skipped, so every source gets its turn) and verifies each source's step. */
export async function runCase(c: Case, o: CaseRunOptions = {}): Promise<void> {
  const dir = tempDir();
  const gates: GateRequest[] = [];
  const base = automatic({ yes: "all" });
  // Every source gets its own step; a failing one is skipped so the others still run.
  const interaction: Interaction = {
    ...base,
    failed: async () => "skip",
    gate: async (request) => (gates.push(request), base.gate(request)),
  };
  const env = {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    RBT_HEAD: valueOf(c, "default").slice(0, 1),
    RBT_VALUE: valueOf(c, "env"),
    ...c.env?.(dir),
  };
  const result = await runMarkdown(runbookFor(c), {
    dir,
    set: { v_set: valueOf(c, "set") },
    env,
    interaction,
    ...o,
    ...(c.tolerate ? { tolerate: c.tolerate } : {}),
  });
  const run = result.journal.find((e) => e.type === "run");
  const token = run?.type === "run" ? run.sentinels["v_sentinel"] : undefined;
  expect(token).toMatch(/^rb-v_sentinel-/);
  expect(result.events).toContainEqual(
    expect.objectContaining({
      type: "step-end",
      stepId: "capture",
      state: "done",
    }),
  );
  for (const source of SOURCES) {
    const stepId = `from-${source}`;
    const value = source === "sentinel" ? (token ?? "") : valueOf(c, source);
    const end = result.events.find(
      (e): e is Extract<RunEvent, { type: "step-end" }> =>
        e.type === "step-end" && e.stepId === stepId,
    );
    const output = result.events
      .flatMap((e) =>
        e.type === "output" && e.stepId === stepId && e.stream !== "info"
          ? [e.text]
          : [],
      )
      .join("");
    const info = result.events
      .flatMap((e) =>
        e.type === "output" && e.stepId === stepId && e.stream === "info"
          ? [e.text]
          : [],
      )
      .join("");
    c.verify({
      dir,
      source,
      value,
      end,
      output: output + info,
      events: result.events,
      gates,
      result,
    });
  }
}

export const failedWith = (s: Seen, ...fragments: string[]): void => {
  expect(s.end?.state, `step from-${s.source}`).toBe("failed");
  for (const f of fragments) expect(s.end?.message ?? "").toContain(f);
};
export const done = (s: Seen): void =>
  expect(s.end, `step from-${s.source}: ${s.end?.message ?? ""}`).toMatchObject(
    { state: "done" },
  );
/** The step refused a sentinel's token for this attribute when it started, naming the token. */
export const refused = (s: Seen, attribute: string): void =>
  failedWith(s, `${attribute}="${s.value}"`);
export const checksOf = (s: Seen): Extract<RunEvent, { type: "check-end" }>[] =>
  s.events.filter(
    (e): e is Extract<RunEvent, { type: "check-end" }> =>
      e.type === "check-end" && e.stepId === `from-${s.source}`,
  );
