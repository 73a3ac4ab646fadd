import type {
  JournalEntry,
  JournalSink,
  RunEntry,
  RunParamEntry,
} from "../journal/index.js";
import { MASK, redactFields } from "../secrets/index.js";
import {
  checkHeld,
  checkTable,
  checkValues,
  emit,
  type Reporter,
  type RunEvent,
  type RunParamInfo,
} from "./events.js";

/** A journal entry before the recorder stamps it with `at`. */
export type UnstampedEntry = JournalEntry extends infer E
  ? E extends { at: string }
    ? Omit<E, "at">
    : never
  : never;

/** What the run header holds besides its params, which come from the run-start event. */
export type RunHeader = Omit<RunEntry, "type" | "at" | "params">;

export interface RecorderOptions {
  readonly journal: JournalSink;
  readonly reporters: readonly Reporter[];
  /** Masks every secret known so far: the run context's redactor, which grows as secrets are learnt (captures, database passwords). */
  readonly redact: (text: string) => string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Who answers gates here (journaled with each answer). */
  readonly user: string;
}

type Of<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;

/**
 * The one path from the engine to the outside (ARCHITECTURE: the journal is
 * not a reporter). Each event is built once by the engine and given to
 * `record`, which
 *
 * 1. masks every known secret in every text field of it, by value (secret
 *    params, secret captures, sandbox and database passwords, each also
 *    percent-encoded and decoded): also inside a non-secret value;
 * 2. writes the journal's entry for it, fsync'ed, when it has one;
 * 3. hands the masked event to the reporters, which never mask again.
 *
 * Process output is the one exception to (1): it is masked where it is read,
 * by the output redactor, which also catches a secret split across chunks and
 * streams — masking it again here would only cost time on hundreds of megabytes.
 * Text the engine itself prints (`info`) is masked here like any event.
 */
export class Recorder {
  private readonly journalWriter: JournalSink;
  private readonly reporters: readonly Reporter[];
  private readonly now: () => Date;
  private readonly user: string;
  readonly redact: (text: string) => string;

  constructor(options: RecorderOptions) {
    this.journalWriter = options.journal;
    this.reporters = options.reporters;
    this.redact = options.redact;
    this.now = options.now ?? (() => new Date());
    this.user = options.user;
  }

  /** Masks, journals (fsync) and emits one event. Returns the event as reporters saw it. */
  record<E extends RunEvent>(event: E): E {
    const shown = this.mask(event);
    const entry = this.entryOf(event, shown);
    if (entry) this.journalWriter.append(entry);
    emit(this.reporters, shown);
    return shown;
  }

  /**
   * The run-start event, and with it (for a new run) the journal's header:
   * the params as the event shows them, a param whose value held a secret
   * recorded as `masked` with no value (resume asks for it again).
   */
  runStart(
    event: Of<"run-start">,
    header: RunHeader | undefined,
  ): Of<"run-start"> {
    const shown = this.mask(event);
    if (header) {
      const params = shown.params.map((p): RunParamEntry => ({
        name: p.name,
        secret: p.secret,
        source: p.source,
        ...(p.masked
          ? { masked: true, shown: p.value ?? MASK }
          : p.value !== undefined
            ? { value: p.value }
            : {}),
      }));
      // Sentinel tokens are ours (random, never a secret) and resume must get them back exactly.
      const entry = {
        ...redactFields({ ...header, params: [] }, this.redact),
        params,
        sentinels: header.sentinels,
      };
      this.journalWriter.append({ type: "run", at: this.stamp(), ...entry });
    }
    emit(this.reporters, shown);
    return shown;
  }

  /** An entry only the journal keeps (a resume, a process group, a failure before its action started), masked like the rest. */
  journal(entry: UnstampedEntry): void {
    this.journalWriter.append(
      redactFields({ ...entry, at: this.stamp() } as JournalEntry, this.redact),
    );
  }

  private mask<E extends RunEvent>(event: E): E {
    if (event.type === "output" && event.stream !== "info") return event;
    const shown = redactFields(event, this.redact);
    if (shown.type === "capture" && shown.secret)
      return { ...shown, value: MASK };
    if (shown.type === "run-start" && event.type === "run-start") {
      return {
        ...shown,
        params: shown.params.map((p, i): RunParamInfo =>
          p.value !== undefined && p.value !== event.params[i]?.value
            ? { ...p, masked: true }
            : p,
        ),
      };
    }
    return shown;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** The journal's line for an event (`raw`: as built; `shown`: masked), if it has one. */
  private entryOf(raw: RunEvent, shown: RunEvent): JournalEntry | undefined {
    const at = this.stamp();
    switch (shown.type) {
      case "step-start":
        return {
          type: "step-start",
          at,
          step: shown.stepId,
          attempt: shown.attempt,
          ...(shown.changed ? { changed: shown.changed } : {}),
        };
      case "action-end": {
        const o = shown.outcome;
        if (o.kind === "ok" || o.kind === "not-run") return undefined;
        return {
          type: "action",
          at,
          step: shown.stepId,
          index: shown.index,
          kind: shown.kind,
          ok: false,
          durationMs: Math.round(shown.durationMs),
          message: o.message,
          ...(o.exitCode !== undefined ? { exitCode: o.exitCode } : {}),
        };
      }
      case "check-end": {
        // The journal's check entry keeps the shape it always had (ok, expected?, actual?, table?): replay.ts reads it back.
        const o = shown.outcome;
        const table = checkTable(o);
        return {
          type: "check",
          at,
          step: shown.stepId,
          index: shown.index,
          kind: shown.kind,
          line: shown.line,
          ok: checkHeld(o),
          message: o.message,
          attempts: o.attempts,
          durationMs: Math.round(o.durationMs),
          ...checkValues(o),
          ...(table ? { table } : {}),
        };
      }
      case "gate":
        return {
          type: "gate",
          at,
          step: shown.stepId,
          kind: shown.kind,
          prompt: shown.prompt,
          answer: shown.answer,
          by: shown.by,
          user: this.user,
        };
      case "capture": {
        const base = {
          type: "capture",
          at,
          step: shown.stepId,
          name: shown.name,
          secret: shown.secret,
        } as const;
        if (shown.secret) return base;
        // A value that had to be masked is not a value any more: never restore it as one.
        const value = raw.type === "capture" ? raw.value : shown.value;
        return shown.value === value
          ? { ...base, value }
          : { ...base, masked: true, shown: shown.value };
      }
      case "step-end":
        return {
          type: "step-end",
          at,
          step: shown.stepId,
          state: shown.state,
          durationMs: Math.round(shown.durationMs),
          ...(shown.message !== undefined ? { message: shown.message } : {}),
          ...(shown.assumed ? { assumed: true } : {}),
          ...(shown.interrupted ? { interrupted: true } : {}),
          ...(shown.stopped ? { stopped: true } : {}),
          ...(shown.unproven ? { unproven: true } : {}),
          ...(shown.actions ? { actions: shown.actions } : {}),
        };
      case "run-end":
        return {
          type: "run-end",
          at,
          status: shown.status,
          exitCode: shown.exitCode,
          message: shown.message,
          durationMs: Math.round(shown.durationMs),
          ...(shown.unproven.length > 0 ? { unproven: shown.unproven } : {}),
        };
      case "run-start":
      case "action-start":
      case "output":
      case "check-start":
      case "check-progress":
      case "notice":
        return undefined;
    }
  }
}
