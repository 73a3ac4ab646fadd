import type { Check, TableComparison } from "../../engine/model/index.js";
import {
  checkHeld,
  checkTable,
  checkValues as engineValues,
  type CheckOutcome,
} from "../../engine/run/index.js";
import { codeRows, header, shown, type CodeViewContext } from "./code-view.js";
import { formatDuration, formatElapsed, spinnerFrame } from "./format.js";
import {
  lineWidth,
  seg,
  wrapLine,
  wrapWords,
  type Line,
  type Tone,
} from "./segments.js";
import { diffTable } from "./table-diff.js";
import { padEnd, textWidth, truncate } from "./terminal-text.js";
import type { CheckRun } from "./tui-store.js";
import { plural, interpolate } from "../../engine/model/index.js";

/** A check's rows: header, code, then the result with expected and actual values (also when it passed). */
export function checkRows(
  check: Check,
  index: number,
  run: CheckRun | undefined,
  ctx: CodeViewContext,
): Line[] {
  const rows: Line[] = [
    header(
      checkTitle(check, index, ctx),
      checkStatus(check, run, ctx),
      ctx.width,
    ),
  ];
  rows.push(
    ...codeRows(
      ctx.mask(check.code.replace(/\n+$/, "")),
      check.kind === "sql" ? "sql" : check.shell,
      ctx.width,
    ),
  );
  rows.push(...resultRows(check, run, ctx));
  return rows;
}

/**
 * A check without its code, as short as its values allow: `✓ check 1
 * (line 11) expected 3 · actual 3` on one row when it fits. A failed table
 * expectation keeps its diff. For a finished step shown above the next one.
 */
export function checkResultRows(
  check: Check,
  index: number,
  run: CheckRun | undefined,
  ctx: CodeViewContext,
): Line[] {
  const outcome = run?.outcome;
  const head = `check ${index + 1} (line ${check.at.line})`;
  if (!outcome)
    return [
      [
        seg("  ○ ", "dim"),
        seg(head, "dim"),
        seg(run?.state === "running" ? "  running" : "  not run", "dim"),
      ],
    ];
  const { expected, actual } = checkValues(check, outcome, ctx);
  const held = checkHeld(outcome);
  const tone = held ? "variable" : "fail";
  const line: Line = [
    seg(held ? "  ✓ " : "  ✗ ", held ? "ok" : "fail"),
    seg(head, "bold"),
    seg("  expected ", "dim"),
    seg(expected, tone),
    seg(" · actual ", "dim"),
    seg(actual, tone),
  ];
  const rows = wrapWords(line, ctx.width, [seg("      ")]);
  if (outcome.kind === "table-mismatch")
    rows.push(...tableRows(outcome.table, check.expectation.ordered, ctx));
  return rows;
}

function checkTitle(check: Check, index: number, ctx: CodeViewContext): Line {
  const attrs = Object.entries(check.attributes)
    .filter(([k]) => k !== "sql" && k !== "sh")
    .map(([k, v]) =>
      v === ""
        ? k
        : `${k}=${/\s/.test(v) || v.includes('"') ? JSON.stringify(v) : v}`,
    );
  return [
    seg(`◇ check ${index + 1}`, "bold"),
    seg(
      ` · ${check.kind}${attrs.length ? ` · ${ctx.mask(attrs.join(" "))}` : ""} · line ${check.at.line}`,
      "dim",
    ),
  ];
}

function checkStatus(
  check: Check,
  run: CheckRun | undefined,
  ctx: CodeViewContext,
): Line {
  const waitMs = run?.waitMs ?? check.waitMs;
  if (run?.state === "running")
    return [
      seg(
        `${spinnerFrame(ctx.now)} ${waitMs ? `waiting up to ${formatDuration(waitMs)}, ` : ""}${formatElapsed(ctx.now - run.startedAt)}`,
        "running",
      ),
    ];
  if (run?.state === "ok") return [seg("✓ passed", "ok")];
  if (run?.state === "failed") return [seg("✗ failed", "fail")];
  return [seg("not run yet", "dim")];
}

function resultRows(
  check: Check,
  run: CheckRun | undefined,
  ctx: CodeViewContext,
): Line[] {
  const rows: Line[] = [];
  if (run?.state === "running" && run.last) {
    // A `wait=` check: what it got on its last try, not only how long it has waited.
    const tries = run.last.attempts ? ` (try ${run.last.attempts})` : "";
    // Values from the engine's events are masked already: shown exactly as sent.
    const got =
      run.last.actual !== undefined
        ? [
            seg("    last got: ", "dim"),
            seg(run.last.actual || "(empty)", "variable"),
            seg(tries, "dim"),
          ]
        : [
            seg("    last try: ", "dim"),
            seg(run.last.message ?? "no value yet", "warn"),
            seg(tries, "dim"),
          ];
    rows.push(...wrapLine(got, ctx.width, [seg("              ")]));
  }
  const outcome = run?.outcome;
  if (!outcome) return rows;
  const tries =
    outcome.attempts > 1 ? ` (after ${outcome.attempts} tries)` : "";
  const held = checkHeld(outcome);
  rows.push(
    ...wrapWords(
      [
        seg(held ? "  ✓ " : "  ✗ ", held ? "ok" : "fail"),
        seg(outcome.message + tries, held ? undefined : "fail"),
      ],
      ctx.width,
      [seg("    ")],
    ),
  );
  const table = checkTable(outcome);
  if (table && (!held || table.actual.length <= 6)) {
    rows.push(...tableRows(table, check.expectation.ordered, ctx));
    return rows;
  }
  const values = checkValues(check, outcome, ctx);
  rows.push(
    ...wrapLine(
      [
        seg("    expected: ", "dim"),
        seg(values.expected, held ? "variable" : "added"),
      ],
      ctx.width,
      [seg("              ")],
    ),
  );
  rows.push(
    ...wrapLine(
      [
        seg("    actual:   ", "dim"),
        seg(values.actual, held ? "variable" : "removed"),
      ],
      ctx.width,
      [seg("              ")],
    ),
  );
  return rows;
}

/**
 * What a check expected and what it got, in words an operator can compare:
 * the engine's own values when it gives them (masked by the engine, shown as
 * they are), else the expectation as written in the runbook, with the values
 * the UI knows filled in — model text, so the UI masks it itself.
 */
export function checkValues(
  check: Check,
  outcome: CheckOutcome,
  ctx: Pick<CodeViewContext, "values" | "mask">,
): { expected: string; actual: string } {
  const e = check.expectation;
  const parts: string[] = [];
  if (e.expect !== undefined)
    parts.push(
      interpolate(e.expect, (n) => shown(ctx.values.get(n))).text || "(empty)",
    );
  if (e.match !== undefined) parts.push(`/${e.match}/`);
  if (e.rows)
    parts.push(
      `${e.rows.op === "=" ? "" : `${e.rows.op} `}${plural(e.rows.count, "row")}`,
    );
  if (e.empty) parts.push(check.kind === "sql" ? "no rows" : "no output");
  if (e.table) parts.push(`the table of ${plural(e.table.rows.length, "row")}`);
  const plain = parts.length === 0;
  if (plain)
    parts.push(
      check.kind === "sh" ? `exit ${check.exit}` : "a value that is not false",
    );
  const given = engineValues(outcome);
  const table = checkTable(outcome);
  const expected = given?.expected ?? ctx.mask(parts.join(", "));
  let actual = given?.actual;
  if (plain && check.kind === "sh" && checkHeld(outcome))
    actual = `exit ${check.exit}${given?.actual ? `, printed ${JSON.stringify(truncate(given.actual, 60))}` : ""}`;
  if (actual === undefined && table)
    actual = plural(table.actual.length, "row");
  return {
    expected,
    actual:
      actual === undefined
        ? outcome.message
        : actual === ""
          ? "(empty)"
          : actual,
  };
}

/** A GFM-table expectation against the rows found: `=` in both, `-` missing, `+` unexpected. */
function tableRows(
  table: TableComparison,
  ordered: boolean,
  ctx: CodeViewContext,
): Line[] {
  const diff = diffTable({
    expected: table.expected,
    actual: table.actual,
    ordered,
  });
  const cols = table.columns.length > 0 ? table.columns : ["value"];
  // The cells come from the engine's event (masked there); the expected ones are the table it judged against.
  const widths = cols.map((c, i) =>
    Math.min(
      24,
      Math.max(textWidth(c), ...diff.map((d) => textWidth(d.cells[i] ?? ""))),
    ),
  );
  const cells = (values: readonly string[]): string =>
    widths.map((w, i) => padEnd(values[i] ?? "", w)).join(" │ ");
  const rows: Line[] = [[seg("      "), seg(cells(cols), "bold")]];
  const marks: Record<
    string,
    { sign: string; tone: Tone | undefined; note: string }
  > = {
    same: { sign: "=", tone: undefined, note: "" },
    missing: { sign: "-", tone: "removed", note: "  missing (expected)" },
    unexpected: { sign: "+", tone: "added", note: "  unexpected (actual)" },
  };
  for (const d of diff) {
    const m = marks[d.kind] ?? { sign: "?", tone: undefined, note: "" };
    rows.push([
      seg(`    ${m.sign} `, m.tone ?? "dim"),
      seg(cells(d.cells), m.tone),
      seg(m.note, "dim"),
    ]);
  }
  if (diff.length === 0)
    rows.push([seg("      (no rows expected, none found)", "dim")]);
  return rows.map((r) =>
    lineWidth(r) > ctx.width
      ? [seg(truncate(r.map((s) => s.text).join(""), ctx.width), "dim")]
      : r,
  );
}
