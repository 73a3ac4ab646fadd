import { describe, expect, it } from "vitest";
import { judge, type Observation } from "../../checks/index.js";
import type { Expectation } from "../../engine/model/index.js";

const none: Expectation = { empty: false, ordered: false };
const rows = (
  columns: string[],
  values: (string | null)[][],
  booleans: boolean[] = columns.map(() => false),
): Observation => ({ kind: "rows", columns, booleans, rows: values });

/** SPEC 4: every check is shown with its expected and actual value, also when it passed. */
describe("a passing SQL check says what it expected and what it got", () => {
  it.each([
    [
      "expect=",
      { ...none, expect: "rb-last_write-x" },
      rows(["full_name"], [["rb-last_write-x"]]),
      "rb-last_write-x",
      "rb-last_write-x",
    ],
    [
      "expect= on a boolean, written t",
      { ...none, expect: "t" },
      rows(["ok"], [["t"]], [true]),
      "t",
      "true",
    ],
    [
      "match=",
      { ...none, match: "^15\\." },
      rows(["v"], [["15.18"]]),
      "/^15\\./",
      "15.18",
    ],
    [
      'rows=">0"',
      { ...none, rows: { op: ">", count: 0 } },
      rows(["id"], [["1"], ["2"]]),
      ">0 rows",
      "2 rows",
    ],
    [
      "rows=1",
      { ...none, rows: { op: "=", count: 1 } },
      rows(["id"], [["1"]]),
      "1 row",
      "1 row",
    ],
    ["empty", { ...none, empty: true }, rows(["id"], []), "empty", "0 rows"],
    [
      "no expectation",
      none,
      rows(["pg_is_in_recovery"], [["t"]], [true]),
      "a value that is not false",
      "true",
    ],
    [
      "no expectation, no rows",
      none,
      rows(["x"], []),
      "a value that is not false",
      "(no rows)",
    ],
    [
      "a table",
      {
        ...none,
        table: {
          columns: ["status", "n"],
          rows: [
            ["paid", "2"],
            ["shipped", "1"],
          ],
        },
      },
      rows(
        ["status", "n"],
        [
          ["shipped", "1"],
          ["paid", "2"],
        ],
      ),
      "the table of 2 rows",
      "2 rows",
    ],
  ] as const)("%s", (_name, expectation, observation, expected, actual) => {
    const j = judge(expectation as Expectation, observation);
    expect(j).toMatchObject({ kind: "pass", expected, actual });
  });

  it("a failing one still says both, as before", () => {
    expect(judge({ ...none, expect: "3" }, rows(["n"], [["2"]]))).toMatchObject(
      { kind: "mismatch", expected: "3", actual: "2" },
    );
  });
});
