import { describe, expect, it } from "vitest";
import type { Interaction } from "../../../engine/run/index.js";
import { automatic } from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

/** SPEC 2, "The outcome is honest": `done` only when every selected step ended done or was skipped by choice before it ran. */
describe("the outcome is honest", () => {
  const body = md(
    "## Good",
    "```sh",
    "true",
    "```",
    "## Broken",
    "```sh",
    "exit 3",
    "```",
    "## Unchecked",
    '::check{sh="echo 1" expect=2}',
    "## Chosen",
    "```sh",
    "true",
    "```",
    "## Last",
    "```sh",
    "true",
    "```",
  );

  it("a step skipped after it failed, and one whose check failed, make the run incomplete (exit 1), naming them", async () => {
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      confirmStep: async () => "run",
      failed: async () => "skip",
    };
    const r = await runMarkdown(body, {
      dir: tempDir(),
      yes: "none",
      interaction,
    });
    const ends = r.events
      .filter((e) => e.type === "step-end")
      .map((e) =>
        e.type === "step-end"
          ? `${e.stepId}:${e.state}${e.unproven ? ":unproven" : ""}`
          : "",
      );
    expect(ends).toEqual([
      "good:done",
      "broken:failed",
      "broken:skipped:unproven",
      "unchecked:failed",
      "unchecked:skipped:unproven",
      "chosen:done",
      "last:done",
    ]);
    expect(r.outcome).toMatchObject({ status: "incomplete", exitCode: 1 });
    const end = r.events.find((e) => e.type === "run-end");
    expect(end?.type === "run-end" && end.message).toMatch(
      /2 of 5 steps skipped unproven \(broken, unchecked\)/,
    );
    // The run-end names them, so a reporter shows them without deriving anything.
    expect(end?.type === "run-end" && end.unproven).toEqual([
      "broken",
      "unchecked",
    ]);
    expect(r.journal.find((e) => e.type === "run-end")).toMatchObject({
      unproven: ["broken", "unchecked"],
    });
  });

  it("a step skipped by choice before it ran leaves the run done", async () => {
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      confirmStep: async (step) =>
        step.id === "broken" || step.id === "unchecked" ? "skip" : "run",
    };
    const r = await runMarkdown(body, {
      dir: tempDir(),
      yes: "none",
      interaction,
    });
    expect(r.outcome).toMatchObject({ status: "done", exitCode: 0 });
    const end = r.events.find((e) => e.type === "run-end");
    expect(end?.type === "run-end" && end.unproven).toEqual([]);
  });
});
