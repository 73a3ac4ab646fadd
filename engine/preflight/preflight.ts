import type { Runbook } from "../model/index.js";
import { isCodeAction } from "../model/index.js";
import { interpolateParams } from "../params/index.js";
import { sentinelToken } from "../run/index.js";
import { loadSqlParser } from "../sql/index.js";
import { PreflightContext, type PreflightOptions } from "./context.js";
import { probeDatabase } from "./database-probe.js";
import { probeHost } from "./host-probe.js";
import { probeStepNeeds } from "./needs-probe.js";
import {
  probePlace,
  programPlaces,
  versionedPrograms,
} from "./program-probe.js";
import {
  captureSteps,
  checkRunsLive,
  databaseOf,
  runsLive,
  stepsInOrder,
} from "./runbook-facts.js";
import { runbookNeeds } from "./step-needs.js";
import { probeSteps, type PrefixSummary } from "./steps-probe.js";
import type { PreflightReport } from "./types.js";

/** The report, with the read-only prefix preflight found. */
export interface PreflightResult extends PreflightReport {
  readonly prefix: PrefixSummary;
}

/**
 * `runbook preflight` (SPEC 3): the night-before check, which changes
 * nothing. In order: the params; every database that can be resolved before
 * the run (authentication, server version, the role); every `on=` host over
 * ssh in batch mode; the programs shell blocks call, where they will run;
 * what each step's SQL and programs need of its database's role; then the
 * read-only prefix and every block or check marked `probe`. Probes are
 * reported through `onProbe` as they finish; nothing here throws for a
 * failed probe.
 */
export async function runPreflight(
  options: PreflightOptions,
): Promise<PreflightResult> {
  const { runbook } = options;
  await loadSqlParser();
  const ctx = new PreflightContext(options);
  let prefix: PrefixSummary = { steps: [] };
  try {
    probeParams(ctx);
    const captures = captureSteps(runbook);
    const needs = runbookNeeds(runbook, new Map(ctx.vars));
    const firstUse = firstUses(runbook);
    for (const db of runbook.databases) {
      if (options.signal.aborted) break;
      const use = firstUse.get(db.name);
      await probeDatabase(ctx, db, {
        ...(use !== undefined ? { firstUse: use } : {}),
        made: needs.made,
        restores: needs.restores,
        captures,
      });
    }
    for (const [name, steps] of usedHosts(runbook)) {
      const host = runbook.hosts.find((h) => h.name === name);
      if (host && !options.signal.aborted)
        await probeHost(ctx, host, steps, captures);
    }
    const places = programPlaces(runbook, ctx.lookup);
    const versioned = versionedPrograms(
      runbook,
      new Set(places.flatMap((p) => [...p.programs.keys()])),
    );
    for (const place of places)
      if (!options.signal.aborted) await probePlace(ctx, place, versioned);
    for (const entry of needs.needs)
      if (!options.signal.aborted) await probeStepNeeds(ctx, entry);
    if (!options.signal.aborted) prefix = await probeSteps(ctx, captures);
  } finally {
    await ctx.connections.closeAll();
  }
  const counts = ctx.counts();
  return {
    file: runbook.file,
    title: runbook.title,
    ok: counts.fail === 0,
    counts,
    probes: ctx.probes,
    prefix,
  };
}

/** Sentinels get their token, params their final values (`${name}` in defaults filled in); one line says what they are. */
function probeParams(ctx: PreflightContext): void {
  const { runbook, params, env } = ctx.options;
  for (const s of runbook.sentinels)
    ctx.set(s.name, sentinelToken(s.name), false);
  const interpolated = interpolateParams(params, {
    lookup: (name) => ctx.vars.get(name) ?? env[name],
  });
  for (const [name, p] of interpolated.values)
    ctx.set(name, p.value, p.param.secret || ctx.isSecret(name));
  const at = { file: runbook.file, line: 1, column: 1 };
  if (interpolated.diagnostics.length > 0) {
    ctx.emit({
      kind: "params",
      state: "fail",
      subject: "params",
      why: interpolated.diagnostics.map((d) => d.message).join("; "),
      fix: "pass the value with --set or the environment",
      at,
    });
    return;
  }
  if (runbook.params.length === 0) return;
  const shown = runbook.params.map((p) => {
    const r = interpolated.values.get(p.name);
    return `${p.name}=${r === undefined ? "?" : p.secret || ctx.isSecret(p.name) ? "***" : JSON.stringify(r.value).slice(1, -1)}${r ? ` (${r.source === "set" ? "--set" : r.source})` : ""}`;
  });
  ctx.emit({
    kind: "params",
    state: "pass",
    subject: "params",
    why: `${runbook.params.length} resolved: ${shown.join(", ")}`,
    at,
  });
}

/** Index, in execution order, of the first step that uses each database. */
function firstUses(runbook: Runbook): Map<string, number> {
  const out = new Map<string, number>();
  for (const [index, step] of stepsInOrder(runbook).entries()) {
    const dbs = [
      ...step.actions
        .filter((a) => isCodeAction(a) && runsLive(a))
        .map((a) => (isCodeAction(a) ? databaseOf(runbook, a) : undefined)),
      ...step.checks.filter(checkRunsLive).map((c) => databaseOf(runbook, c)),
    ];
    for (const db of dbs)
      if (db !== undefined && !out.has(db)) out.set(db, index);
  }
  return out;
}

/** Hosts that live blocks and checks run on (`on=`), with the steps that use each. */
function usedHosts(runbook: Runbook): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (host: string | undefined, step: string): void => {
    if (host === undefined) return;
    const steps = out.get(host) ?? [];
    if (!steps.includes(step)) steps.push(step);
    out.set(host, steps);
  };
  for (const step of stepsInOrder(runbook)) {
    for (const a of step.actions)
      if (isCodeAction(a) && runsLive(a)) add(a.options.on, step.id);
    for (const c of step.checks)
      if (c.kind === "sh" && checkRunsLive(c)) add(c.on, step.id);
  }
  return out;
}
