import { describe, expect, it } from "vitest";
import { errors, md, parse } from "../../helpers/parse.js";

describe("steps (SPEC 1.2)", () => {
  it("makes a step of each section with an executable block; other sections are context", () => {
    const { runbook, diagnostics } = parse(
      md(
        "# Title",
        "Intro prose.",
        "",
        "## Prepare",
        "Just words.",
        "",
        "## Run it",
        "```sh",
        "echo hi",
        "```",
        "",
        "## After",
        "words",
      ),
    );
    expect(errors(diagnostics)).toEqual([]);
    expect(runbook.steps.map((s) => s.id)).toEqual(["run-it"]);
    expect(runbook.sections.map((s) => s.heading?.text)).toEqual([
      "Title",
      "Prepare",
      "Run it",
      "After",
    ]);
    expect(runbook.steps[0]?.context.map((s) => s.heading?.text)).toEqual([
      "Title",
      "Prepare",
    ]);
  });

  it("counts checks, ::manual, ::confirm and file= blocks as making a step, but not other languages", () => {
    const { runbook } = parse(
      md(
        "## A",
        '::check{sh="true"}',
        "## B",
        "::manual[Call the DBA]",
        "## C",
        "::confirm",
        "## D",
        "```conf {file=/tmp/x}",
        "a=1",
        "```",
        "## E",
        "```yaml",
        "a: 1",
        "```",
        "## F",
        "```sh {run=false}",
        "rm -rf /",
        "```",
      ),
    );
    expect(runbook.steps.map((s) => s.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("cuts at every heading level: a nested heading is a section of its own", () => {
    const { runbook } = parse(
      md(
        "## Parent",
        "```sh",
        "echo 1",
        "```",
        "### Child",
        "```sh",
        "echo 2",
        "```",
        "#### Grandchild",
        "prose",
      ),
    );
    expect(runbook.steps.map((s) => [s.id, s.actions.length])).toEqual([
      ["parent", 1],
      ["child", 1],
    ]);
  });

  it("keeps several blocks of a step in document order, checks after actions even when written first", () => {
    const { runbook } = parse(
      md(
        "## Many",
        '::check{sh="test -e /tmp/x"}',
        "```sh",
        "one",
        "```",
        "```bash",
        "two",
        "```",
        '::confirm{prompt="Sure?"}',
        "```sh",
        "three",
        "```",
      ),
    );
    const step = runbook.steps[0];
    expect(step?.actions.map((a) => a.kind)).toEqual([
      "sh",
      "sh",
      "confirm",
      "sh",
    ]);
    expect(step?.actions.map((a) => ("code" in a ? a.code : a.kind))).toEqual([
      "one",
      "two",
      "confirm",
      "three",
    ]);
    expect(step?.checks).toHaveLength(1);
  });

  it("reads ~~~ fences and fences inside lists and quotes", () => {
    const { runbook } = parse(
      md(
        "## Tilde",
        "~~~sh",
        "echo tilde",
        "~~~",
        "",
        "1. First do:",
        "",
        "   ```sh",
        "   echo listed",
        "   ```",
        "",
        "> ```sh",
        "> echo quoted",
        "> ```",
      ),
    );
    expect(
      runbook.steps[0]?.actions.map((a) => ("code" in a ? a.code : "")),
    ).toEqual(["echo tilde", "echo listed", "echo quoted"]);
  });

  it("gives GitHub slugs, deduplicated with -1, -2 across all headings", () => {
    const { runbook } = parse(
      md(
        "# Check",
        "## Check",
        "```sh",
        "a",
        "```",
        "## Check",
        "```sh",
        "b",
        "```",
        "## Café & Ünïcode: 10:30!",
        "```sh",
        "c",
        "```",
      ),
    );
    expect(runbook.steps.map((s) => s.id)).toEqual([
      "check-1",
      "check-2",
      "café--ünïcode-1030",
    ]);
  });

  it("takes ::step{#id title=…} over the slug, and keeps other ids stable when one heading changes", () => {
    const a = parse(
      md(
        "## Fetch it",
        '::step{#fetch title="Fetch the dump"}',
        "```sh",
        "x",
        "```",
        "## Restore",
        "```sh",
        "y",
        "```",
      ),
    );
    const b = parse(
      md(
        "## Fetch it NOW",
        '::step{#fetch title="Fetch the dump"}',
        "```sh",
        "x",
        "```",
        "## Restore",
        "```sh",
        "y",
        "```",
      ),
    );
    expect(a.runbook.steps.map((s) => [s.id, s.title])).toEqual([
      ["fetch", "Fetch the dump"],
      ["restore", "Restore"],
    ]);
    expect(b.runbook.steps.map((s) => s.id)).toEqual(["fetch", "restore"]);
  });

  it("hashes each step by its own text only", () => {
    const a = parse(
      md("## One", "```sh", "x", "```", "## Two", "```sh", "y", "```"),
    );
    const b = parse(
      md("## One", "```sh", "x changed", "```", "## Two", "```sh", "y", "```"),
    );
    expect(a.runbook.steps[0]?.hash).not.toBe(b.runbook.steps[0]?.hash);
    expect(a.runbook.steps[1]?.hash).toBe(b.runbook.steps[1]?.hash);
  });

  it("gives a step with no heading an id and the runbook title", () => {
    const { runbook } = parse(md("```sh", "echo no heading", "```"));
    expect(runbook.steps.map((s) => [s.id, s.title])).toEqual([
      ["step", "runbook"],
    ]);
  });

  it("parses an empty file and a file with only front matter to no steps, without errors", () => {
    expect(parse("")).toMatchObject({
      runbook: { steps: [], title: "runbook" },
      diagnostics: [],
    });
    const fm = parse(md("---", "title: Only front matter", "---"));
    expect(fm.runbook.title).toBe("Only front matter");
    expect(fm.runbook.steps).toEqual([]);
    expect(fm.diagnostics).toEqual([]);
  });

  it("reads CRLF files with the same lines and columns as LF", () => {
    const lf = md(
      "---",
      "title: T",
      "---",
      "## A",
      "```sh {timeout=5s}",
      "echo a",
      "```",
      '::check{sh="true" expect="x"}',
    );
    const crlf = lf.replace(/\n/g, "\r\n");
    const a = parse(lf);
    const b = parse(crlf);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect(b.runbook.steps[0]?.actions[0]).toEqual(
      a.runbook.steps[0]?.actions[0],
    );
    expect(b.runbook.steps[0]?.at).toEqual({
      file: "/virtual/runbook.md",
      line: 4,
      column: 1,
    });
    expect(b.runbook.steps[0]?.checks[0]?.at.line).toBe(8);
  });

  it("titles the runbook from front matter, else the first h1, else the file name", () => {
    expect(
      parse(md("---", "title: From FM", "---", "# H1")).runbook.title,
    ).toBe("From FM");
    expect(parse(md("## h2", "# The H1")).runbook.title).toBe("The H1");
    expect(parse("text", "/x/move-db.md").runbook.title).toBe("move-db");
  });
});

describe("the step graph", () => {
  it('adds an implicit edge to the step before, replaced by needs (needs="" makes a root)', () => {
    const { runbook, diagnostics } = parse(
      md(
        "## Fetch",
        "::step{#fetch}",
        "```sh",
        "true",
        "```",
        "## Tools",
        '::step{#tools needs=""}',
        "```sh",
        "true",
        "```",
        "## Restore",
        '::step{#restore needs="fetch tools"}',
        "```sh",
        "true",
        "```",
        "## Report",
        "```sh",
        "true",
        "```",
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(runbook.steps.map((s) => [s.id, [...s.needs]])).toEqual([
      ["fetch", []],
      ["tools", []],
      ["restore", ["fetch", "tools"]],
      ["report", ["restore"]],
    ]);
    expect(runbook.order).toEqual(["fetch", "tools", "restore", "report"]);
  });

  it("orders topologically, keeping document order among ready steps", () => {
    const { runbook } = parse(
      md(
        "## A",
        '::step{needs="c"}',
        "```sh",
        "a",
        "```",
        "## B",
        '::step{needs=""}',
        "```sh",
        "b",
        "```",
        "## C",
        '::step{needs=""}',
        "```sh",
        "c",
        "```",
        "## D",
        '::step{needs="a b"}',
        "```sh",
        "d",
        "```",
      ),
    );
    expect(runbook.order).toEqual(["b", "c", "a", "d"]);
  });

  it("reports duplicate ids, unknown needs and cycles where they are written", () => {
    const { diagnostics } = parse(
      md(
        "## A",
        '::step{#a needs="b"}',
        "```sh",
        "x",
        "```",
        "## B",
        '::step{#b needs="a"}',
        "```sh",
        "x",
        "```",
        "## C",
        '::step{#c needs="ghost"}',
        "```sh",
        "x",
        "```",
        "## D",
        "::step{#a}",
        "```sh",
        "x",
        "```",
      ),
    );
    const found = errors(diagnostics).map((d) => [d.rule, d.line]);
    expect(found.filter(([rule]) => rule === "cycle")).toEqual([["cycle", 2]]);
    expect(found).toContainEqual(["unknown-needs", 12]);
    expect(found).toContainEqual(["duplicate-id", 16]);
    expect(
      errors(diagnostics).find((d) => d.rule === "cycle")?.message,
    ).toMatch(/a → b → a|b → a → b/);
  });

  it("reports a step that needs itself", () => {
    const { diagnostics } = parse(
      md("## A", '::step{#a needs="a"}', "```sh", "x", "```"),
    );
    expect(errors(diagnostics).map((d) => d.rule)).toEqual(["cycle"]);
  });
});

describe("selecting steps", () => {
  it("selects nothing from a runbook with no steps, and refuses --to before --from", async () => {
    const { executionOrder, selectSteps } =
      await import("../../../engine/plan.js");
    expect(
      selectSteps(executionOrder(parse("just prose").runbook), {}),
    ).toEqual([]);
    const { runbook } = parse(
      md(
        "## A",
        "```sh",
        "a",
        "```",
        "## B",
        "```sh",
        "b",
        "```",
        "## C",
        "```sh",
        "c",
        "```",
      ),
    );
    expect(
      selectSteps(executionOrder(runbook), { from: "b" }).map((s) => s.id),
    ).toEqual(["b", "c"]);
    expect(
      selectSteps(executionOrder(runbook), { to: "b" }).map((s) => s.id),
    ).toEqual(["a", "b"]);
    expect(
      selectSteps(executionOrder(runbook), { only: ["c", "a"] }).map(
        (s) => s.id,
      ),
    ).toEqual(["a", "c"]);
    expect(() =>
      selectSteps(executionOrder(runbook), { from: "c", to: "a" }),
    ).toThrow(/--to a comes before --from c/);
  });
});
