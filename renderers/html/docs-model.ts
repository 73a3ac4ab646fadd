import type {
  Action,
  Check,
  CodeAction,
  Diagnostic,
  Runbook,
  Sentinel,
  Step,
} from "../../engine/model/index.js";
import { createMasker, type Masker } from "./masking.js";

/** Where a sentinel is written or verified. */
export interface SentinelUse {
  readonly step: Step;
  /** 1-based line in `step.at.file`. */
  readonly line: number;
  /** `sql on old`, `check (sh)`. */
  readonly what: string;
  /** The page anchor of the action or check. */
  readonly anchor: string;
}

/** A sentinel followed from its definition to where it is written and verified (SPEC 1.4). */
export interface SentinelTrace {
  readonly sentinel: Sentinel;
  readonly writes: readonly SentinelUse[];
  readonly verifies: readonly SentinelUse[];
}

export interface Located<T> {
  readonly step: Step;
  readonly item: T;
  readonly index: number;
  readonly anchor: string;
}

/** Everything the docs renderers look up about a runbook, computed once. */
export interface DocsModel {
  readonly runbook: Runbook;
  readonly diagnostics: readonly Diagnostic[];
  readonly masker: Masker;
  readonly steps: ReadonlyMap<string, Step>;
  /** 1-based position of each step in execution order. */
  readonly position: ReadonlyMap<string, number>;
  readonly sentinels: readonly SentinelTrace[];
  /** The action written at `file:line` (a fence, `::manual`, `::confirm`). */
  actionAt(file: string, line: number): Located<Action> | undefined;
  /** The check whose directive starts at `file:line`. */
  checkAt(file: string, line: number): Located<Check> | undefined;
}

/** Anchor of a step's action (`restore.a1`) or check (`restore.c2`); 1-based. */
export function itemAnchor(
  stepId: string,
  kind: "a" | "c",
  index: number,
): string {
  return `${stepId}.${kind}${index + 1}`;
}

/** Anchor of a sentinel's marker. */
export function sentinelAnchor(name: string): string {
  return `sentinel-${name}`;
}

export function buildDocsModel(
  runbook: Runbook,
  diagnostics: readonly Diagnostic[] = [],
): DocsModel {
  const actions = new Map<string, Located<Action>>();
  const checks = new Map<string, Located<Check>>();
  for (const step of runbook.steps) {
    step.actions.forEach((item, index) =>
      actions.set(`${item.at.file}:${item.at.line}`, {
        step,
        item,
        index,
        anchor: itemAnchor(step.id, "a", index),
      }),
    );
    step.checks.forEach((item, index) =>
      checks.set(`${item.at.file}:${item.at.line}`, {
        step,
        item,
        index,
        anchor: itemAnchor(step.id, "c", index),
      }),
    );
  }
  return {
    runbook,
    diagnostics,
    masker: createMasker(runbook),
    steps: new Map(runbook.steps.map((s) => [s.id, s])),
    position: new Map(runbook.order.map((id, i) => [id, i + 1])),
    sentinels: runbook.sentinels.map((sentinel) =>
      traceSentinel(runbook, sentinel),
    ),
    actionAt: (file, line) => actions.get(`${file}:${line}`),
    checkAt: (file, line) => checks.get(`${file}:${line}`),
  };
}

function traceSentinel(runbook: Runbook, sentinel: Sentinel): SentinelTrace {
  const writes: SentinelUse[] = [];
  const verifies: SentinelUse[] = [];
  const uses = usePattern(sentinel.name);
  for (const step of runbook.steps) {
    step.actions.forEach((action, index) => {
      if (action.kind === "manual" || action.kind === "confirm") return;
      if (
        action.refs.some((r) => r.name === sentinel.name) ||
        uses.test(action.code)
      ) {
        writes.push({
          step,
          line: action.at.line,
          what: `${action.kind}${action.options.db ? ` on ${action.options.db}` : action.options.on ? ` on ${action.options.on}` : ""}`,
          anchor: itemAnchor(step.id, "a", index),
        });
      }
    });
    step.checks.forEach((check, index) => {
      const inExpect = [check.expectation.expect, check.expectation.match].some(
        (v) => v !== undefined && uses.test(v),
      );
      if (
        inExpect ||
        check.refs.some((r) => r.name === sentinel.name) ||
        uses.test(check.code)
      ) {
        verifies.push({
          step,
          line: check.at.line,
          what: `${check.kind} check${check.db ? ` on ${check.db}` : ""}`,
          anchor: itemAnchor(step.id, "c", index),
        });
      }
    });
  }
  return { sentinel, writes, verifies };
}

/** `${name}`, `$name`, `:'name'`, `:"name"` or `:name`: every way code can use a variable. */
function usePattern(name: string): RegExp {
  return new RegExp(
    `\\$\\{${name}\\}|\\$${name}(?![\\w])|:['"]?${name}(?![\\w])`,
  );
}

/** What sets a step apart for the operator. */
export interface StepTraits {
  readonly manual: boolean;
  /** A `::confirm` gate (yes/no or typed). */
  readonly gate: boolean;
  readonly typedGate: boolean;
  /** A code block with `confirm`. */
  readonly confirmBlock: boolean;
  readonly checks: number;
}

export function stepTraits(step: Step): StepTraits {
  return {
    manual: step.actions.some((a) => a.kind === "manual"),
    gate: step.actions.some((a) => a.kind === "confirm"),
    typedGate: step.actions.some(
      (a) => a.kind === "confirm" && a.typed !== undefined,
    ),
    confirmBlock: step.actions.some(
      (a) => a.kind !== "manual" && a.kind !== "confirm" && a.options.confirm,
    ),
    checks: step.checks.length,
  };
}

/** A code block (not `::manual` or `::confirm`); the model's own guard, kept here so renderers import only types. */
export function isCode(action: Action): action is CodeAction {
  return action.kind !== "manual" && action.kind !== "confirm";
}
