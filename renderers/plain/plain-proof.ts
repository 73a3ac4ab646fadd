import { isCodeAction, type CodeAction, type Runbook } from '../../engine/model/index.js';
import type { CheckOutcome, RunEvent } from '../../engine/run/index.js';

type Of<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/**
 * What the plain reporter remembers of a run to end it with its proof (issue
 * 13: the proof summary in every reporter): each check's outcome, which
 * blocks ran, which steps were skipped and why. Values are the engine's
 * (masked there), printed as they are.
 */
export class PlainProof {
  private readonly checks = new Map<string, { step: string; index: number; line: number; outcome: CheckOutcome }>();
  private readonly ran = new Set<string>();
  private readonly skipped = new Map<string, { unproven: boolean; message?: string }>();
  private readonly titles = new Map<string, string>();
  private sentinels: Readonly<Record<string, string>> = {};

  constructor(private readonly runbook: Runbook | undefined) {}

  runStart(e: Of<'run-start'>): void {
    for (const s of e.steps) {
      this.titles.set(s.id, s.title);
      if (s.state === 'skipped' && s.selected) this.skipped.set(s.id, { unproven: s.unproven === true, message: 'in an earlier session' });
    }
    this.sentinels = e.sentinels;
  }

  actionEnd(e: Of<'action-end'>): void {
    if (e.ok && e.skipped === undefined) this.ran.add(`${e.stepId}#${e.index}`);
  }

  checkEnd(e: Of<'check-end'>): void {
    if (e.outcome.attempts > 0) this.checks.set(`${e.stepId}#${e.index}`, { step: e.stepId, index: e.index, line: e.line, outcome: e.outcome });
  }

  stepEnd(e: Of<'step-end'>): void {
    if (e.state === 'skipped') this.skipped.set(e.stepId, { unproven: e.unproven === true, ...(e.message !== undefined ? { message: e.message } : {}) });
    else this.skipped.delete(e.stepId);
  }

  /** The lines that end the run: every check with its values, each sentinel's write and find, the skipped steps. */
  lines(): string[] {
    const out: string[] = [];
    const checks = [...this.checks.values()];
    if (checks.length > 0) {
      const failed = checks.filter((c) => !c.outcome.ok).length;
      out.push(`checks: ${checks.length - failed} passed${failed ? `, ${failed} failed` : ''}`);
      for (const c of checks) {
        const values = c.outcome.expected !== undefined && c.outcome.actual !== undefined ? `expected ${c.outcome.expected} · got ${c.outcome.actual}` : c.outcome.message;
        out.push(`  ${c.outcome.ok ? '✔' : '✘'} ${this.title(c.step)} › check ${c.index + 1} (line ${c.line}): ${values}`);
      }
    }
    for (const s of this.runbook?.sentinels ?? []) out.push(...this.sentinel(s.name));
    for (const [id, s] of this.skipped) out.push(`skipped: ${this.title(id)} — ${s.unproven ? `unproven (${s.message ?? 'after a failure'})` : `by choice${s.message && s.message !== 'skipped by the operator' ? ` (${s.message})` : ', before it ran'}`}`);
    return out;
  }

  private sentinel(name: string): string[] {
    const runbook = this.runbook;
    if (!runbook) return [];
    const writes: string[] = [];
    let wrote = false;
    for (const step of runbook.steps) {
      step.actions.forEach((action, i) => {
        if (!isCodeAction(action) || !uses(action, name)) return;
        const ran = this.ran.has(`${step.id}#${i}`);
        wrote ||= ran;
        writes.push(`step "${step.title}" (${action.kind} block, line ${action.at.line}${ran ? '' : ', not run'})`);
      });
    }
    const finds: string[] = [];
    let found = false;
    for (const step of runbook.steps) {
      step.checks.forEach((check, i) => {
        if (!check.refs.some((r) => r.name === name) && !(check.expectation.expect ?? '').includes(`\${${name}}`)) return;
        const c = this.checks.get(`${step.id}#${i}`);
        found ||= c?.outcome.ok === true;
        finds.push(`step "${step.title}" (check ${i + 1}, line ${check.at.line}: ${c ? (c.outcome.ok ? 'got the token' : `got ${c.outcome.actual ?? c.outcome.message}`) : 'not checked'})`);
      });
    }
    const token = this.sentinels[name];
    return [
      `sentinel ${name}${token !== undefined ? ` ${token}` : ''}: ${wrote && found ? '✔ proven: written, then found' : '✘ not proven'}`,
      `  written: ${writes.join('; ') || 'by no step'}`,
      `  found:   ${finds.join('; ') || 'checked by no step'}`,
    ];
  }

  private title(id: string): string {
    return this.titles.get(id) ?? id;
  }
}

/** The code uses the variable: a `${name}`/psql reference the parser found, or `$name` in a shell. */
function uses(action: CodeAction, name: string): boolean {
  if (action.refs.some((r) => r.name === name)) return true;
  if (action.kind === 'sh' || action.kind === 'console') return new RegExp(`\\$\\{?${name}\\b`).test(action.code);
  return false;
}
