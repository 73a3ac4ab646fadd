import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Step } from "../../../engine/model/index.js";
import {
  automatic,
  type Interaction,
  type RunEvent,
} from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;
const ofType = <T extends RunEvent["type"]>(
  events: readonly RunEvent[],
  type: T,
): Of<T>[] => events.filter((e): e is Of<T> => e.type === type);

/** What the engine tells the operator's view (SPEC 4, 1.4): waiting checks, values of passing checks, the log, an edited step. */
describe("a wait= check while it polls (check-progress)", () => {
  it("reports the value each try got and how many tries so far, then ends with the value that passed", async () => {
    const dir = tempDir();
    // Each try counts one up in a file the runbook's folder holds: 1, 2, then 3 passes.
    const r = await runMarkdown(
      md(
        "## Wait",
        '::check{sh="n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; echo $((n+1))" expect="3" wait=20s every=50ms}',
      ),
      { dir },
    );
    expect(r.outcome.status).toBe("done");
    const progress = ofType(r.events, "check-progress");
    expect(
      progress.map((p) => [p.stepId, p.index, p.attempts, p.actual]),
    ).toEqual([
      ["wait", 0, 1, "1"],
      ["wait", 0, 2, "2"],
    ]);
    expect(progress[0]?.message).toBe('expected "3", got "1"');
    expect(progress[1]?.elapsedMs).toBeGreaterThan(0);
    const end = ofType(r.events, "check-end")[0];
    expect(end?.outcome).toMatchObject({
      kind: "pass",
      attempts: 3,
      expected: "3",
      actual: "3",
    });
    // The journal keeps the check's end, not each try.
    expect(
      r.journal
        .filter((e) => e.type === "check")
        .map((e) => e.type === "check" && e.attempts),
    ).toEqual([3]);
    expect(
      readFileSync(
        path.join(r.stateDir, "runs", r.outcome.runId, "journal.jsonl"),
        "utf8",
      ),
    ).not.toContain("check-progress");
  });

  it("reports the last error when a try fails to run (a refused connection), with no value", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "databases:",
        '  gone: { url: "postgres://nobody@127.0.0.1:1/nowhere" }',
        "---",
        "## Wait for the server",
        '::check{db=gone sql="SELECT 1" wait=4s every=200ms}',
      ),
      { dir },
    );
    expect(r.outcome.status).toBe("failed");
    const progress = ofType(r.events, "check-progress");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const p of progress) {
      expect(p.actual).toBeUndefined();
      expect(p.message).toMatch(/ECONNREFUSED|connect/);
    }
  });

  it("is throttled: the same value again is reported at most once a second, however often the check is tried", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md("## Wait", '::check{sh="echo 0" expect="1" wait=1500ms every=20ms}'),
      { dir },
    );
    const end = ofType(r.events, "check-end")[0];
    const progress = ofType(r.events, "check-progress");
    expect(end?.outcome.kind).toBe("mismatch");
    // Tried many times; the first try is reported, then at most one report per second of the wait.
    expect(end?.outcome.attempts).toBeGreaterThan(5);
    expect(progress[0]).toMatchObject({ attempts: 1, actual: "0" });
    expect(progress.length).toBeLessThanOrEqual(2);
    expect(progress.every((p) => p.actual === "0")).toBe(true);
  });
});

describe("a check that passed", () => {
  it("carries what was expected and what was found, like one that failed (event and journal)", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## Checks",
        '::check{sh="echo 3" expect="3"}',
        "",
        "::check{sh=\"printf 'a\\nb\\n'\" rows=2}",
        "",
        '::check{sh="true"}',
        "",
        '::check{sh="echo v15.2" match="^v1[0-9]"}',
        "",
        '::check{sh="true" empty}',
      ),
      { dir },
    );
    expect(r.outcome.status).toBe("done");
    const outcomes = ofType(r.events, "check-end").map((e) => [
      e.outcome.kind === "pass",
      e.outcome.kind === "pass" ? e.outcome.expected : undefined,
      e.outcome.kind === "pass" ? e.outcome.actual : undefined,
    ]);
    expect(outcomes).toEqual([
      [true, "3", "3"],
      [true, "2 rows", "2 lines"],
      [true, "exit 0", "exit 0"],
      [true, "/^v1[0-9]/", "v15.2"],
      [true, "empty", "0 lines"],
    ]);
    const journaled = r.journal.flatMap((e) =>
      e.type === "check" ? [[e.ok, e.expected, e.actual]] : [],
    );
    expect(journaled).toEqual(outcomes);
  });
});

describe("step-start", () => {
  it("says where the step’s full output is written", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md("## Say it", "```sh", 'echo "every word of it"', "```"),
      { dir },
    );
    const start = ofType(r.events, "step-start")[0];
    expect(start?.log).toBe(
      path.join(r.stateDir, "runs", r.outcome.runId, "output", "say-it.log"),
    );
    expect(readFileSync(start?.log ?? "", "utf8")).toContain(
      "every word of it",
    );
  });
});

describe("r after the runbook was edited", () => {
  const broken = md(
    "# Fix",
    "",
    "## Load",
    "",
    "```sh",
    'echo "old text ran"',
    "exit 3",
    "```",
    "",
    "## After",
    "",
    "```sh",
    'echo "after: old"',
    "```",
  );
  const fixed = md(
    "# Fix",
    "",
    "## Load",
    "",
    "Fixed: the exit is gone.",
    "",
    "```sh",
    'echo "new text ran"',
    "```",
    "",
    "## After",
    "",
    "```sh",
    'echo "after: new"',
    "```",
  );

  it("runs the new text of the step and of the steps after it, and says (and journals) that it changed", async () => {
    const dir = tempDir();
    const file = path.join(dir, "runbook.md");
    const reread: string[][] = [];
    const asked: string[] = [];
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async (_step, message) => {
        asked.push(message);
        writeFileSync(file, fixed);
        return "retry";
      },
      reread: (steps: readonly Step[]) =>
        reread.push(steps.map((s) => `${s.id}:${s.hash}`)),
    };
    const r = await runMarkdown(broken, {
      dir,
      yes: "steps",
      interaction,
      reload: true,
    });
    expect(r.outcome.status).toBe("done");
    expect(asked).toHaveLength(1);
    expect(r.output).toContain("old text ran");
    expect(r.output).toContain("new text ran");
    expect(r.output).toContain("after: new");
    expect(r.output).not.toContain("after: old");
    const starts = ofType(r.events, "step-start");
    const before = r.runbook.steps.map((s) => s.hash);
    expect(starts.map((s) => [s.stepId, s.attempt, s.changed?.from])).toEqual([
      ["load", 1, undefined],
      ["load", 2, before[0]],
      ["after", 1, before[1]],
    ]);
    expect(starts[1]?.changed?.to).not.toBe(before[0]);
    expect(reread).toEqual([
      [`load:${starts[1]?.changed?.to}`, `after:${starts[2]?.changed?.to}`],
    ]);
    const journaled = r.journal.flatMap((e) =>
      e.type === "step-start"
        ? [[e.step, e.attempt, e.changed?.from, e.changed?.to]]
        : [],
    );
    expect(journaled).toEqual(
      starts.map((s) => [s.stepId, s.attempt, s.changed?.from, s.changed?.to]),
    );
  });

  it("a retry without an edit runs the same text and says nothing changed", async () => {
    const dir = tempDir();
    let tries = 0;
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async () => (++tries < 2 ? "retry" : "quit"),
    };
    const r = await runMarkdown(broken, {
      dir,
      yes: "steps",
      interaction,
      reload: true,
    });
    expect(r.outcome.status).toBe("failed");
    expect(
      ofType(r.events, "step-start").map((s) => [s.attempt, s.changed]),
    ).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
  });

  it("an edit that does not read runs nothing: the operator is asked again with the located error, and a fix then runs", async () => {
    const dir = tempDir();
    const file = path.join(dir, "runbook.md");
    const asked: string[] = [];
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async (_step, message) => {
        asked.push(message);
        // First an edit with a typo in an attribute, then the real fix.
        writeFileSync(
          file,
          asked.length === 1
            ? fixed.replace(
                '```sh\necho "new text ran"',
                '```sh {timout=5m}\necho "new text ran"',
              )
            : fixed,
        );
        return "retry";
      },
    };
    const r = await runMarkdown(broken, {
      dir,
      yes: "steps",
      interaction,
      reload: true,
    });
    expect(r.outcome.status).toBe("done");
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:7:\\d+: .*timout.* — nothing was run: fix the runbook, then retry`,
      ),
    );
    const notices = ofType(r.events, "notice");
    expect(notices.map((n) => n.level)).toEqual(["error"]);
    expect(
      ofType(r.events, "step-start")
        .filter((s) => s.stepId === "load")
        .map((s) => s.attempt),
    ).toEqual([1, 2]);
    expect(r.output).toContain("new text ran");
  });

  it("a step of the run that is gone from the edited runbook stops the retry until it is back", async () => {
    const dir = tempDir();
    const file = path.join(dir, "runbook.md");
    const asked: string[] = [];
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async (_step, message) => {
        asked.push(message);
        writeFileSync(
          file,
          asked.length === 1
            ? fixed.replace("## After", "## Afterwards")
            : fixed,
        );
        return asked.length < 3 ? "retry" : "quit";
      },
    };
    const r = await runMarkdown(broken, {
      dir,
      yes: "steps",
      interaction,
      reload: true,
    });
    expect(r.outcome.status).toBe("done");
    expect(asked[1]).toMatch(
      /step "after" of this run is no longer in the runbook .* nothing was run: put it back, then retry/,
    );
    expect(r.output).toContain("after: new");
  });
});

describe("a skip after a failure", () => {
  it("is journaled as unproven, so a resumed run still knows it", async () => {
    const dir = tempDir();
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async () => "skip",
    };
    const r = await runMarkdown(
      md(
        "## Broken",
        "```sh",
        "exit 3",
        "```",
        "## Fine",
        "```sh",
        "true",
        "```",
      ),
      { dir, yes: "steps", interaction },
    );
    expect(r.outcome.status).toBe("incomplete");
    const ends = r.journal.flatMap((e) =>
      e.type === "step-end" ? [[e.step, e.state, e.unproven === true]] : [],
    );
    expect(ends).toEqual([
      ["broken", "failed", false],
      ["broken", "skipped", true],
      ["fine", "done", false],
    ]);
  });
});
