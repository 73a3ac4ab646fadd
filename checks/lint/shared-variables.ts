import type { SourceLocation } from "../../engine/model/index.js";
import type { LintContext, Snippet } from "./types.js";

/** A variable a block sets that a later block uses: each block runs in a shell of its own, so the value is lost. */
export interface UnsharedVariable {
  readonly snippet: Snippet;
  readonly name: string;
  /** Where it is set. */
  readonly at: SourceLocation;
  /** Where a later block uses it. */
  readonly use: SourceLocation;
}

const cache = new WeakMap<LintContext, UnsharedVariable[]>();

/**
 * Variables set by a bare assignment (`POD_IP=$(…)`, `export X=…`) in a shell
 * block and used (`$POD_IP`) by a later block that does not set them itself:
 * a page written for one terminal session, where runbook runs each block in
 * a shell of its own. A param or a capture of that name is fine. Computed
 * once per runbook, in one pass over the uses.
 */
export function unsharedVariables(ctx: LintContext): UnsharedVariable[] {
  const known = cache.get(ctx);
  if (known) return known;
  const shells = ctx.snippets.filter(
    (s) => s.language === "shell" && s.origin.kind === "action",
  );
  const usesOf = new Map<string, number[]>();
  shells.forEach((s, i) => {
    for (const name of new Set(ctx.shell(s).variables.map((v) => v.name)))
      usesOf.set(name, [...(usesOf.get(name) ?? []), i]);
  });
  const out: UnsharedVariable[] = [];
  shells.forEach((s, i) => {
    const scan = ctx.shell(s);
    if (scan.dynamic) return;
    const seen = new Set<string>();
    for (const command of scan.commands) {
      const exported =
        command.words.length >= 2 && command.words[0]?.text === "export";
      const words =
        command.words.length === 0
          ? command.assignments
          : exported
            ? command.words.slice(1)
            : [];
      for (const word of words) {
        const name = /^([A-Za-z_]\w*)=/.exec(word.text)?.[1];
        if (
          !name ||
          seen.has(name) ||
          ctx.known.params.has(name) ||
          ctx.known.captures.has(name)
        )
          continue;
        seen.add(name);
        const later = (usesOf.get(name) ?? []).find(
          (j) =>
            j > i && !(shells[j] && ctx.shell(shells[j]).assigned.has(name)),
        );
        const user = later === undefined ? undefined : shells[later];
        const use =
          user && ctx.shell(user).variables.find((v) => v.name === name);
        if (user && use)
          out.push({
            snippet: s,
            name,
            at: s.locate(word.line, word.column),
            use: user.locate(use.line, use.column),
          });
      }
    }
  });
  cache.set(ctx, out);
  return out;
}
