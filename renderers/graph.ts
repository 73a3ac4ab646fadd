import type { Runbook } from "../engine/model/index.js";

export type GraphFormat = "mermaid" | "dot" | "json";

/** The step graph as Mermaid, Graphviz dot or JSON. Node ids are positional so any step id is safe. */
export function renderGraph(runbook: Runbook, format: GraphFormat): string {
  const index = new Map(runbook.steps.map((s, i) => [s.id, i]));
  const edges = runbook.steps.flatMap((s) =>
    s.needs.filter((n) => index.has(n)).map((n) => ({ from: n, to: s.id })),
  );
  switch (format) {
    case "json":
      return `${JSON.stringify(
        {
          title: runbook.title,
          nodes: runbook.steps.map((s) => ({
            id: s.id,
            title: s.title,
            line: s.at.line,
          })),
          edges,
          order: runbook.order,
        },
        null,
        2,
      )}\n`;
    case "mermaid": {
      const lines = ["flowchart TD"];
      runbook.steps.forEach((s, i) =>
        lines.push(
          `  s${i}["${mermaidText(s.title)}<br/><small>${mermaidText(s.id)}</small>"]`,
        ),
      );
      for (const e of edges)
        lines.push(`  s${index.get(e.from)} --> s${index.get(e.to)}`);
      return `${lines.join("\n")}\n`;
    }
    case "dot": {
      const lines = [
        "digraph runbook {",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="sans-serif"];',
      ];
      runbook.steps.forEach((s) =>
        lines.push(
          `  ${dotString(s.id)} [label=${dotString(`${s.title}\n${s.id}`)}];`,
        ),
      );
      for (const e of edges)
        lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)};`);
      lines.push("}");
      return `${lines.join("\n")}\n`;
    }
  }
}

function mermaidText(text: string): string {
  return text.replace(/[&"<>#]/g, (c) => `#${c.charCodeAt(0)};`);
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
