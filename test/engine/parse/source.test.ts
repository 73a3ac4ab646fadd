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
