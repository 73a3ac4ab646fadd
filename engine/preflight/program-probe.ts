import type { Runbook } from "../model/index.js";
import { isCodeAction, pluralNoun, interpolate } from "../model/index.js";
import { shQuote } from "../actions/index.js";
import { sshAdvice } from "./advice.js";
import type { PreflightContext } from "./context.js";
import { runAt } from "./exec.js";
import { checkRunsLive, runsLive, stepsInOrder } from "./runbook-facts.js";
import { SERVER_VERSION_CLIENTS, shellPrograms } from "./shell-programs.js";
import { placeKey, placeName, type Place } from "./types.js";

/** The programs the live blocks and checks call at one place, with the steps that call each. */
export interface PlacePrograms {
  readonly place: Place;
  readonly programs: Map<string, Set<string>>;
}

/**
 * Where every live shell block, psql block, console transcript and shell
 * check runs, and what it calls there. `user=` may hold `${name}`: filled
 * in from what is known before the run (a user only a capture names is left
 * as written).
 */
export function programPlaces(
  runbook: Runbook,
  lookup: (name: string) => string | undefined,
): PlacePrograms[] {
  const places = new Map<string, PlacePrograms>();
  const add = (place: Place, names: readonly string[], step: string): void => {
    const user =
      place.user !== undefined
        ? interpolate(place.user, lookup).text
        : undefined;
    const p: Place = {
      ...(place.on !== undefined ? { on: place.on } : {}),
      ...(user !== undefined ? { user } : {}),
    };
    const entry = places.get(placeKey(p)) ?? {
      place: p,
      programs: new Map<string, Set<string>>(),
    };
    for (const name of names)
      entry.programs.set(
        name,
        (entry.programs.get(name) ?? new Set()).add(step),
      );
    places.set(placeKey(p), entry);
  };
  const where = (o: {
    on?: string | undefined;
    user?: string | undefined;
  }): Place => ({
    ...(o.on !== undefined ? { on: o.on } : {}),
    ...(o.user !== undefined ? { user: o.user } : {}),
  });
  for (const step of stepsInOrder(runbook)) {
    for (const action of step.actions) {
      if (!isCodeAction(action) || !runsLive(action)) continue;
      if (action.kind === "sh")
        add(
          where(action.options),
          shellPrograms(action.code).map((p) => p.name),
          step.id,
        );
      else if (action.kind === "psql")
        add(where({ user: action.options.user }), ["psql"], step.id);
      else if (action.kind === "console")
        add(
          where({ on: action.options.on, user: action.options.user }),
          action.commands.flatMap((c) =>
            shellPrograms(c.command).map((p) => p.name),
          ),
          step.id,
        );
      else if (action.kind === "file" && action.options.on !== undefined)
        add(where({ on: action.options.on }), [], step.id);
    }
    for (const check of step.checks) {
      if (check.kind === "sh" && checkRunsLive(check))
        add(
          where(check),
          shellPrograms(check.code).map((p) => p.name),
          step.id,
        );
    }
  }
  return [...places.values()].filter(
    (p) =>
      p.programs.size > 0 ||
      p.place.on !== undefined ||
      p.place.user !== undefined,
  );
}

/** Programs whose version the runbook compares (`pg_dump --version`), and the PostgreSQL clients that must match a server. */
export function versionedPrograms(
  runbook: Runbook,
  names: Iterable<string>,
): Set<string> {
  const texts = runbook.steps
    .flatMap((s) => [
      ...s.actions.flatMap((a) => (isCodeAction(a) ? [a.code] : [])),
      ...s.checks.map((c) => c.code),
    ])
    .join("\n");
  const out = new Set<string>();
  for (const name of names) {
    const base = name.split("/").pop() ?? name;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (
      SERVER_VERSION_CLIENTS.has(base) ||
      new RegExp(`(^|[\\s|;&(\`$])${escaped}\\s+(--version|-V)\\b`, "m").test(
        texts,
      )
    )
      out.add(name);
  }
  return out;
}

/**
 * Looks the programs up where they will run (SPEC 3): `command -v` through
 * the same shell, user switch and ssh a step uses, and the first line of
 * `--version` of those whose version matters.
 */
export async function probePlace(
  ctx: PreflightContext,
  entry: PlacePrograms,
  versioned: ReadonlySet<string>,
): Promise<void> {
  const { place } = entry;
  const subject = `programs on ${placeName(place)}`;
  const names = [...entry.programs.keys()].sort();
  const key = placeKey(place);
  if (place.on !== undefined && !ctx.hosts.has(place.on)) {
    const why = `host ${place.on} was not reached (${ctx.unreachedHosts.get(place.on) ?? "not probed"}): nothing to look up there`;
    ctx.places.set(key, { reached: false, why, versions: new Map() });
    if (names.length > 0)
      ctx.emit({
        kind: "programs",
        state: "skip",
        subject,
        why: `${why} (${names.join(", ")})`,
      });
    return;
  }
  if (names.length === 0 && place.user === undefined) return;
  const list = names.map(shQuote).join(" ");
  const withVersion = names
    .filter((n) => versioned.has(n))
    .map(shQuote)
    .join(" ");
  const script = [
    // A switched user may not enter the caller's directory; PostgreSQL's tools then print a warning first.
    ...(place.user !== undefined ? ["cd / 2>/dev/null || true"] : []),
    `for p in ${list}; do`,
    `  if path=$(command -v "$p" 2>/dev/null); then printf 'found\\t%s\\t%s\\n' "$p" "$path"; else printf 'missing\\t%s\\n' "$p"; fi`,
    "done",
    `for p in ${withVersion}; do`,
    `  if command -v "$p" >/dev/null 2>&1; then printf 'version\\t%s\\t%s\\n' "$p" "$("$p" --version 2>/dev/null | head -n 1 || true)"; fi`,
    "done",
    "",
  ].join("\n");
  const r = await runAt({
    shell: "sh",
    script,
    place,
    ...(place.on !== undefined
      ? { target: ctx.hosts.get(place.on) ?? place.on }
      : {}),
    env: ctx.env(),
    remoteVars: {},
    cwd: ctx.options.cwd,
    timeoutMs: 30_000,
    secrets: ctx.secrets,
    signal: ctx.options.signal,
    isRoot: ctx.options.isRoot,
  });
  if (r.exitCode !== 0) {
    const advice = r.spawnError
      ? { why: r.spawnError, fix: spawnFix(r.spawnError, place) }
      : r.exitCode === 255 && place.on !== undefined
        ? sshAdvice(r.stderr, ctx.hosts.get(place.on) ?? place.on)
        : /sudo|runuser/.test(r.stderr)
          ? sshAdvice(r.stderr, place.on ?? "this machine")
          : {
              why: `could not look: ${r.stderr.split("\n").at(-1) || `exit ${r.exitCode ?? "?"}`}`,
              fix:
                place.user !== undefined
                  ? `check that ${place.user} exists and can be switched to without a password`
                  : "check the shell",
            };
    ctx.places.set(key, {
      reached: false,
      why: advice.why,
      versions: new Map(),
    });
    ctx.emit({
      kind: "programs",
      state: "fail",
      subject,
      why: `${advice.why} (needed for ${names.join(", ") || "the steps there"})`,
      fix: advice.fix,
    });
    return;
  }
  const found = new Map<string, string>();
  const versions = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const [kind, name = "", value = ""] = line.split("\t");
    if (kind === "found") found.set(name, value);
    else if (kind === "version") versions.set(name, value.trim());
  }
  ctx.places.set(key, { reached: true, versions });
  const missing = names.filter((n) => !found.has(n));
  const shown = names
    .filter((n) => found.has(n))
    .map((n) =>
      versions.has(n)
        ? `${n} ${versionNumber(versions.get(n) ?? "") ?? versions.get(n)}`
        : n,
    );
  if (missing.length === 0) {
    ctx.emit({
      kind: "programs",
      state: "pass",
      subject,
      why:
        shown.length > 0
          ? shown.join(", ")
          : `${place.user ?? ""} can be switched to`.trim(),
    });
    return;
  }
  const needers = missing.map(
    (n) => `${n} (step ${[...(entry.programs.get(n) ?? [])].join(", ")})`,
  );
  ctx.emit({
    kind: "programs",
    state: "fail",
    subject,
    why: `not found: ${needers.join(", ")}${shown.length > 0 ? `; found: ${shown.join(", ")}` : ""}`,
    fix: `install ${missing.join(", ")} on ${placeName(place)}, or put ${pluralNoun(missing.length, "it", "them")} on the PATH a step gets there`,
  });
}

/** `pg_dump (PostgreSQL) 15.18 (Debian …)` → `15.18`. */
export function versionNumber(line: string): string | undefined {
  return /\b(\d+(?:\.\d+)+|\d{2,})\b/.exec(line)?.[1];
}

/** What to do when the probe could not even start where the steps will run. */
function spawnFix(why: string, place: Place): string {
  const where =
    place.on !== undefined ? `on host ${place.on}` : "on this machine";
  if (/sudo/.test(why))
    return `add a sudoers rule with NOPASSWD ${where} that lets the login user run commands as ${place.user ?? "that user"} (or log in as root)`;
  if (/working directory/.test(why))
    return `create the directory ${where}, or fix cwd=`;
  return place.user !== undefined
    ? `create the user ${place.user} ${where}, or fix user=`
    : "check the shell";
}
