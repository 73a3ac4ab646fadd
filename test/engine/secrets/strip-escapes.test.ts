import { describe, expect, it } from "vitest";
import { stripEscapes } from "../../../engine/secrets/index.js";

describe("stripEscapes: the one escape stripper (the TUI and the HTML report use it)", () => {
  it.each([
    ["SGR colour", "a\x1b[1;31mred\x1b[0m b", "ared b"],
    ["8-bit CSI and a cursor move", "a\x9b2Jb\x1b[10;5Hc", "abc"],
    [
      "OSC title ended by BEL, hyperlink ended by ST",
      "\x1b]0;title\x07x\x1b]8;;https://e.x\x1b\\link\x1b]8;;\x1b\\",
      "xlink",
    ],
    ["8-bit OSC ended by 8-bit ST", "a\x9d52;c;aGk=\x9cb", "ab"],
    [
      "DCS, SOS, PM and APC strings",
      "a\x1bPq#0\x1b\\b\x1bXsos\x1b\\c\x1b^pm\x1b\\d\x1b_apc\x1b\\e",
      "abcde",
    ],
    [
      "two-byte escapes (reset) and nF escapes (charset)",
      "a\x1bcb\x1b(Bc",
      "abc",
    ],
    ["an unfinished sequence at the end", "ok\x1b]0;never ended", "ok"],
    ["an unfinished CSI at the end", "ok\x1b[1;3", "ok"],
  ])("removes %s", (_name, input, want) => {
    expect(stripEscapes(input)).toBe(want);
  });

  it("leaves text and control characters alone: what \\r, \\b and \\t mean is the caller's", () => {
    expect(stripEscapes("progress 10%\rprogress 99%\n")).toBe(
      "progress 10%\rprogress 99%\n",
    );
    expect(stripEscapes("ab\bc\td\x07")).toBe("ab\bc\td\x07");
    expect(stripEscapes("déjà vu ✅ 👍🏽")).toBe("déjà vu ✅ 👍🏽");
  });
});
