import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { JournalEntry } from "../../engine/journal/index.js";
import type { Check, Step } from "../../engine/model/index.js";
import { cleanOutput, duration, formatClock } from "./report-format.js";
import type { AttemptReport, RunReport, StepReport } from "./report-model.js";
import { splitLog } from "./report-model.js";
import { plural, interpolate } from "../../engine/model/index.js";

/** A step's output log as the engine wrote it (masked), maybe cut to its head and tail. */
export interface StepLog {
  readonly text: string;
  /** Bytes left out of the middle of a large log. @default 0 */
  readonly omittedBytes?: number;
  /** Where the full log is. */
  readonly path?: string;
}

export interface StepDetailOptions {
  readonly report: RunReport;
  readonly log?: StepLog;
  /** The step in the runbook as it is now, when its text is unchanged since the run. */
  readonly step?: Step;
  /** Why `step` is missing, when it is. */
  readonly stepNote?: string;
  /** Values `${name}` may show (sentinels, captures, non-secret params). */
  readonly lookup: (name: string) => string | undefined;
  readonly position: number;
}

const GATE_KIND: Record<string, string> = {
  step: "step confirmation",
  confirm: "gate",
  typed: "typed gate",
  manual: "manual step",
  block: "confirm block",
};
const ANSWER: Record<string, string> = {
  yes: "yes",
  no: "no",
  done: "done",
  skip: "skipped",
  quit: "quit",
};

export function stateChip(state: string, big = false): Element {
  return h(
    "span.state",
    {
      className: [`state--${state}`, ...(big ? ["state-big"] : [])],
      dataState: state,
    },
    state,
  );
}

/** One step of the run: each attempt with its gates, failures, captures, checks and output. */
export function stepDetail(s: StepReport, o: StepDetailOptions): Element {
  const parts = o.log ? splitLog(cleanOutput(o.log.text)) : [];
  const started = s.attempts.filter((a) => a.start);
  const logs = new Map<AttemptReport, string[]>();
  const unmatched: string[] = [];
  for (const part of parts) {
    // A log part belongs to the latest attempt started at or before the time in its header.
    const at = /at (\S+)$/.exec(part.header ?? "")?.[1];
    const owner =
      at === undefined
        ? undefined
        : started.filter((a) => (a.start?.at ?? "") <= at).at(-1);
    if (owner) logs.set(owner, [...(logs.get(owner) ?? []), part.body]);
    else if (part.body.trim() !== "") unmatched.push(part.body);
  }
  return h(
    "section.rstep",
    { id: s.id, className: [`rstep--${s.state}`], dataStep: s.id },
    [
      h("h2", [
        h("span.step-no", String(o.position)),
        h("span.step-title", s.title),
        stateChip(s.state),
        ...(s.assumed ? [h("span.chip.chip--gate", "assumed done")] : []),
      ]),
      h("p.step-meta", [
        h("code", `#${s.id}`),
        " · ",
        plural(s.attempts.filter((a) => a.start).length, "attempt"),
        ...(o.stepNote ? [" · ", h("span.muted", o.stepNote)] : []),
      ]),
      ...(s.attempts.length === 0
        ? [h("p.muted", "Not run in this run.")]
        : s.attempts.map((a) => attempt(a, o, logs.get(a)?.join("\n")))),
      ...(unmatched.length > 0
        ? [
            outputBlock(
              "Output not matched to an attempt",
              unmatched.join("\n"),
              o.log,
            ),
          ]
        : []),
    ],
  );
}

function attempt(
  a: AttemptReport,
  o: StepDetailOptions,
  log: string | undefined,
): Element {
  // The journal records a stop at a gate as `failed`; the gate's answer says what it was.
  const stopped =
    a.end?.state === "failed" &&
    a.gates.some((g) => g.answer === "quit" || g.answer === "no");
  const state = a.end ? (stopped ? "stopped" : a.end.state) : "unknown";
  const took = a.end?.durationMs;
  const title: (Element | string)[] = a.start
    ? [
        `Attempt ${a.number}`,
        h(
          "span.when",
          `started ${formatClock(a.start.at)}${a.end ? ` · ${duration(took)}` : ""}`,
        ),
        stateChip(state),
      ]
    : [
        a.end?.assumed ? "Decision after resume" : "Without running",
        h("span.when", formatClock(a.end?.at)),
        stateChip(state),
      ];
  const events: ElementContent[] = [
    ...a.gates.map((g) =>
      h("li", { dataEvent: "gate", dataBy: g.by }, [
        `${capital(GATE_KIND[g.kind] ?? g.kind)}: `,
        h("q", g.prompt),
        " → ",
        h("strong", ANSWER[g.answer] ?? g.answer),
        " ",
        h("span.who", `${gateWho(g)} at ${formatClock(g.at)}`),
      ]),
    ),
    ...a.actions.map((x) =>
      h("li", { dataEvent: "action" }, [
        `${x.kind} block ${x.index + 1} `,
        x.skipped ? `skipped: ${x.skipped}` : h("strong", "failed"),
        x.exitCode !== undefined ? ` (exit status ${x.exitCode})` : "",
        x.message ? `: ${x.message}` : "",
        ` after ${duration(x.durationMs)}`,
      ]),
    ),
    ...a.captures.map((c) =>
      h("li", { dataEvent: "capture" }, [
        "captured ",
        h("code", c.name),
        " = ",
        c.secret || c.value === undefined
          ? h("span.secret-value", "secret, not recorded")
          : h("code", c.value),
      ]),
    ),
  ];
  return h("div.attempt", { dataAttempt: String(a.number) }, [
    h("h3", title),
    ...(a.start?.changed
      ? [
          h("p.changed-note", { dataEvent: "changed" }, [
            "The runbook was edited during the run: this attempt ran the step’s new text (",
            h("code", a.start.changed.from.slice(0, 8)),
            " → ",
            h("code", a.start.changed.to.slice(0, 8)),
            ").",
          ]),
        ]
      : []),
    ...(a.unknown
      ? [
          h(
            "p.unknown-note",
            "Started but never recorded as finished (a crash, kill -9 or a lost terminal): what it did is unknown. Resume asks the operator to re-run it or mark it done.",
          ),
        ]
      : []),
    ...(events.length > 0 ? [h("ul.events", events)] : []),
    ...(a.checks.length > 0 ? [checkTable(a.checks, o)] : []),
    ...(a.end?.message && (a.end.state !== "done" || a.end.assumed)
      ? [
          h("p", [
            h(
              "strong",
              a.end.assumed
                ? "Decision: "
                : a.end.state === "skipped"
                  ? "Skipped: "
                  : "Why: ",
            ),
            a.end.message,
          ]),
        ]
      : []),
    ...(a.end?.interrupted
      ? [h("p.muted", "Interrupted (Ctrl-C or a signal).")]
      : []),
    ...(log !== undefined && log.trim() !== ""
      ? [outputBlock(`Output of attempt ${a.number}`, log, o.log)]
      : []),
  ]);
}

function checkTable(
  checks: Extract<JournalEntry, { type: "check" }>[],
  o: StepDetailOptions,
): Element {
  const rows = checks.map((c) => {
    const model: Check | undefined = o.step?.checks[c.index];
    const expected =
      c.expected ?? (model ? expectedFromModel(model, o.lookup) : undefined);
    return h("tr", { dataCheck: String(c.index + 1), dataOk: String(c.ok) }, [
      h("td", [
        `${c.index + 1}`,
        ...(model ? [h("br"), h("span.muted", `line ${model.at.line}`)] : []),
      ]),
      h("td", { className: [c.ok ? "ok" : "bad"] }, c.ok ? "passed" : "failed"),
      h(
        "td",
        expected !== undefined ? h("code", expected) : h("span.muted", "—"),
      ),
      h(
        "td",
        c.actual !== undefined ? h("code", c.actual) : h("span.muted", "—"),
      ),
      h("td", [
        c.message,
        ...(c.attempts > 1
          ? [h("br"), h("span.muted", `${c.attempts} tries`)]
          : []),
      ]),
      h("td.num", duration(c.durationMs)),
    ]);
  });
  return h("div.table-wrap", [
    h("table.check-results", [
      h("thead", [
        h(
          "tr",
          ["check", "result", "expected", "actual", "message", "took"].map(
            (t) => h("th", { scope: "col" }, t),
          ),
        ),
      ]),
      h("tbody", rows),
    ]),
  ]);
}

/** What a check expected, from the runbook, with `${name}` resolved where the journal knows the value. */
function expectedFromModel(
  check: Check,
  lookup: (name: string) => string | undefined,
): string {
  const e = check.expectation;
  const parts: string[] = [];
  if (e.expect !== undefined) parts.push(interpolate(e.expect, lookup).text);
  if (e.match !== undefined) parts.push(`matches /${e.match}/`);
  if (e.rows) parts.push(`rows ${e.rows.op} ${e.rows.count}`);
  if (e.empty) parts.push(check.kind === "sql" ? "no rows" : "no output");
  if (e.table)
    parts.push(
      `the table in the runbook (${plural(e.table.rows.length, "row")}${e.ordered ? ", in order" : ""})`,
    );
  if (check.kind === "sh" && (check.exit !== 0 || parts.length === 0))
    parts.push(`exit status ${check.exit}`);
  if (parts.length === 0) parts.push("no error");
  return parts.join("; ");
}

function outputBlock(
  label: string,
  text: string,
  log: StepLog | undefined,
): Element {
  const lines = text.split("\n").length;
  return h("details.output", [
    h("summary", `${label} (${plural(lines, "line")})`),
    ...(log?.omittedBytes
      ? [
          h(
            "p.omitted",
            `${log.omittedBytes} bytes from the middle of the log are left out here; the whole log is ${log.path ?? "beside the journal"}.`,
          ),
        ]
      : []),
    h("pre.output", { tabIndex: 0 }, [h("code", text)]),
  ]);
}

/** Who answered a gate: the operator, by name, or nobody (a non-interactive run). */
function gateWho(g: Extract<JournalEntry, { type: "gate" }>): string {
  if (g.by === "operator") return `answered by ${g.user}`;
  if (g.answer === "quit" || g.answer === "no")
    return `not answered: the run was not interactive and this needs an operator (run by ${g.user})`;
  return `answered automatically (--yes=all or a rehearsal; run by ${g.user})`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
