import { describe, expect, it } from "vitest";
import { parseRunbook } from "../../../engine/parse/index.js";

// Scale (the `scale` project, in `npm test`, not `test:fast`): documents of thousands of sections or nesting levels,
// each a result or a located error in linear time. The time bounds catch a hang or a quadratic blow-up, not a slowdown,
// and count this process's CPU time, not the wall clock: a loaded machine (other tests, other work) does not fail them.

/** The CPU time (user and system, this process) that `work` takes, in ms. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
describe("sections as CommonMark reads them, in a long file", () => {
  const steps = (text: string): string[] =>
    parseRunbook(text, { file: "x.md" }).runbook.steps.map(
      (s) => `${s.id}:${s.actions.map((a) => a.at.line).join(",")}`,
    );

  it("an unclosed fence at the top of a long file swallows the rest, in time linear in its size", () => {
    const body = Array.from(
      { length: 4000 },
      (_, i) => `## S${i}\n\n\`\`\`sh\necho ${i}\n\`\`\`\n`,
    ).join("\n");
    const cpu = cpuMs(() =>
      expect(steps(`## Top\n\n~~~sh\necho top\n\n${body}`)).toEqual(["top:3"]),
    );
    // Generous on purpose (an idle machine takes well under a second): it catches a hang or a quadratic blow-up, not
    // a slowdown; the parse budget is held by `npm run bench`.
    expect(cpu).toBeLessThan(20_000);
  });
});

describe("nesting and size: a result or a located error, in linear time", () => {
  const located = (text: string): string[] =>
    parseRunbook(text, { file: "x.md" })
      .diagnostics.filter((d) => d.severity === "error")
      .map((d) => `${d.line}:${d.column} ${d.rule}`);
  const cases: [string, string, string][] = [
    [
      "10,000 nested quotes on one line",
      `## A\n\n${">".repeat(10_000)} x\n`,
      "3:33 nesting",
    ],
    [
      "10,000 nested list items on one line",
      `## A\n\n${"- ".repeat(10_000)}x\n`,
      "3:65 nesting",
    ],
    [
      "10,000 lists nested by indentation",
      `## A\n\n${Array.from({ length: 10_000 }, (_, i) => `${" ".repeat(2 * i)}- x`).join("\n")}\n`,
      "35:65 nesting",
    ],
    [
      "50,000 nested *_ emphasis",
      `## A\n\n${"*_".repeat(50_000)}x${"_*".repeat(50_000)}\n`,
      "3:1 nesting",
    ],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      const cpu = cpuMs(() => expect(located(text)).toEqual([want]));
      // Generous on purpose, as above: a hang or a blow-up, not a slowdown.
      expect(cpu).toBeLessThan(10_000);
    });
  }

  it("reads ordinary nesting, deep YAML in a fence and snake_case in long tables", () => {
    const yaml = Array.from(
      { length: 60 },
      (_, i) => `${" ".repeat(2 * i)}- k${i}:`,
    ).join("\n");
    const table = Array.from(
      { length: 2000 },
      (_, i) => `| pg_stat_${i} | some_value_${i} |`,
    ).join("\n");
    const text = `## A\n\n- a\n  - b\n    - c\n      > d\n\n\`\`\`yaml\n${yaml}\n\`\`\`\n\n${table}\n\n\`\`\`sh\ntrue\n\`\`\`\n`;
    expect(located(text)).toEqual([]);
  });
});
