import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import {
  lineText,
  lineWidth,
  seg,
  wrapLine,
  wrapWords,
} from "../../../renderers/tui/segments.js";
import {
  padEnd,
  splitAtWidth,
  textWidth,
  truncate,
  wrapText,
} from "../../../renderers/tui/terminal-text.js";
import { harness, md, runStart, stepEvents, stepOf } from "./helpers.js";

/** A question the test leaves unanswered: a later one replaces it, and its promise rejects by design. */
const quiet = (p: Promise<unknown>): void => void p.catch(() => undefined);

const strip = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");

describe("widths follow the terminal’s rules (string-width, as Ink counts)", () => {
  it.each([
    ["✅", 2],
    ["⌛", 2],
    ["🚀", 2],
    ["🛑", 2],
    ["☕", 2],
    ["👍🏽", 2],
    ["🏳️‍🌈", 2],
    ["日本", 4],
    ["é", 1],
    ["e\u0301", 1],
    ["a\u200bb", 2],
    ["✔ done", 6],
  ])("%j is %i cells", (text, cells) => {
    expect(textWidth(text)).toBe(cells);
    expect(textWidth(text)).toBe(stringWidth(text));
  });

  it("cuts and pads by cells, never inside a grapheme cluster, never past the width", () => {
    expect(truncate("🚀🚀🚀", 4)).toBe("🚀…");
    expect(truncate("ab👍🏽cd", 4)).toBe("ab…");
    expect(truncate("ab👍🏽cd", 5)).toBe("ab👍🏽…");
    expect(truncate("abcdefgh", 5)).toBe("abcd…");
    expect(padEnd("☕", 4)).toBe("☕  ");
    expect(splitAtWidth("👍🏽👍🏽x", 3)).toEqual(["👍🏽", "👍🏽x"]);
    expect(splitAtWidth("e\u0301e\u0301", 1)).toEqual(["e\u0301", "e\u0301"]);
    for (let w = 1; w < 12; w++)
      expect(
        textWidth(truncate("✅ ⌛ 🚀 🛑 ☕ 👍🏽 done", w)),
      ).toBeLessThanOrEqual(w);
  });

  it("wraps words with wrap-ansi and keeps every row within the width", () => {
    expect(wrapText("the quick brown fox", 10)).toEqual([
      "the quick",
      "brown fox",
    ]);
    expect(wrapText("🚀🚀🚀 launch ✅ done", 8)).toEqual([
      "🚀🚀🚀",
      "launch",
      "✅ done",
    ]);
    const rows = wrapWords(
      [
        seg("✋ "),
        seg("Post 👍🏽 in the ops channel when ✅ the copy is done ☕", "bold"),
      ],
      12,
      [seg("   ")],
    );
    for (const r of rows) expect(lineWidth(r)).toBeLessThanOrEqual(12);
    expect(rows.map(lineText).join(" ").replace(/\s+/g, " ")).toBe(
      "✋ Post 👍🏽 in the ops channel when ✅ the copy is done ☕",
    );
    expect(rows[1]?.[0]?.text).toBe("   ");
    const hard = wrapLine([seg("│ "), seg("⌛".repeat(9))], 7, [seg("┆ ")]);
    expect(hard.map(lineText)).toEqual([
      "│ ⌛⌛",
      "┆ ⌛⌛",
      "┆ ⌛⌛",
      "┆ ⌛⌛",
      "┆ ⌛",
    ]);
  });

  it("the hand-written width table is gone", () => {
    const dir = path.resolve(import.meta.dirname, "../../../renderers/tui");
    for (const file of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, file), "utf8");
      expect(text, file).not.toMatch(/charWidth|0x1f300|0x2e80/);
    }
  });
});

const EMOJI = md(
  "# 🚀 Launch ✅ with ☕",
  "",
  "## ⌛ Wait for the 🛑 light 👍🏽 👍🏽 👍🏽 before anything else happens here",
  "",
  "The operator waits ⌛ until 🛑 turns ✅. Then 👍🏽 in the channel ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕.",
  "",
  "```sh",
  'echo "✅ ⌛ 🚀 🛑 ☕ 👍🏽 日本語"',
  "```",
  "",
  '::check{sh="echo ✅" expect="✅"}',
  "",
  "## 🚀 Next",
  "",
  "```sh",
  "echo next",
  "```",
);

describe("a runbook full of emoji", () => {
  it.each([
    [80, 24],
    [120, 40],
  ])(
    "fits %ix%i: no row is wider than the terminal, so Ink cuts none",
    async (columns, rows) => {
      const h = harness(EMOJI, { columns, rows });
      const s = stepOf(h.runbook, h.runbook.steps[0]!.id);
      await h.emit(
        runStart(h.runbook),
        ...stepEvents(s, {
          index: 1,
          total: 2,
          output: `${"✅ ⌛ 🚀 🛑 ☕ 👍🏽 ".repeat(20)}\n日本語 ${"👍🏽".repeat(70)}\n`,
          checks: [
            {
              kind: "pass",
              message: 'got "✅"',
              actual: "✅",
              expected: "✅",
              attempts: 1,
              durationMs: 1,
            },
          ],
        }),
      );
      quiet(
        h.interaction.confirmStep(stepOf(h.runbook, h.runbook.steps[1]!.id)),
      );
      await h.settle();
      const frame = strip(h.frame());
      for (const line of frame.split("\n"))
        expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
      expect(frame).toContain("✓ check 1 (line 11)  expected ✅ · actual ✅");
      expect(frame).toMatch(/Just finished: step 1 · ⌛ Wait for th/);
      expect(frame).toContain('? Run step 2 of 2, "🚀 Next"?');
    },
  );
});
