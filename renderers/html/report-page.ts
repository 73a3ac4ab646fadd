import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { JournalEntry } from "../../engine/journal/index.js";
import type { Runbook } from "../../engine/model/index.js";
import { htmlDocument } from "./document.js";
import { createMasker } from "./masking.js";
import { between, duration, formatClock, formatTime } from "./report-format.js";
import {
  foldJournal,
  type RunReport,
  type SessionReport,
} from "./report-model.js";
import { stateChip, stepDetail, type StepLog } from "./report-steps.js";
import { REPORT_CSS } from "./styles-report.js";

export interface ReportPageOptions {
  readonly runId: string;
  /** The journal's entries, in order (`readJournal(…).entries`). */
  readonly entries: readonly JournalEntry[];
  /** The journal's last line was cut short and ignored. */
  readonly tornTail?: boolean;
  /** Each step's output log, by step id. */
  readonly logs?: ReadonlyMap<string, StepLog>;
  /** The runbook as it is now, if it could be read: shows what each check expected. */
  readonly runbook?: Runbook;
  /** Why the runbook could not be read. */
  readonly runbookNote?: string;
  /** Where the journal is, for the footer. */
  readonly journalPath?: string;
}

/**
 * A run's transcript from its journal, as a self-contained page: who ran it
 * and when, each step's attempts and timing, gates and who answered them,
 * output (already masked by the engine; collapsible), check results with
 * expected and actual values, the resume history and the final state.
 */
export function renderReportPage(o: ReportPageOptions): string {
  const report = foldJournal(o.entries);
  const { run } = report;
  const lookup = lookupFor(report);
  const steps = new Map(o.runbook?.steps.map((s) => [s.id, s]) ?? []);
  const masker = o.runbook ? createMasker(o.runbook) : undefined;
  const details = report.steps.map((s, i) => {
    const current = steps.get(s.id);
    const same =
      current !== undefined && s.hash !== undefined && current.hash === s.hash;
    const stepNote = !o.runbook
      ? undefined
      : !current
        ? "no longer in the runbook"
        : same
          ? undefined
          : "changed in the runbook since this run";
    const log = o.logs?.get(s.id);
    return stepDetail(s, {
      report,
      lookup,
      position: i + 1,
      ...(log ? { log } : {}),
      ...(same ? { step: current } : {}),
      ...(stepNote ? { stepNote } : {}),
    });
  });
  const body: ElementContent[] = [
    h("header.page-head", [
      h("p.source", ["Run report · ", h("code", o.runId)]),
      h("h1", run.title),
      h("p", [
        stateChip(report.status, true),
        " ",
        run.mode === "rehearsal"
          ? h("span.chip", "rehearsal")
          : h("span.chip", "live run"),
      ]),
    ]),
    finalNote(report),
    ...(o.tornTail
      ? [
          h(
            "p.unknown-note",
            "The journal’s last line was cut short (the writer died mid-write); it was left out.",
          ),
        ]
      : []),
    facts(report, o),
    h("h2", "Steps"),
    stepsTable(report),
    h("h2", "History"),
    timeline(report.sessions),
    ...inputs(report),
    h("h2", "Step by step"),
    ...details,
    h("footer.page-foot", [
      "Written by runbook report from ",
      h("code", o.journalPath ?? o.runId),
      ". Secrets never reach the journal or the logs: the engine masks them (***) before writing; this page adds nothing that was not recorded.",
      ...(o.runbookNote ? [" ", o.runbookNote] : []),
    ]),
  ];
  return htmlDocument({
    title: `Run ${o.runId}: ${run.title}`,
    css: REPORT_CSS,
    body: [h("div.layout.layout--single", [h("main", body)])],
    ...(masker ? { mask: masker.text } : {}),
  });
}

/** Sentinel tokens, captured values and non-secret params: what `${name}` in an expectation meant in this run. */
function lookupFor(report: RunReport): (name: string) => string | undefined {
  const values = new Map<string, string>();
  for (const p of report.run.params)
    if (!p.secret && p.value !== undefined) values.set(p.name, p.value);
  for (const [k, v] of Object.entries(report.run.sentinels)) values.set(k, v);
  for (const c of report.captures)
    if (!c.secret && c.value !== undefined) values.set(c.name, c.value);
  return (name) => values.get(name);
}

function finalNote(report: RunReport): Element {
  const end = report.sessions.at(-1)?.end;
  const text = end
    ? end.message
    : "No end was recorded: the run crashed, was killed, or is still running. A step that was started and not finished is in an unknown state.";
  return h("p.final", { className: [`final--${report.status}`] }, [
    h("strong", end ? `Final state: ${end.status}` : "Final state: unfinished"),
    ` — ${text}`,
    ...(end ? [` (exit status ${end.exitCode})`] : []),
  ]);
}

function facts(report: RunReport, o: ReportPageOptions): Element {
  const { run } = report;
  const first = report.sessions[0];
  const last = report.sessions.at(-1);
  const yes =
    run.yes === "all"
      ? "--yes=all: gates and confirm blocks answered automatically"
      : run.yes === "steps"
        ? "--yes: ordinary steps confirmed automatically; gates asked"
        : "every step confirmed by the operator";
  const selection = [
    run.selection.from ? `--from ${run.selection.from}` : "",
    run.selection.to ? `--to ${run.selection.to}` : "",
    run.selection.only?.length ? `--only ${run.selection.only.join(",")}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const rows: [string, ElementContent | string][] = [
    ["Runbook", h("code", run.file)],
    [
      "Run by",
      `${run.user}@${run.host} (pid ${run.pid})${report.sessions.length > 1 ? `, resumed ${report.sessions.length - 1} time${report.sessions.length === 2 ? "" : "s"}` : ""}`,
    ],
    ["Started", formatTime(first?.at)],
    [
      "Ended",
      last?.end
        ? formatTime(last.end.at)
        : `— (last entry ${formatTime(report.lastAt)})`,
    ],
    [
      "Elapsed",
      `${duration(between(run.at, last?.end?.at ?? report.lastAt))}${last?.end ? "" : " (until the last journal entry)"}`,
    ],
    [
      "Confirmation",
      report.sessions.length > 1
        ? `${yes} (when the run started: the journal does not record how a resume was confirmed; see each gate below)`
        : yes,
    ],
    ["Steps run", selection || "all"],
    ["Working folder", h("code", run.cwd)],
  ];
  if (o.runbookNote) rows.push(["Runbook text", o.runbookNote]);
  return h(
    "dl.run-facts",
    rows.flatMap(([k, v]) => [h("dt", k), h("dd", v)]),
  );
}

function stepsTable(report: RunReport): Element {
  const rows = report.steps.map((s, i) => {
    const ran = s.attempts.filter((a) => a.start);
    const took = s.attempts.reduce((n, a) => n + (a.end?.durationMs ?? 0), 0);
    return h("tr", { dataStep: s.id, dataState: s.state }, [
      h("td.num", String(i + 1)),
      h("td.col-step", [h("a", { href: `#${s.id}` }, s.title)]),
      h("td", [
        stateChip(s.state),
        ...(s.assumed ? [" ", h("span.muted", "assumed")] : []),
      ]),
      h("td.num", String(ran.length)),
      h(
        "td.num",
        s.attempts.some((a) => a.end?.durationMs !== undefined && a.start)
          ? duration(took)
          : "—",
      ),
      h("td.col-started", formatClock(ran[0]?.start?.at)),
    ]);
  });
  return h("div.table-wrap", [
    h("table.steps-table", [
      h("thead", [
        h(
          "tr",
          ["#", "step", "state", "attempts", "time", "first started"].map(
            (t, i) =>
              h(
                "th",
                { scope: "col", className: i === 5 ? ["col-started"] : [] },
                t,
              ),
          ),
        ),
      ]),
      h("tbody", rows),
    ]),
  ]);
}

function timeline(sessions: readonly SessionReport[]): Element {
  return h(
    "ol.timeline",
    sessions.map((s) => {
      const who = `${s.user}@${s.host} (pid ${s.pid})`;
      const ended = s.end ? s.end.status : "none";
      return h("li", { className: [`ended-${ended}`], dataSession: s.kind }, [
        h("strong", s.kind === "run" ? "Started" : "Resumed"),
        ` by ${who} `,
        h("span.when", formatTime(s.at)),
        ...(s.changed.length > 0
          ? [
              h("br"),
              `Steps changed since they were completed: ${s.changed.join(", ")}`,
            ]
          : []),
        h("br"),
        s.end
          ? [
              `Ended `,
              stateChip(s.end.status),
              ` `,
              h("span.when", formatTime(s.end.at)),
              ` — ${s.end.message}`,
            ]
          : h("span", [
              "No end recorded: ",
              h("em", "crashed, killed, or still running"),
              ".",
            ]),
      ]);
    }),
  );
}

function inputs(report: RunReport): Element[] {
  const { run } = report;
  const out: Element[] = [];
  const table = (
    headers: string[],
    rows: (ElementContent | string)[][],
  ): Element =>
    h("div.table-wrap", [
      h("table", [
        h("thead", [
          h(
            "tr",
            headers.map((t) => h("th", { scope: "col" }, t)),
          ),
        ]),
        h(
          "tbody",
          rows.map((r) =>
            h(
              "tr",
              r.map((c) => h("td", c)),
            ),
          ),
        ),
      ]),
    ]);
  if (run.params.length > 0) {
    out.push(h("h2", "Params"));
    out.push(
      table(
        ["name", "value", "from"],
        run.params.map((p) => [
          h("code", p.name),
          p.secret || p.value === undefined
            ? h(
                "span.secret-value",
                { dataSecret: "hidden" },
                "secret, not recorded",
              )
            : h("code", p.value),
          p.source,
        ]),
      ),
    );
  }
  const sentinels = Object.entries(run.sentinels);
  if (sentinels.length > 0) {
    out.push(h("h2", "Sentinels"));
    out.push(
      table(
        ["name", "token of this run"],
        sentinels.map(([k, v]) => [h("code", k), h("code", v)]),
      ),
    );
  }
  if (report.captures.length > 0) {
    out.push(h("h2", "Captured values"));
    out.push(
      table(
        ["name", "value", "step"],
        report.captures.map((c) => [
          h("code", c.name),
          c.secret || c.value === undefined
            ? h("span.secret-value", "secret, not recorded")
            : h("code", c.value),
          h("a", { href: `#${c.step}` }, c.step),
        ]),
      ),
    );
  }
  return out;
}
