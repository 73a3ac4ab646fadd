import type { Writable } from "node:stream";
import {
  checkHeld,
  checkValues,
  DrainWriter,
  type Reporter,
  type RunEvent,
} from "../../engine/run/index.js";
import type { Runbook } from "../../engine/model/index.js";
import type { Style } from "../style.js";
import { plural, formatDuration } from "../../engine/model/index.js";
import { RunProof } from "../run-proof.js";

export interface PlainReporterOptions {
  /** The runbook that runs: the run ends with each sentinel's proof (where its token was written and found). */
  readonly runbook?: Runbook;
  /** A waiting check prints what it got when that changes, and otherwise once every this many ms. @default 10000 */
  readonly progressEveryMs?: number;
}

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/**
 * Line output for pipes, CI logs and terminals without the UI: one line per
 * event, step output indented under its step with a gutter, so what a step
 * printed is never mistaken for what runbook said.
 */
export class PlainReporter implements Reporter {
  private partial = "";
  private partialStream: "stdout" | "stderr" | "info" = "stdout";
  private readonly titles = new Map<string, string>();
  /** The last progress line printed per waiting check (`step#index`): what it said, and when. */
  private readonly progress = new Map<string, { text: string; at: number }>();
  /**
   * Line prefixes for step output. Without colour (pipes, CI logs) they are
   * ASCII: a non-Latin-1 character would make V8 store every output string
   * as UTF-16, and a step may print hundreds of megabytes.
   */
  private readonly gutters: Record<"stdout" | "stderr" | "info", string>;

  private readonly progressEveryMs: number;
  private readonly proof: RunProof;

  constructor(
    private readonly out: Writable,
    private readonly style: Style,
    options: PlainReporterOptions = {},
  ) {
    this.progressEveryMs = options.progressEveryMs ?? 10_000;
    this.proof = new RunProof(options.runbook);
    this.writer = new DrainWriter(out);
    this.gutters = style.enabled
      ? {
          stdout: style.dim("  │ "),
          stderr: style.dim("  ┆ "),
          info: style.dim("  · "),
        }
      : { stdout: "  | ", stderr: "  : ", info: "  - " };
  }

  private readonly writer: DrainWriter;

  private line(text: string): void {
    this.write(`${text}\n`);
  }

  private write(text: string): void {
    this.writer.write(text);
  }

  /** A pipe that is not being read (`runbook run … | less`) makes the engine wait instead of buffering. */
  drained(): Promise<void> | undefined {
    return this.writer.drained;
  }

  onRunStart(e: Of<"run-start">): void {
    this.proof.runStart(e);
    for (const s of e.steps) this.titles.set(s.id, s.title);
    const selected = e.steps.filter((s) => s.selected);
    const done = selected.filter(
      (s) => s.state === "done" || s.state === "skipped",
    ).length;
    this.line(
      this.style.bold(`${e.resumed ? "Resuming" : "Running"} "${e.title}"`) +
        this.style.dim(`  (${e.file}, ${e.mode}, run ${e.runId})`),
    );
    this.line(
      this.style.dim(
        `${plural(selected.length, "step")}${done ? `, ${done} already done` : ""}`,
      ),
    );
  }

  onStepStart(e: Of<"step-start">): void {
    this.flush();
    this.line("");
    this.line(
      this.style.bold(
        `▶ [${e.index}/${e.total}] ${this.titles.get(e.stepId) ?? e.stepId}`,
      ) +
        this.style.dim(
          `  ${e.stepId}${e.attempt > 1 ? `, attempt ${e.attempt}` : ""}`,
        ),
    );
    if (e.changed)
      this.line(
        this.style.yellow(
          `  ✎ changed since the run started: running the step as the runbook says now (text ${e.changed.from.slice(0, 8)} → ${e.changed.to.slice(0, 8)})`,
        ),
      );
  }

  onActionStart(e: Of<"action-start">): void {
    this.flush();
    this.line(
      this.style.cyan(`  ${e.kind}${e.target ? ` → ${e.target}` : ""}`),
    );
  }

  onOutput(e: Of<"output">): void {
    if (e.stream !== this.partialStream && this.partial) this.flush();
    this.partialStream = e.stream;
    const text = this.partial + e.text;
    const last = text.lastIndexOf("\n");
    if (last < 0) {
      this.partial = text;
      return;
    }
    this.partial = text.slice(last + 1);
    const gutter = this.gutters[e.stream];
    this.write(
      `${gutter}${text.slice(0, last).replace(/\n/g, `\n${gutter}`)}\n`,
    );
  }

  private flush(): void {
    if (!this.partial) return;
    this.write(`${this.gutters[this.partialStream]}${this.partial}\n`);
    this.partial = "";
  }

  onActionEnd(e: Of<"action-end">): void {
    this.proof.actionEnd(e);
    this.flush();
    const o = e.outcome;
    if (o.kind === "not-run") this.line(this.style.dim(`  ↷ ${o.reason}`));
    else if (o.kind !== "ok") this.line(this.style.red(`  ✗ ${o.message}`));
  }

  /** A waiting check's last try, when what it got changed, else every `progressEveryMs` (a wait may last minutes). */
  onCheckProgress(e: Of<"check-progress">): void {
    const key = `${e.stepId}#${e.index}`;
    const text =
      e.actual !== undefined
        ? `last got ${JSON.stringify(e.actual)}`
        : `last try: ${e.message}`;
    const last = this.progress.get(key);
    const now = performance.now();
    if (last && last.text === text && now - last.at < this.progressEveryMs)
      return;
    this.progress.set(key, { text, at: now });
    this.flush();
    this.line(
      this.style.dim(
        `  … check ${e.index + 1} waiting: ${text} (try ${e.attempts}, ${formatDuration(e.elapsedMs)})`,
      ),
    );
  }

  onCheckEnd(e: Of<"check-end">): void {
    this.proof.checkEnd(e);
    this.flush();
    this.progress.delete(`${e.stepId}#${e.index}`);
    const o = e.outcome;
    // A failed polling check says how long it tried in its own message.
    const held = checkHeld(o);
    const tries =
      held && o.attempts > 1
        ? this.style.dim(` after ${o.attempts} tries`)
        : "";
    // Passed or failed, what was expected and what was found (a table expectation shows its rows below).
    const v = checkValues(o);
    const values = v
      ? this.style.dim(` (expected ${v.expected} · actual ${v.actual})`)
      : "";
    if (held)
      this.line(
        this.style.green(`  ✓ check ${e.index + 1}: ${o.message}`) +
          values +
          tries,
      );
    else {
      this.line(
        this.style.red(`  ✗ check ${e.index + 1}: ${o.message}`) +
          values +
          tries,
      );
      if (o.kind === "table-mismatch") {
        this.line(
          this.style.dim(
            `      expected: ${o.table.expected.map((r) => r.join(" | ")).join("; ") || "(no rows)"}`,
          ),
        );
        this.line(
          this.style.dim(
            `      actual:   ${o.table.actual.map((r) => r.join(" | ")).join("; ") || "(no rows)"}`,
          ),
        );
      }
    }
  }

  onGate(e: Of<"gate">): void {
    this.flush();
    const what =
      e.kind === "manual"
        ? "manual step"
        : e.kind === "block"
          ? "confirm block"
          : e.kind === "typed"
            ? "typed gate"
            : "gate";
    const verdict =
      e.answer === "yes" || e.answer === "done"
        ? this.style.green(
            e.by === "auto" ? "acknowledged automatically" : "confirmed",
          )
        : this.style.yellow(e.answer === "quit" ? "not answered" : e.answer);
    this.line(`  ✋ ${what}: ${firstLine(e.prompt)} — ${verdict}`);
  }

  onCapture(e: Of<"capture">): void {
    this.line(
      this.style.dim(
        `  = ${e.name} = ${JSON.stringify(e.value.length > 120 ? `${e.value.slice(0, 120)}…` : e.value)}`,
      ),
    );
  }

  onStepEnd(e: Of<"step-end">): void {
    this.proof.stepEnd(e);
    this.flush();
    const title = this.titles.get(e.stepId) ?? e.stepId;
    if (e.state === "done")
      this.line(
        this.style.green(`✔ ${title}`) +
          this.style.dim(
            ` ${e.assumed ? "(marked done)" : formatDuration(e.durationMs)}`,
          ),
      );
    else if (e.state === "skipped")
      this.line(
        this.style.yellow(`↷ ${title} skipped`) +
          (e.message ? this.style.dim(` (${e.message})`) : ""),
      );
    else
      this.line(
        this.style.red(`✘ ${title} (${e.stepId}) failed: ${e.message ?? ""}`),
      );
  }

  onNotice(e: Of<"notice">): void {
    this.flush();
    const text = `${e.level}: ${e.message}`;
    this.line(
      e.level === "error"
        ? this.style.red(text)
        : e.level === "warning"
          ? this.style.yellow(text)
          : this.style.dim(text),
    );
  }

  onRunEnd(e: Of<"run-end">): void {
    this.flush();
    const proof = this.proof.lines();
    if (proof.length > 0) {
      this.line("");
      for (const l of proof)
        this.line(l.startsWith("  ") ? this.style.dim(l) : l);
    }
    this.line("");
    const text = `${e.status === "done" ? "✔" : "✘"} ${e.message} (${formatDuration(e.durationMs)})`;
    this.line(
      e.status === "done"
        ? this.style.green(this.style.bold(text))
        : this.style.red(this.style.bold(text)),
    );
    if (e.resumeHint) this.line(`  to continue: ${e.resumeHint}`);
  }
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}
