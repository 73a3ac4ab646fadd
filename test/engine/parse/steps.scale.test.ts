import { describe, expect, it } from "vitest";
import { errors, md, parse } from "../../helpers/parse.js";

// Scale (the `scale` project, in `npm test`, not `test:fast`): a graph of thousands of steps.
describe("steps (SPEC 1.2) at scale", () => {
  it("reports a long cycle once, with its path shortened, in linear time", () => {
    const n = 2000;
    const lines = Array.from({ length: n }, (_, i) => [
      `## S${i}`,
      `::step{#s${i} needs="s${(i + 1) % n}"}`,
      "```sh",
      "x",
      "```",
    ]).flat();
    const cycles = errors(parse(md(...lines)).diagnostics).filter(
      (d) => d.rule === "cycle",
    );
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toMatch(
      /^steps depend on each other in a cycle: s0 → s1 → s2 → s3 → … 1994 more … → s1998 → s1999 → s0$/,
    );
  });
});
