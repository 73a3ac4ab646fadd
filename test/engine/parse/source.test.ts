import { describe, expect, it } from "vitest";
import { parseRunbook } from "../../../engine/parse/index.js";
import { cutSections, normalizeSource } from "../../../engine/parse/source.js";

const starts = (text: string): number[] =>
  cutSections(text).map((c) => c.lineOffset + 1);

describe("cutSections", () => {
  it("cuts before every ATX heading and keeps the preamble", () => {
    expect(starts("intro\n# A\ntext\n## B\n### C\n")).toEqual([1, 2, 4, 5]);
  });

  it("does not cut at # lines inside ``` or ~~~ fences, or inside longer fences", () => {
    const text = [
      "# A",
      "```sh",
      "# comment",
      "```",
      "~~~",
      "# also",
      "~~~",
      "````",
      "```",
      "# inner",
      "```",
      "````",
      "## B",
    ].join("\n");
    expect(starts(text)).toEqual([1, 13]);
  });

  it("does not cut inside HTML comments or :::containers", () => {
    const text = [
      "# A",
      "<!--",
      "# hidden",
      "-->",
      ":::manual",
      "# inside",
      ":::",
      "## B",
    ].join("\n");
    expect(starts(text)).toEqual([1, 8]);
  });

  it("cuts only before ATX headings with no indentation: setext and indented headings are found by the parse", () => {
    const text = [
      "intro",
      "",
      "Title",
      "=====",
      "text",
      "",
      "  ## indented",
      "## B",
      "more",
    ].join("\n");
    expect(starts(text)).toEqual([1, 8]);
  });

  it("keeps the front matter as its own chunk, with YAML comments not cut", () => {
    const chunks = cutSections(
      ["---", "# a yaml comment", "title: x", "---", "# H", "body"].join("\n"),
    );
    expect(chunks.map((c) => [c.lineOffset, c.frontMatter])).toEqual([
      [0, true],
      [4, false],
    ]);
  });

  it("keeps every character: the chunks join back to the document", () => {
    const text = "---\na: 1\n---\npre\n# A\n```\n# x\n```\n## B\nend";
    expect(
      cutSections(text)
        .map((c) => c.text)
        .join(""),
    ).toBe(text);
    for (const c of cutSections(text))
      expect(text.slice(c.charOffset, c.charOffset + c.text.length)).toBe(
        c.text,
      );
  });

  it("gives no chunks for an empty file", () => {
    expect(cutSections("").map((c) => c.text)).toEqual([""]);
  });
});

describe("normalizeSource", () => {
  it("turns CRLF and CR into LF and drops a BOM", () => {
    expect(normalizeSource("\ufeffa\r\nb\rc\n")).toBe("a\nb\nc\n");
  });
});

describe("sections as CommonMark reads them (the chunks are joined when a block runs on)", () => {
  const steps = (text: string): string[] =>
    parseRunbook(text, { file: "x.md" }).runbook.steps.map(
      (s) => `${s.id}:${s.actions.map((a) => a.at.line).join(",")}`,
    );

  it("a fence opened on a list item marker line stays one block; its # lines are not headings", () => {
    expect(
      steps(
        [
          "## A",
          "- ```sh",
          "  # comment",
          "  echo a",
          "  ```",
          "",
          "```",
          "## Not a step",
          "```sh",
          "echo no",
          "```",
        ].join("\n"),
      ),
    ).toEqual(["a:2"]);
  });

  it("a fence closed only by a line indented four spaces runs on, and so does an HTML block", () => {
    expect(
      steps(
        [
          "## A",
          "```sh",
          "echo a",
          "```",
          "```text",
          "    ```",
          "## Inside",
          "```sh",
          "echo no",
          "```",
        ].join("\n"),
      ),
    ).toEqual(["a:2"]);
    expect(
      steps(
        [
          "## A",
          "```sh",
          "echo a",
          "```",
          "<div>",
          "## Inside",
          "```sh",
          "echo no",
          "```",
          "",
          "## B",
          "```sh",
          "echo b",
          "```",
        ].join("\n"),
      ),
    ).toEqual(["a:2", "b:12"]);
  });

  it("a :::container closes at the first line of enough colons (up to three spaces before), whatever is open inside it", () => {
    const doc = (container: string[]): string[] =>
      steps(
        ["## A", "", ...container, "## B", "", "```sh", "echo b", "```"].join(
          "\n",
        ),
      );
    // Closed: B is a step of its own.
    expect(doc([":::note", "```sh", "echo a", "```", ":::"])).toEqual([
      "a:4",
      "b:10",
    ]);
    expect(doc(["::::note", "```text", "open", "   :::::  "])).toEqual(["b:9"]);
    // Not closed: the container takes in the heading and the block after it.
    expect(doc([":::note", "```sh", "echo a", "```", "    :::"])).toEqual([
      "a:4,10",
    ]);
    expect(
      doc(["::::note", ":::tip", "```sh", "echo a", "```", ":::"]),
    ).toEqual(["a:5,11"]);
  });

  it("setext headings start sections", () => {
    expect(
      steps(
        [
          "A",
          "=",
          "```sh",
          "echo a",
          "```",
          "B",
          "-",
          "```sh",
          "echo b",
          "```",
        ].join("\n"),
      ),
    ).toEqual(["a:3", "b:8"]);
  });

  it("an unclosed fence at the top of a long file swallows the rest, in time linear in its size", () => {
    const body = Array.from(
      { length: 4000 },
      (_, i) => `## S${i}\n\n\`\`\`sh\necho ${i}\n\`\`\`\n`,
    ).join("\n");
    const start = performance.now();
    expect(steps(`## Top\n\n~~~sh\necho top\n\n${body}`)).toEqual(["top:3"]);
    // Generous on purpose, for a loaded two-core machine (an idle one takes well under a second): it catches a hang or
    // a quadratic blow-up, not a slowdown; the parse budget is held by `npm run bench`.
    expect(performance.now() - start).toBeLessThan(20_000);
  });

  it("link reference definitions apply across the whole document", () => {
    const { runbook } = parseRunbook(
      [
        "## See [docs]",
        "",
        "```sh",
        "true",
        "```",
        "",
        "## Later",
        "",
        "[docs]: https://example.com",
        "",
      ].join("\n"),
      { file: "x.md" },
    );
    const heading = runbook.sections[0]?.tree.children[0];
    expect(
      heading?.type === "heading" &&
        heading.children.some((c) => c.type === "linkReference"),
    ).toBe(true);
    expect(runbook.steps[0]?.id).toBe("see-docs");
  });

  it("front matter closed by ... is an error, not silently dropped", () => {
    const { diagnostics } = parseRunbook(
      ["---", "title: x", "...", "# H", "```sh", "true", "```"].join("\n"),
      { file: "x.md" },
    );
    expect(diagnostics.map((d) => `${d.line}:${d.rule}`)).toContain(
      "3:front-matter",
    );
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
      const start = performance.now();
      expect(located(text)).toEqual([want]);
      // Generous on purpose, as above: a hang or a blow-up, not a slowdown.
      expect(performance.now() - start).toBeLessThan(10_000);
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
