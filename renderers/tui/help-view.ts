import { seg, wrapWords, type Line } from "./segments.js";
import { STATE_MARKS } from "./step-list-view.js";
import type { TuiSnapshot } from "./tui-store.js";

/** A follower's keys: it looks at a run driven elsewhere and changes nothing. */
const FOLLOWER_KEYS: readonly (readonly [string, string])[] = [
  [
    "↑ ↓  o",
    "select a step; Enter or o opens it: whole output, checks, captures",
  ],
  ["e", "show the step’s prose whole (again: cut it)"],
  ["Esc", "back"],
  [
    "Ctrl-C, q",
    "stop following; the run goes on where it is driven (runbook follow again to watch it)",
  ],
  ["?", "show or hide this help"],
];

function keys(
  snap: TuiSnapshot | undefined,
): readonly (readonly [string, string])[] {
  if (snap?.readOnly) return FOLLOWER_KEYS;
  const rehearsal = snap?.run?.mode === "rehearsal";
  return [
    [
      "y, Enter",
      "run the step (with another step selected, Enter opens that one)",
    ],
    [
      "c",
      "run this and the remaining ordinary steps without asking (gates still ask); p pauses",
    ],
    ["s", "skip the step (the journal records it)"],
    [
      "q",
      rehearsal
        ? "quit; not resumable: the sandbox is removed when the run ends"
        : "quit; `runbook resume` continues the run later",
    ],
    [
      "r",
      "after a failure: read the runbook again and run the step as it is now (fix it in your editor first)",
    ],
    ["d", "a manual step is done"],
    ["y / n", "answer a gate; a typed gate wants its text, then Enter"],
    [
      "↑ ↓  o",
      "select a step; Enter or o opens it: whole output, checks, captures",
    ],
    ["e", "show the step’s prose whole (again: cut it)"],
    ["Esc", "back; at a typed gate or a param prompt: stop the run"],
    [
      "Ctrl-C",
      "stop the running step (its whole process group), then choose; twice: quit",
    ],
    ["?", "show or hide this help"],
  ];
}

/** The help screen: every key, what the state symbols mean, where the full output is. */
export function helpLines(width: number, snap?: TuiSnapshot): Line[] {
  const rows: Line[] = [
    [
      seg("Keys", "heading"),
      seg("  (the ones shown at the bottom work now)", "dim"),
    ],
  ];
  for (const [key, meaning] of keys(snap))
    rows.push(
      ...wrapWords([seg(`  ${key.padEnd(9)}`, "key"), seg(meaning)], width, [
        seg(" ".repeat(11)),
      ]),
    );
  rows.push([]);
  rows.push([seg("Step states", "heading")]);
  const states = Object.values(STATE_MARKS).map((m) => `${m.symbol} ${m.word}`);
  rows.push(
    ...wrapWords(
      [
        seg(
          `  ${[...states, "· not selected (--from/--to/--only)"].join("   ")}`,
        ),
      ],
      width,
      [seg("  ")],
    ),
  );
  rows.push([]);
  rows.push(
    ...wrapWords(
      [
        seg("Output", "heading"),
        seg(
          ": the last lines of a step are shown; everything it printed, secrets masked, is in the journal folder (.runbook/runs/<run>/output/): open the step to read it. Press ? or Esc to go back.",
          "dim",
        ),
      ],
      width,
    ),
  );
  return rows;
}
