/**
 * What the UI reads from the engine's events when they carry it, and does
 * without (or works out itself) when they do not: the engine's events grow
 * while the UI must run against today's. Each field is read through `Extra`
 * so that the day the engine sends it, the UI uses it.
 *
 * - `step-start.log`: where the step's output log is (else the OutputLog's naming beside the journal; a
 *   PostgreSQL state has no file, and the opened step then says the log cannot be read);
 * - `capture.secret`: the capture is a secret (else: its masked value holds `***`);
 * - `step-end.unproven` and `RunStepInfo.unproven`: a skip after a failure, an interrupt or an unknown
 *   outcome (else the UI works it out from what it saw in this session; a resumed run's earlier skips
 *   count as chosen);
 * - `run-start.sentinels`: the tokens, shown in the proof summary and beside the code that uses them;
 * - `run-end.status` `incomplete` (else the UI says `incomplete` itself when a step was skipped unproven).
 */
export interface Extra {
  readonly log?: string;
  readonly secret?: boolean;
  readonly unproven?: boolean;
  readonly sentinels?: Readonly<Record<string, string>>;
}

/**
 * Not an engine event yet: a `wait=` check's latest try, so the screen shows
 * the value it last got while it waits, not only the time it has waited.
 * The TUI reporter's `onCheckProgress` takes it when the engine emits it.
 */
export interface CheckProgressEvent {
  readonly type: 'check-progress';
  readonly stepId: string;
  readonly index: number;
  /** The value the check got on its latest try (masked). */
  readonly actual?: string;
  /** Why the latest try did not pass (an error, or the comparison). */
  readonly message?: string;
  readonly attempts?: number;
}
