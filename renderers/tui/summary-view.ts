import path from "node:path";
import { checkValues } from "./check-view.js";
import { formatDuration, shortPath } from "./format.js";
import { progressOf } from "./header-view.js";
import {
  checkProofs,
  outcomeWord,
  sentinelProofs,
  type CheckProof,
  type SentinelProof,
} from "./proof.js";
import { seg, wrapLine, wrapWords, type Line } from "./segments.js";
import { STATE_MARKS } from "./step-list-view.js";
import { padEnd, textWidth, truncate } from "./terminal-text.js";
import type { TuiSnapshot } from "./tui-store.js";
import {
  checkHeld,
  checkValues as engineValues,
} from "../../engine/run/index.js";

/**
 * The proof summary left in the terminal when the run ends (SPEC 4): the
 * honest outcome (`done`, `incomplete`, `failed`, `stopped`), every check
 * that passed or failed with its expected and actual values, for each
 * sentinel where its token was written and where it was found, the skipped
 * steps (by choice, or unproven), every step with its state and time, and
 * how to continue.
 */
export function summaryLines(
  snap: TuiSnapshot,
  width: number,
  cwd?: string,
): Line[] {
  const end = snap.end;
  if (!end) return [];
  const word = outcomeWord(end.status);
  const ok = word === "done";
  const { finished, total } = progressOf(snap);
  const rows: Line[] = [
    [
      seg(ok ? "✔ " : "✘ ", ok ? "ok" : "fail"),
      seg(snap.title, "heading"),
      seg(`  ${word}`, ok ? "ok" : "fail"),
    ],
  ];
  const message = end.message;
  rows.push(
    ...wrapWords(
      [
        seg(`  ${message}`, ok ? undefined : "fail"),
        seg(
          `${ok ? "" : ` · ${finished} of ${total} steps finished`} · ${formatDuration(end.durationMs)}`,
          "dim",
        ),
      ],
      width,
      [seg("    ")],
    ),
  );

  rows.push(...checkSection(snap, width));
  for (const s of sentinelProofs(snap))
    rows.push(...sentinelSection(s, snap, width));
  rows.push(...skippedSection(snap, width));
  rows.push(...stepSection(snap, width));

  if (snap.run) {
    // A run in the state database is named as such, not shortened like a path.
    const journal =
      snap.run.journal !== undefined && !path.isAbsolute(snap.run.journal)
        ? snap.run.journal
        : shortPath(
            snap.run.journal ??
              path.join(
                snap.run.stateDir,
                "runs",
                snap.run.runId,
                "journal.jsonl",
              ),
            cwd,
          );
    rows.push([seg(`  journal: ${journal}`, "dim")]);
  }
  if (end.resumeHint)
    rows.push([seg("  to continue: ", "bold"), seg(end.resumeHint, "accent")]);
  else if (snap.run?.mode === "rehearsal" && !ok)
    rows.push([
      seg(
        "  a sandbox run cannot be resumed: its clusters were removed",
        "dim",
      ),
    ]);
  return rows;
}

function checkSection(snap: TuiSnapshot, width: number): Line[] {
  const proofs = checkProofs(snap);
  if (proofs.length === 0) return [];
  const ran = proofs.filter((p) => p.outcome && p.outcome.attempts > 0);
  const passed = ran.filter((p) => p.outcome && checkHeld(p.outcome)).length;
  const failed = ran.length - passed;
  // A resumed run: steps done in an earlier session ran their checks then (the journal has them).
  const earlier = proofs.filter((p) => {
    const row = snap.steps.find((r) => r.id === p.step.id);
    return !p.outcome && row?.state === "done" && row.note !== "marked done";
  }).length;
  const notRun = proofs.length - ran.length - earlier;
  const counts = [
    ran.length > 0 ? `${passed} passed` : "",
    failed ? `${failed} failed` : "",
    earlier ? `${earlier} passed in an earlier session (see the journal)` : "",
    notRun ? `${notRun} not run` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const rows: Line[] = [
    [],
    [seg("Checks", "heading"), seg(`  ${counts}`, "dim")],
  ];
  for (const p of ran) rows.push(...checkLine(p, snap, width));
  return rows;
}

function checkLine(p: CheckProof, snap: TuiSnapshot, width: number): Line[] {
  const outcome = p.outcome;
  if (!outcome) return [];
  const { expected, actual } = checkValues(p.check, outcome, snap);
  const where = `${p.step.title} › check ${p.index + 1} (line ${p.check.at.line})`;
  const values = `expected ${expected} · got ${actual}`;
  const held = checkHeld(outcome);
  const mark = [seg(held ? "  ✔ " : "  ✘ ", held ? "ok" : "fail")];
  const one: Line = [
    ...mark,
    seg(where),
    seg("  "),
    seg(values, held ? "dim" : "fail"),
  ];
  if (textWidth(one.map((s) => s.text).join("")) <= width) return [one];
  return [
    ...wrapWords([...mark, seg(where)], width, [seg("    ")]),
    ...wrapLine([seg("      "), seg(values, held ? "dim" : "fail")], width, [
      seg("      "),
    ]),
  ];
}

function sentinelSection(
  s: SentinelProof,
  snap: TuiSnapshot,
  width: number,
): Line[] {
  const rows: Line[] = [
    [],
    [
      seg("Sentinel ", "heading"),
      seg(s.name, "bold"),
      seg(
        s.proven ? "  ✔ proven: written, then found" : "  ✘ not proven",
        s.proven ? "ok" : "fail",
      ),
    ],
  ];
  if (s.token !== undefined)
    rows.push(
      ...wrapLine(
        [seg("  token    ", "dim"), seg(s.token, "variable")],
        width,
        [seg("           ")],
      ),
    );
  if (s.written.length === 0)
    rows.push([seg("  written  ", "dim"), seg("by no step", "warn")]);
  for (const w of s.written) {
    const state =
      w.run?.state === "ok"
        ? "✔ ran"
        : w.run?.state === "failed"
          ? "✘ failed"
          : w.run?.state === "skipped"
            ? "↷ not run"
            : "not run";
    const target = w.run?.target
      ? ` on ${w.run.target}`
      : w.action.options.db
        ? ` on db ${w.action.options.db}`
        : "";
    rows.push(
      ...wrapWords(
        [
          seg("  written  ", "dim"),
          seg(
            `${stepLabel(w.step, snap)} · ${w.action.kind} block, line ${w.action.at.line}${target} · `,
          ),
          seg(state, w.run?.state === "ok" ? "ok" : "warn"),
        ],
        width,
        [seg("           ")],
      ),
    );
  }
  if (s.found.length === 0)
    rows.push([seg("  found    ", "dim"), seg("checked by no step", "warn")]);
  for (const f of s.found) {
    const state =
      !f.outcome || f.outcome.attempts === 0
        ? "not checked"
        : checkHeld(f.outcome)
          ? `✔ got the token`
          : `✘ got ${engineValues(f.outcome)?.actual ?? f.outcome.message}`;
    const db =
      f.check.kind === "sql" && f.check.db ? ` on db ${f.check.db}` : "";
    rows.push(
      ...wrapWords(
        [
          seg("  found    ", "dim"),
          seg(
            `${stepLabel(f.step, snap)} · check ${f.index + 1}, line ${f.check.at.line}${db} · `,
          ),
          seg(state, f.outcome?.kind === "pass" ? "ok" : "warn"),
        ],
        width,
        [seg("           ")],
      ),
    );
  }
  return rows;
}

function stepLabel(
  step: { readonly id: string; readonly title: string },
  snap: TuiSnapshot,
): string {
  const n = snap.steps.findIndex((r) => r.id === step.id);
  return `step ${n + 1} "${step.title}"`;
}

/** The skipped steps; unproven are those the engine's run-end names. */
function skippedSection(snap: TuiSnapshot, width: number): Line[] {
  const skipped = snap.steps.filter((r) => r.selected && r.state === "skipped");
  if (skipped.length === 0) return [];
  const unproven = new Set(snap.end?.unproven);
  const rows: Line[] = [[], [seg("Skipped", "heading")]];
  for (const r of skipped) {
    const bad = unproven.has(r.id);
    const why = bad
      ? `unproven: ${r.note ?? "skipped after it started"}`
      : `by choice, before it ran${r.note && r.note !== "skipped by the operator" ? ` (${r.note})` : ""}`;
    rows.push(
      ...wrapWords(
        [
          seg("  ↷ ", bad ? "fail" : "warn"),
          seg(r.title),
          seg(` — ${why}`, bad ? "fail" : "dim"),
        ],
        width,
        [seg("    ")],
      ),
    );
  }
  return rows;
}

function stepSection(snap: TuiSnapshot, width: number): Line[] {
  const rows: Line[] = [[], [seg("Steps", "heading")]];
  const titleWidth = Math.max(
    10,
    Math.min(
      Math.max(...snap.steps.map((r) => textWidth(r.title)), 10) + 2,
      Math.floor(width / 2),
    ),
  );
  for (const r of snap.steps) {
    const mark = STATE_MARKS[r.state];
    const time =
      r.note === "marked done"
        ? "marked done"
        : r.durationMs !== undefined && r.state !== "skipped"
          ? formatDuration(r.durationMs)
          : r.selected
            ? r.unproven
              ? "unproven"
              : mark.word
            : "not selected";
    const note = r.state === "failed" && r.note ? `  ${r.note}` : "";
    rows.push([
      seg(
        `  ${r.selected ? mark.symbol : "·"} `,
        r.selected ? mark.tone : "dim",
      ),
      seg(padEnd(r.title, titleWidth)),
      seg(` ${padEnd(time, 12)}`, "dim"),
      seg(truncate(note.trim(), Math.max(0, width - titleWidth - 18)), "fail"),
    ]);
  }
  return rows;
}
