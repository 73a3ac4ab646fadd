import type { Diagnostic, VarRef } from "../../engine/model/index.js";
import type { LintContext } from "./types.js";

/**
 * Diagnostics of `validateRunbook` that are false alarms in psql blocks:
 * variables the block defines itself (`\set n 5`, `\getenv home HOME`,
 * `\prompt 'Sure? ' answer`, and any name after `\gset`, which sets one
 * per column of a result) and psql's own upper-case variables (`:DBNAME`,
 * `:ROW_COUNT`). The parser reads every `:name` in a psql block as a
 * runbook variable; until it knows psql's, lint drops these.
 */
export function psqlLocalFalseAlarms(ctx: LintContext): Set<string> {
  const out = new Set<string>();
  for (const snippet of ctx.snippets) {
    if (snippet.language !== "psql" || snippet.origin.kind !== "action")
      continue;
    const defined = new Map<string, number>();
    let gsetLine = Number.POSITIVE_INFINITY;
    for (const meta of ctx.sql(snippet).metaCommands) {
      const line = snippet.locate(meta.line, 1).line;
      const words = meta.args.split(/\s+/).filter(Boolean);
      const name =
        meta.command === "prompt"
          ? words.at(-1)
          : meta.command === "set" || meta.command === "getenv"
            ? words[0]
            : undefined;
      if (name && !defined.has(name)) defined.set(name, line);
      if (meta.command === "gset") gsetLine = Math.min(gsetLine, line);
    }
    for (const ref of snippet.origin.action.refs) {
      if (ref.syntax === "brace") continue;
      const definedAt = defined.get(ref.name);
      const local =
        (definedAt !== undefined && definedAt <= ref.at.line) ||
        gsetLine <= ref.at.line ||
        /^[A-Z][A-Z0-9_]*$/.test(ref.name);
      if (local) out.add(key(ref));
    }
  }
  return out;
}

/** Whether `d` is one of the false alarms found by {@link psqlLocalFalseAlarms}. */
export function isFalseAlarm(
  d: Diagnostic,
  alarms: ReadonlySet<string>,
): boolean {
  return d.rule === "undefined-variable" && alarms.has(key(d));
}

function key(at: VarRef | Diagnostic): string {
  const where = "at" in at ? at.at : at;
  return `${where.file}:${where.line}:${where.column}`;
}
