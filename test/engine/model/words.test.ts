import { describe, expect, it } from "vitest";
import {
  braceRefNames,
  formatDuration,
  interpolate,
} from "../../../engine/model/index.js";

describe("formatDuration: short and exact enough for a terminal", () => {
  it.each([
    [0, "0ms"],
    [999, "999ms"],
    [1500, "1.5s"],
    [10_000, "10s"],
    [59_400, "59s"],
    [60_000, "1m"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [5_400_000, "1h30m"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("${name} references (SPEC 1.1)", () => {
  it("names the references in order, repeats included", () => {
    expect(braceRefNames("${a}-${b_2} $c ${a} ${9x}")).toEqual([
      "a",
      "b_2",
      "a",
    ]);
  });

  it("fills in what the lookup knows and reports the rest, left as written", () => {
    const lookup = (name: string) => ({ host: "db1", port: "5433" })[name];
    expect(interpolate("${host}:${port}/${db}", lookup)).toEqual({
      text: "db1:5433/${db}",
      missing: ["db"],
    });
  });

  it("inserts a value as data: a value holding ${x} or $& is not expanded again", () => {
    expect(interpolate("${a}", () => "${a} $& $1").text).toBe("${a} $& $1");
  });
});
