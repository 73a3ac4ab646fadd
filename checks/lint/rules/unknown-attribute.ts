import { diagnostic, isCodeAction, type Diagnostic, type SourceLocation } from '../../../engine/model/index.js';
import { CODE_ATTRIBUTES, DIRECTIVE_ATTRIBUTES } from '../../../engine/parse/index.js';
import { suggest } from '../suggest.js';
import type { LintContext, LintRule } from '../types.js';

/**
 * Runme's cell attributes (https://runme.dev), in its JSON or brace form:
 * runbooks shared with Runme carry them, and they are not mistakes here.
 */
const RUNME_ATTRIBUTES = new Set([
  'name', 'background', 'category', 'closeTerminalOnSuccess', 'excludeFromRunAll', 'interactive', 'interpreter',
  'mimeType', 'promptEnv', 'skipPrompts', 'terminalRows', 'cwd', 'id',
]);

/**
 * An attribute that runbook does not read, on a code block or on one of its
 * directives. A near miss of a known one (`{confrim}`, `{dbb=app}`) is an
 * error: the confirmation or database the author meant is silently not
 * there. Other names are warnings; Runme's attributes are not reported.
 */
export const unknownAttribute: LintRule = {
  id: 'unknown-attribute',
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    const report = (at: SourceLocation, key: string, known: ReadonlySet<string>, where: string): void => {
      if (known.has(key) || key === 'class' || RUNME_ATTRIBUTES.has(key) || key.startsWith('runme.dev/')) return;
      const place = findAttribute(ctx, at, key);
      const meant = suggest(key, known);
      out.push(
        meant
          ? diagnostic(place, 'error', 'unknown-attribute', `unknown attribute "${key}" on ${where}: did you mean "${meant}"? As written it is ignored`)
          : diagnostic(place, 'warning', 'unknown-attribute', `unknown attribute "${key}" on ${where}: runbook ignores it`),
      );
    };
    for (const use of ctx.runbook.directives) {
      const known = DIRECTIVE_ATTRIBUTES[use.name];
      if (!use.known || !known) continue;
      for (const key of Object.keys(use.attributes)) report(use.at, key, known, `::${use.name}`);
    }
    const checkKeys = new Set([...(DIRECTIVE_ATTRIBUTES['check'] ?? []), ...CODE_ATTRIBUTES]);
    const directiveAt = new Map(ctx.runbook.directives.map((d) => [`${d.at.file}:${d.at.line}:${d.at.column}`, d]));
    for (const step of ctx.runbook.steps) {
      for (const action of step.actions) {
        if (!isCodeAction(action)) continue;
        for (const key of Object.keys(action.attributes)) report(action.at, key, CODE_ATTRIBUTES, `a \`\`\`${action.lang} block`);
      }
      for (const check of step.checks) {
        if (check.form !== 'container') continue;
        // The directive's own attributes were reported above; these came from the block inside.
        const own = directiveAt.get(`${check.at.file}:${check.at.line}:${check.at.column}`)?.attributes ?? {};
        const fence: SourceLocation = { ...check.codeAt, line: check.codeAt.line - 1 };
        for (const key of Object.keys(check.attributes)) if (!(key in own)) report(fence, key, checkKeys, 'the block of a :::check');
      }
    }
    return out;
  },
};

/** Where `key` is written as an attribute on the line of `at` (or the next two lines). */
function findAttribute(ctx: LintContext, at: SourceLocation, key: string): SourceLocation {
  const pattern = new RegExp(`(^|[{\\s"'])(${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?=["']?\\s*[=}\\s:])`);
  for (let i = 0; i < 3; i++) {
    const text = ctx.source.line(at.file, at.line + i);
    const m = pattern.exec(i === 0 ? text.slice(at.column - 1) : text);
    if (m) return { file: at.file, line: at.line + i, column: (i === 0 ? at.column - 1 : 0) + m.index + (m[1]?.length ?? 0) + 1 };
  }
  return at;
}
