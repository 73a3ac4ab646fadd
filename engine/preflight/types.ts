import type { SourceLocation } from "../model/index.js";

/**
 * How a probe ended: `pass` ✔, `fail` ✘ (the exit status is 1), `pending`
 * (a check the run waits for, `wait=`, that does not hold yet: not a
 * failure), `skip` (it can only be known during the run, and why).
 */
export type ProbeState = "pass" | "fail" | "pending" | "skip";

/** What a probe looked at. */
export type ProbeKind =
  | "params"
  | "database"
  | "host"
  | "programs"
  | "privileges"
  | "block"
  | "check";

/**
 * One line of `runbook preflight`: what was probed, whether it holds, why,
 * and what to do when it does not. Every text is masked (no secret in clear).
 */
export interface Probe {
  readonly kind: ProbeKind;
  readonly state: ProbeState;
  /** What was probed, in a few words: `database admin`, `host primary`, `programs on this machine`. */
  readonly subject: string;
  /** Why it holds or not: one line. */
  readonly why: string;
  /** What to do about it (a failure, sometimes a skip). */
  readonly fix?: string;
  /** The step it belongs to, for blocks, checks and needs. */
  readonly step?: string;
  /** Where in the Markdown (blocks, checks, front-matter entries). */
  readonly at?: SourceLocation;
}

/** The whole preflight, as `--json` prints it. */
export interface PreflightReport {
  readonly file: string;
  readonly title: string;
  /** true when no probe failed. */
  readonly ok: boolean;
  readonly counts: Readonly<Record<ProbeState, number>>;
  readonly probes: readonly Probe[];
}

/** Where a script runs: this machine, as another user, on a host over ssh (as another user there). */
export interface Place {
  readonly on?: string;
  readonly user?: string;
}

/** `this machine`, `this machine as postgres`, `host replica as postgres`. */
export function placeName(place: Place): string {
  const where = place.on !== undefined ? `host ${place.on}` : "this machine";
  return place.user !== undefined ? `${where} as ${place.user}` : where;
}

export function placeKey(place: Place): string {
  return `${place.on ?? ""}\u0000${place.user ?? ""}`;
}
