import { hostname } from "node:os";
import {
  liveGroupMembers,
  stopProcessGroup,
  type ProcessInfo,
} from "../engine/actions/index.js";
import type { RunState } from "../engine/journal/index.js";

/** A step in an unknown state whose process group was journaled: still alive here, or started on another host. */
export type RunningStep =
  | {
      readonly where: "here";
      readonly step: string;
      readonly pgid: number;
      readonly members: readonly ProcessInfo[];
    }
  | {
      readonly where: "elsewhere";
      readonly step: string;
      readonly pgid: number;
      readonly host: string;
    };

/**
 * What still runs of a run whose `runbook` died mid-step (SPEC 2): for each
 * step started but never finished, the process groups the journal recorded
 * for its last attempt. On this host a group counts while a process of it
 * (or of its session) carries the run's RUNBOOK_RUN_ID and the step's
 * RUNBOOK_STEP, so a pid reused since by something else does not.
 */
export function stepsStillRunning(
  runId: string,
  state: RunState,
  here = hostname(),
): RunningStep[] {
  const out: RunningStep[] = [];
  for (const [step, record] of state.steps) {
    if (record.state !== "unknown") continue;
    for (const group of record.groups ?? []) {
      if (group.host !== here) {
        out.push({
          where: "elsewhere",
          step,
          pgid: group.pgid,
          host: group.host,
        });
        continue;
      }
      const members = liveGroupMembers(group.pgid, {
        RUNBOOK_RUN_ID: runId,
        RUNBOOK_STEP: step,
      });
      if (members.length > 0)
        out.push({ where: "here", step, pgid: group.pgid, members });
    }
  }
  return out;
}

/** Why resume will not go on beside a step that still runs, and what the operator can do. */
export function stillRunningMessage(
  running: readonly Extract<RunningStep, { where: "here" }>[],
): string {
  const parts = running.map((r) => {
    const shown =
      r.members
        .slice(0, 4)
        .map((p) => `${p.comm} (pid ${p.pid})`)
        .join(", ") +
      (r.members.length > 4 ? `, and ${r.members.length - 4} more` : "");
    return `step "${r.step}" is still running: runbook stopped while it ran, but its process group ${r.pgid} is alive on this host (${shown})`;
  });
  const kill = running.map((r) => `kill -TERM -- -${r.pgid}`).join("; ");
  return `${parts.join("; ")}. Resuming now could start a second copy beside it, so nothing was run. Wait for it to end, or stop it (${kill}), then resume again`;
}

/** Stops the groups (SIGTERM, a grace, SIGKILL), for an operator who said so. */
export async function stopRunningSteps(
  running: readonly Extract<RunningStep, { where: "here" }>[],
): Promise<void> {
  await Promise.all(
    running.map((r) => stopProcessGroup({ pgid: r.pgid, graceMs: 5000 })),
  );
}
