import { describe, expect, it } from "vitest";
import { allocate } from "../../../renderers/tui/allocate.js";
import { highlight } from "../../../renderers/tui/highlight.js";
import {
  lineText,
  seg,
  wrapLine,
  wrapWords,
} from "../../../renderers/tui/segments.js";
import { diffTable } from "../../../renderers/tui/table-diff.js";
import {
  sanitizeLine,
  textWidth,
  truncate,
  wrapText,
} from "../../../renderers/tui/terminal-text.js";

describe("sanitizeLine: what a step printed, made safe to draw", () => {
  it.each([
    ["\u001b[1;31mred\u001b[0m", "red"],
    ["\u001b]0;window title\u0007text", "text"],
    ["\u001b]52;c;aGVsbG8=\u0007clipboard", "clipboard"],
    ["before\u001b[2J\u001b[Hafter", "beforeafter"],
    ["10%\r50%\r100%", "100%"],
    ["crlf\r", "crlf"],
    ["abc\b\bX", "aX"],
    ["a\tb", "a       b"],
    ["bell\u0007 nul\u0000 del\u007f", "bell nul del"],
    ["safe \u202eevil\u202c text", "safe evil text"],
  ])("%j → %j", (raw, shown) => {
    expect(sanitizeLine(raw)).toBe(shown);
  });
});

describe("widths and wrapping", () => {
  it("counts wide characters as two cells and combining marks as none", () => {
    expect(textWidth("abc")).toBe(3);
    expect(textWidth("日本")).toBe(4);
    expect(textWidth("é")).toBe(1);
    expect(truncate("abcdefgh", 5)).toBe("abcd…");
  });

  it("word-wraps text and breaks words longer than a row", () => {
    expect(wrapText("the quick brown fox", 10)).toEqual([
      "the quick",
      "brown fox",
    ]);
    expect(wrapText("abcdefghijkl", 5)).toEqual(["abcde", "fghij", "kl"]);
  });

  it("hard-wraps toned segments with a continuation gutter", () => {
    const rows = wrapLine([seg("│ ", "dim"), seg("0123456789", "keyword")], 6, [
      seg("┆ ", "dim"),
    ]);
    expect(rows.map(lineText)).toEqual(["│ 0123", "┆ 4567", "┆ 89"]);
    expect(rows[1]?.[1]?.tone).toBe("keyword");
  });

  it("word-wraps prose segments keeping their tones", () => {
    const rows = wrapWords(
      [seg("run "), seg("`pg_dump`", "inline-code"), seg(" then restore it")],
      14,
      [seg("  ")],
    );
    expect(rows.map(lineText)).toEqual([
      "run `pg_dump`",
      "  then restore",
      "  it",
    ]);
  });
});

describe("highlight", () => {
  it("turns highlight.js classes into tones, line by line", () => {
    const lines = highlight(
      "SELECT count(*) FROM orders WHERE note = 'x'; -- why",
      "sql",
    );
    const tones = new Map(lines[0]?.map((s) => [s.text, s.tone]));
    expect(tones.get("SELECT")).toBe("keyword");
    expect(tones.get("'x'")).toBe("string");
    expect(tones.get("-- why")).toBe("comment");
  });

  it("knows the runbook languages by their SPEC names, and leaves others plain", () => {
    expect(highlight('echo "$HOME" # hi\nls', "sh").length).toBe(2);
    expect(
      highlight('echo "$HOME"', "sh")[0]?.some((s) => s.tone === "variable"),
    ).toBe(true);
    expect(
      highlight("\\dt", "psql")[0]
        ?.map((s) => s.text)
        .join(""),
    ).toBe("\\dt");
    expect(highlight("whatever", "no-such-language")).toEqual([
      [{ text: "whatever" }],
    ]);
  });
});

describe("diffTable: a table expectation against the rows found", () => {
  it("unordered: rows in both, missing ones, unexpected ones", () => {
    const diff = diffTable({
      expected: [
        ["paid", "2"],
        ["shipped", "1"],
      ],
      actual: [
        ["shipped", "2"],
        ["paid", "2"],
      ],
      ordered: false,
    });
    expect(diff).toEqual([
      { kind: "same", cells: ["paid", "2"] },
      { kind: "missing", cells: ["shipped", "1"] },
      { kind: "unexpected", cells: ["shipped", "2"] },
    ]);
  });

  it("compares cells as the checks do: empty is NULL, t/f are booleans", () => {
    expect(
      diffTable({
        expected: [["", "t"]],
        actual: [["NULL", "true"]],
        ordered: false,
      }).map((d) => d.kind),
    ).toEqual(["same"]);
  });

  it("ordered: a diff that keeps positions", () => {
    const diff = diffTable({
      expected: [["1"], ["2"], ["3"]],
      actual: [["1"], ["3"], ["4"]],
      ordered: true,
    });
    expect(diff.map((d) => `${d.kind} ${d.cells.join()}`)).toEqual([
      "same 1",
      "missing 2",
      "same 3",
      "unexpected 4",
    ]);
  });
});

describe("allocate: fitting the step into its pane", () => {
  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => [seg(`${prefix}${i + 1}`)]);

  it("gives minimums in priority order first, then the rest, and says what it hid", () => {
    const out = allocate(
      [
        { rows: rows("code", 6), min: 2, priority: 2 },
        { rows: rows("out", 10), min: 3, priority: 1, anchor: "end" },
      ],
      8,
    ).map(lineText);
    expect(out).toEqual([
      "code1",
      "  ⋮ 5 more lines",
      "  ⋮ 5 earlier lines",
      "out6",
      "out7",
      "out8",
      "out9",
      "out10",
    ]);
  });

  it("never returns more rows than it was given", () => {
    for (let height = 0; height < 12; height++) {
      const out = allocate(
        [
          { rows: rows("a", 5), min: 3, priority: 1 },
          {
            rows: rows("b", 5),
            min: 3,
            priority: 0,
            anchor: "end",
            earlier: 100,
          },
        ],
        height,
      );
      expect(out.length).toBeLessThanOrEqual(height);
    }
  });
});
