import { diagnostic, type Diagnostic, type Severity } from '../../../engine/model/index.js';
import type { LintContext, LintRule } from '../types.js';
import { unsharedVariables } from '../shared-variables.js';
import { isAssignmentsOnly } from './assignments-only.js';
import { hasShellSyntaxError } from './shell-syntax.js';

const SEVERITY: Record<'error' | 'warning' | 'info' | 'style', Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };

/**
 * shellcheck's findings on shell blocks, checks and console sessions, with
 * its own code in the rule id (`shellcheck/SC2086`) and its level as the
 * severity (style and info are `info`). Its parse errors (SC1xxx) are left
 * out where bash -n already reported the syntax error.
 */
export const shellcheckFindings: LintRule = {
  id: 'shellcheck/',
  needsTools: true,
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    // "appears unused" of a variable a later block uses is said better by variable-not-shared.
    const unshared = new Set(unsharedVariables(ctx).map((v) => `${v.snippet.id}\0${v.name}`));
    for (const snippet of ctx.snippets) {
      const findings = ctx.tools.get(snippet.id) ?? [];
      const syntaxError = findings.length > 0 && hasShellSyntaxError(ctx, snippet);
      // A block of bare assignments gets one assignments-only warning instead of SC2034 on each line.
      const unusedIsKnown = findings.length > 0 && isAssignmentsOnly(ctx, snippet);
      for (const f of findings) {
        if (f.tool !== 'shellcheck' || (syntaxError && f.code < 2000) || (unusedIsKnown && f.code === 2034)) continue;
        if (f.code === 2034 && unshared.has(`${snippet.id}\0${/^(\w+) appears unused/.exec(f.message)?.[1] ?? ''}`)) continue;
        out.push(diagnostic(snippet.locate(f.line, f.column), SEVERITY[f.level], `shellcheck/SC${f.code}`, f.message));
      }
    }
    return out;
  },
};
