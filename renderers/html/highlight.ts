import type { ElementContent } from "hast";
import { common, createLowlight } from "lowlight";

const lowlight = createLowlight(common);
// Runbook languages that highlight.js knows under another name. `shell` is
// bash in a runbook (SPEC 1.3) but a terminal transcript in highlight.js.
lowlight.registerAlias({
  sql: ["pgsql", "postgresql", "psql", "plpgsql"],
  shell: ["shell-session"],
  ini: ["conf", "cfg"],
});

const RUNBOOK_LANGS: Record<string, string> = { shell: "bash", sh: "bash" };

/** The grammar for a fenced block's language, or undefined to show it plain. */
export function grammarFor(lang: string): string | undefined {
  const name = RUNBOOK_LANGS[lang] ?? lang;
  return name && lowlight.registered(name) ? name : undefined;
}

/**
 * Highlights code as hast spans with highlight.js class names (styled by the
 * page's inline CSS, so nothing is fetched). Unknown languages come back as text.
 */
export function highlight(code: string, lang: string): ElementContent[] {
  const grammar = grammarFor(lang);
  if (!grammar) return [{ type: "text", value: code }];
  try {
    return lowlight.highlight(grammar, code).children as ElementContent[];
  } catch {
    return [{ type: "text", value: code }];
  }
}
