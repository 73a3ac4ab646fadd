import type { Plan } from "../engine/plan.js";

/** `runbook plan` for people: the steps in order with where each action runs. */
export function renderPlanText(plan: Plan): string {
  const out: string[] = [`${plan.title}  (${plan.file}, ${plan.mode})`];
  if (plan.params.length > 0) {
    out.push("", "params:");
    for (const p of plan.params)
      out.push(
        `  ${p.name} = ${p.value === undefined ? "(not set)" : p.secret ? "*** (secret)" : JSON.stringify(p.value)}${p.source ? `  [${p.source}]` : ""}`,
      );
  }
  out.push("");
  if (plan.steps.length === 0) {
    out.push(
      "No steps: a step is a section with a ```sh, ```sql or ```psql block, a check, ::manual or ::confirm.",
    );
    return `${out.join("\n")}\n`;
  }
  const width = String(plan.steps.length).length;
  plan.steps.forEach((step, i) => {
    out.push(
      `${String(i + 1).padStart(width)}. ${step.id}  ${step.title === step.id ? "" : `"${step.title}"`}  (line ${step.line})`.trimEnd(),
    );
    const pad = " ".repeat(width + 2);
    if (step.needs.length > 0) out.push(`${pad}needs ${step.needs.join(", ")}`);
    for (const a of step.actions) {
      const where = a.target ?? a.db ?? a.on;
      const flags = [
        a.user ? `as ${a.user}` : "",
        a.only ? `only ${a.only}` : "",
        a.confirm ? "confirm" : "",
        a.capture ? `capture ${a.capture}` : "",
      ]
        .filter(Boolean)
        .join(", ");
      out.push(
        `${pad}${a.kind.padEnd(8)}${where ? ` ${a.db ? `${a.db}: ` : ""}${where}` : ""}${flags ? `  [${flags}]` : ""}  (line ${a.line})`,
      );
    }
    for (const c of step.checks)
      out.push(
        `${pad}check ${c.kind}${c.db ? ` on ${c.db}` : ""}${c.wait ? `, waits up to ${c.wait}` : ""}  (line ${c.line})`,
      );
  });
  return `${out.join("\n")}\n`;
}
