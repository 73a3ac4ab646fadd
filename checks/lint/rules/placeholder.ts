import {
  diagnostic,
  type Diagnostic,
  type SourceLocation,
} from "../../../engine/model/index.js";
import { placeholderFix } from "../placeholder-fix.js";
import type { Placeholder } from "../placeholders.js";
import type { LintContext, LintRule, Snippet } from "../types.js";

interface Use {
  readonly at: SourceLocation;
  readonly language: "shell" | "sql" | "psql";
  readonly param: string;
  readonly angle: boolean;
}

/**
 * Placeholders left in code (SPEC 5): `<your-host>`, `CHANGEME`, `xxx`. The
 * runbook cannot run as written (the shell reads `<your-host>` as
 * redirections; the other forms run with a dummy value), and the fix is a
 * param. Reported once per placeholder and file, where it first appears, with
 * the number of places; the tools see a plain word instead, so it is not also
 * a syntax error. `--fix` makes them params (placeholder-fix.ts).
 */
export const placeholder: LintRule = {
  id: "placeholder",
  check(ctx: LintContext): Diagnostic[] {
    const byText = new Map<string, Use[]>();
    const byFile = new Map<
      string,
      { snippet: Snippet; placeholder: Placeholder }[]
    >();
    for (const snippet of ctx.snippets) {
      for (const p of snippet.placeholders) {
        const at = snippet.locate(p.line, p.column);
        const inFile = byFile.get(at.file);
        if (inFile) inFile.push({ snippet, placeholder: p });
        else byFile.set(at.file, [{ snippet, placeholder: p }]);
        const key = `${at.file}\0${p.text}`;
        const uses = byText.get(key) ?? [];
        uses.push({
          at,
          language: snippet.language,
          param: p.param,
          angle: /^[<{[]/.test(p.text),
        });
        byText.set(key, uses);
      }
    }
    const declared = new Set(ctx.runbook.params.map((p) => p.name));
    const out: Diagnostic[] = [];
    for (const [key, uses] of byText) {
      const first = uses[0];
      if (!first) continue;
      const text = key.slice(key.indexOf("\0") + 1);
      const places = uses.length === 1 ? "" : ` (${uses.length} places)`;
      out.push(
        diagnostic(
          first.at,
          "error",
          "placeholder",
          `placeholder ${text} left in the code${places}: ${advice(first, declared)}`,
        ),
      );
    }
    for (const [file, uses] of byFile) {
      const fix = placeholderFix(ctx, file, uses);
      if (fix) ctx.fix(fix);
    }
    return out;
  },
};

function advice(use: Use, declared: ReadonlySet<string>): string {
  const name = use.param;
  const where =
    use.language === "shell"
      ? `"$${name}"`
      : `:'${name}' (a value) or :"${name}" (a name)`;
  if (!use.angle)
    return `declare a param for this value (secret: true for a password or token) and use it instead, like ${use.language === "shell" ? '"$name"' : ":'name'"}`;
  if (declared.has(name))
    return `param ${name} is declared: write ${where} here`;
  return `declare a param (params: { ${name}: { description: … } }) and write ${where} here`;
}
