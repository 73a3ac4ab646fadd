import { describe, expect, it } from "vitest";
import { parse } from "../../helpers/parse.js";

const runbook = (wait: string): string =>
  `---\nparams:\n  arrival_wait: { default: 20s, rehearsal: 5s }\ndatabases:\n  app: { url: "postgres://x" }\n---\n## Prove it\n::check{db=app sql="SELECT 1" expect="1" ${wait} every=500ms}\n`;

describe("every= and wait=", () => {
  it("warns that every= does nothing without wait=", () => {
    expect(parse(runbook("")).diagnostics.map((d) => d.message)).toEqual([
      "every= has no effect without wait=",
    ]);
  });

  it("does not warn when ${…} fills wait= in at run time (a rehearsal-only wait)", () => {
    const { runbook: rb, diagnostics } = parse(
      runbook('wait="${arrival_wait}"'),
    );
    expect(diagnostics).toEqual([]);
    expect(rb.steps[0]?.checks[0]?.attributes["wait"]).toBe("${arrival_wait}");
  });
});
