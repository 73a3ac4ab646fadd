import {
  isCodeAction,
  type Check,
  type CodeAction,
  type Runbook,
} from "../engine/model/index.js";
import {
  checkHeld,
  checkValues,
  type CheckOutcome,
  type RunEvent,
} from "../engine/run/index.js";

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/** Where a sentinel's token was written or looked for. */
export interface SentinelPlace {
  readonly step: string;
  readonly title: string;
  readonly line: number;
  /** A block: it ran. A check: it found the token. */
  readonly ok: boolean;
  /** A block: `sh`, `sql`…; a check: `check N`. */
  readonly what: string;
  /** A check that did not find the token: what it got. */
  readonly got?: string;
}

/**
 * The proof of a run, as data (`--reporter json` prints it as its
 * `{"type":"proof"}` line before the run's end; the plain reporter prints it
 * as lines): every check that ran with its values, each sentinel's token with
 * where it was written and where it was found, and the steps skipped.
 */
export interface ProofSummary {
  readonly checks: readonly {
    readonly step: string;
    readonly title: string;
    readonly index: number;
    readonly line: number;
    readonly ok: boolean;
    readonly expected?: string;
    readonly actual?: string;
    readonly message: string;
  }[];
  readonly sentinels: readonly {
    readonly name: string;
    readonly token?: string;
    readonly proven: boolean;
    readonly written: readonly SentinelPlace[];
    readonly found: readonly SentinelPlace[];
  }[];
  readonly skipped: readonly {
    readonly step: string;
    readonly title: string;
    readonly unproven: boolean;
    readonly message?: string;
  }[];
}

/**
 * What a reporter remembers of a run to end it with its proof (issue 13: the
 * proof summary in every reporter): each check's outcome, which blocks ran,
 * which steps were skipped and why. Values are the engine's (masked there),
 * kept as they are.
 */
export class RunProof {
  private readonly checks = new Map<
    string,
    { step: string; index: number; line: number; outcome: CheckOutcome }
  >();
  private readonly ran = new Set<string>();
  private readonly skipped = new Map<
    string,
    { unproven: boolean; message?: string }
  >();
  private readonly titles = new Map<string, string>();
  private sentinels: Readonly<Record<string, string>> = {};

  constructor(private readonly runbook: Runbook | undefined) {}

  runStart(e: Of<"run-start">): void {
    for (const s of e.steps) {
      this.titles.set(s.id, s.title);
      if (s.state === "skipped" && s.selected)
        this.skipped.set(s.id, {
          unproven: s.unproven === true,
          message: "in an earlier session",
        });
    }
    this.sentinels = e.sentinels;
  }

  actionEnd(e: Of<"action-end">): void {
    if (e.outcome.kind === "ok") this.ran.add(`${e.stepId}#${e.index}`);
  }

  checkEnd(e: Of<"check-end">): void {
    if (e.outcome.attempts > 0)
      this.checks.set(`${e.stepId}#${e.index}`, {
        step: e.stepId,
        index: e.index,
        line: e.line,
        outcome: e.outcome,
      });
  }

  stepEnd(e: Of<"step-end">): void {
    if (e.state === "skipped")
      this.skipped.set(e.stepId, {
        unproven: e.unproven === true,
        ...(e.message !== undefined ? { message: e.message } : {}),
      });
    else this.skipped.delete(e.stepId);
  }

  /** The proof as data. */
  summary(): ProofSummary {
    const checks = [...this.checks.values()].map((c) => ({
      step: c.step,
      title: this.title(c.step),
      index: c.index,
      line: c.line,
      ok: checkHeld(c.outcome),
      ...checkValues(c.outcome),
      message: c.outcome.message,
    }));
    const sentinels = (this.runbook?.sentinels ?? []).map((s) =>
      this.sentinel(s.name),
    );
    const skipped = [...this.skipped].map(([id, s]) => ({
      step: id,
      title: this.title(id),
      unproven: s.unproven,
      ...(s.message !== undefined ? { message: s.message } : {}),
    }));
    return { checks, sentinels, skipped };
  }

  /** The lines that end the run: every check with its values, each sentinel's write and find, the skipped steps. */
  lines(): string[] {
    const { checks, sentinels, skipped } = this.summary();
    const out: string[] = [];
    if (checks.length > 0) {
      const failed = checks.filter((c) => !c.ok).length;
      out.push(
        `checks: ${checks.length - failed} passed${failed ? `, ${failed} failed` : ""}`,
      );
      for (const c of checks) {
        const values =
          c.expected !== undefined && c.actual !== undefined
            ? `expected ${c.expected} · got ${c.actual}`
            : c.message;
        out.push(
          `  ${c.ok ? "✔" : "✘"} ${c.title} › check ${c.index + 1} (line ${c.line}): ${values}`,
        );
      }
    }
    for (const s of sentinels) {
      const written = s.written.map(
        (w) =>
          `step "${w.title}" (${w.what} block, line ${w.line}${w.ok ? "" : ", not run"})`,
      );
      const found = s.found.map(
        (f) =>
          `step "${f.title}" (${f.what}, line ${f.line}: ${f.got === undefined ? (f.ok ? "got the token" : "not checked") : `got ${f.got}`})`,
      );
      out.push(
        `sentinel ${s.name}${s.token !== undefined ? ` ${s.token}` : ""}: ${s.proven ? "✔ proven: written, then found" : "✘ not proven"}`,
        `  written: ${written.join("; ") || "by no step"}`,
        `  found:   ${found.join("; ") || "checked by no step"}`,
      );
    }
    for (const s of skipped)
      out.push(
        `skipped: ${s.title} — ${s.unproven ? `unproven (${s.message ?? "after a failure"})` : `by choice${s.message && s.message !== "skipped by the operator" ? ` (${s.message})` : ", before it ran"}`}`,
      );
    return out;
  }

  private sentinel(name: string): ProofSummary["sentinels"][number] {
    const written: SentinelPlace[] = [];
    const found: SentinelPlace[] = [];
    for (const step of this.runbook?.steps ?? []) {
      step.actions.forEach((action, i) => {
        if (!isCodeAction(action) || !uses(action, name)) return;
        written.push({
          step: step.id,
          title: step.title,
          line: action.at.line,
          ok: this.ran.has(`${step.id}#${i}`),
          what: action.kind,
        });
      });
      step.checks.forEach((check, i) => {
        if (!verifies(check, name)) return;
        const c = this.checks.get(`${step.id}#${i}`);
        const got =
          c && !checkHeld(c.outcome)
            ? (checkValues(c.outcome)?.actual ?? c.outcome.message)
            : undefined;
        found.push({
          step: step.id,
          title: step.title,
          line: check.at.line,
          ok: c !== undefined && checkHeld(c.outcome),
          what: `check ${i + 1}`,
          ...(got !== undefined ? { got } : {}),
        });
      });
    }
    const token = this.sentinels[name];
    return {
      name,
      ...(token !== undefined ? { token } : {}),
      proven: written.some((w) => w.ok) && found.some((f) => f.ok),
      written,
      found,
    };
  }

  private title(id: string): string {
    return this.titles.get(id) ?? id;
  }
}

/** The check looks for the variable's value: it names it (`${name}` in an attribute, `:'name'` in its SQL). */
export function verifies(check: Check, name: string): boolean {
  return (
    check.refs.some((r) => r.name === name) ||
    (check.expectation.expect ?? "").includes(`\${${name}}`)
  );
}

/** The code uses the variable: a `${name}`/psql reference the parser found, or `$name` in a shell. */
export function uses(action: CodeAction, name: string): boolean {
  if (action.refs.some((r) => r.name === name)) return true;
  if (action.kind === "sh" || action.kind === "console")
    return new RegExp(`\\$\\{?${name}\\b`).test(action.code);
  return false;
}
