import { delimiter } from "node:path";
import {
  diagnostic,
  invalidRunbook,
  isCodeAction,
  type Diagnostic,
  type Runbook,
  type SourceLocation,
} from "../engine/model/index.js";
import { shellPrograms } from "../engine/preflight/index.js";
import { which } from "../engine/sandbox/which.js";

/** PostgreSQL's client programs: a machine may have the server without them, or them without the server. */
const CLIENT_TOOLS = new Set([
  "psql",
  "pg_dump",
  "pg_dumpall",
  "pg_restore",
  "pg_basebackup",
  "pg_isready",
  "pg_receivewal",
  "pg_recvlogical",
  "pg_verifybackup",
  "pg_amcheck",
  "pgbench",
  "createdb",
  "dropdb",
  "createuser",
  "dropuser",
  "vacuumdb",
  "reindexdb",
  "clusterdb",
]);

/** A block that installs packages: the tools may be there by the time a later step needs them. */
const INSTALLS =
  /\b(?:apt-get|apt|yum|dnf|zypper|apk|brew)\b[^\n]*\b(?:install|add)\b/;

export interface ClientToolsOptions {
  /** `live` runs `only=live` blocks, `rehearsal` the `only=rehearsal` ones. */
  readonly mode: "live" | "rehearsal";
  /** The PATH steps will get (the sandbox's bin directory first in a rehearsal). */
  readonly path: string | undefined;
}

/**
 * Before anything runs: every PostgreSQL client program (`psql`, `pg_dump`,
 * …) that a step on this machine calls, or that a ```psql block or a seed
 * needs, is on the PATH the steps get. A machine with the server but not the
 * clients (or neither) is told which program is missing and where the
 * runbook calls it, instead of a step failing halfway with "not found".
 * Steps on another host (`on=`) are preflight's to check; a runbook that
 * installs packages itself is trusted to install them.
 *
 * @throws {RunbookError} `RUNBOOK_INVALID` (exit 2), one diagnostic per missing program
 */
export async function assertClientTools(
  runbook: Runbook,
  options: ClientToolsOptions,
): Promise<void> {
  const calls = new Map<string, SourceLocation>();
  const note = (name: string, at: SourceLocation): void => {
    const base = name.split("/").pop() ?? name;
    if (CLIENT_TOOLS.has(base) && !name.includes("/") && !calls.has(base))
      calls.set(base, at);
  };
  const skip = options.mode === "live" ? "rehearsal" : "live";
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      if (
        !isCodeAction(action) ||
        action.options.on !== undefined ||
        action.options.only === skip ||
        action.attributes["run"] === "false"
      )
        continue;
      if (INSTALLS.test(action.code)) return;
      if (action.kind === "psql") note("psql", action.at);
      else if (action.kind === "sh")
        for (const p of shellPrograms(action.code)) note(p.name, action.at);
      else if (action.kind === "console")
        for (const c of action.commands)
          for (const p of shellPrograms(c.command)) note(p.name, c.at);
    }
    for (const check of step.checks) {
      if (check.kind === "sh" && check.on === undefined && check.only !== skip)
        for (const p of shellPrograms(check.code)) note(p.name, check.at);
    }
  }
  if (options.mode === "rehearsal")
    for (const db of runbook.databases)
      if (db.sandbox?.seed) note("psql", db.at);
  const env = { PATH: options.path };
  const missing: Diagnostic[] = [];
  for (const [name, at] of calls) {
    if ((await which(name, env)) !== undefined) continue;
    const why = db(runbook, at)
      ? `a seed is loaded with ${name}`
      : `the runbook calls ${name} here`;
    missing.push(
      diagnostic(
        at,
        "error",
        "missing-program",
        `${why}, and ${name} is not installed on this machine (PATH: ${options.path || "empty"}): install PostgreSQL's client tools (apt-get install postgresql-client, brew install libpq) or put ${name} on PATH`,
      ),
    );
  }
  if (missing.length > 0) {
    const names = missing
      .map((d) => /and (\S+) is not installed/.exec(d.message)?.[1] ?? "")
      .join(", ");
    throw invalidRunbook(
      `nothing ran: ${names} ${missing.length === 1 ? "is" : "are"} not installed on this machine`,
      missing,
    );
  }
}

function db(runbook: Runbook, at: SourceLocation): boolean {
  return runbook.databases.some((d) => d.at === at);
}

/** The PATH of a step: the sandbox's bin directory first (SPEC 1.1). */
export function stepPath(
  binDir: string | undefined,
  path: string | undefined,
): string | undefined {
  return (
    [binDir, path].filter((p) => p !== undefined && p !== "").join(delimiter) ||
    undefined
  );
}
