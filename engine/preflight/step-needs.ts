import type { Runbook, SourceLocation } from "../model/index.js";
import { isCodeAction } from "../model/index.js";
import {
  blockStatements,
  databaseOf,
  runsLive,
  stepsInOrder,
} from "./runbook-facts.js";
import {
  REPLICATION_CLIENTS,
  SERVER_VERSION_CLIENTS,
  shellPrograms,
} from "./shell-programs.js";
import { analyzeStatement, type Creation, type SqlNeed } from "./sql-needs.js";
import type { Place } from "./types.js";

/** What a program a shell block calls with `db=` asks of that database's role and server. */
export type ProgramNeed =
  /** pg_dump, pg_dumpall, pg_basebackup: the client's major version must not be older than the server's. */
  | {
      readonly kind: "client-version";
      readonly program: string;
      readonly place: Place;
      readonly what: string;
    }
  /** pg_basebackup, pg_receivewal: a replication connection from where the block runs. */
  | {
      readonly kind: "replication-connection";
      readonly program: string;
      readonly place: Place;
      readonly what: string;
    }
  /** pg_dump: SELECT on every table and sequence. */
  | { readonly kind: "read-all-tables"; readonly what: string };

export type Need = SqlNeed | ProgramNeed;

/** The needs of one step on one database. */
export interface StepNeeds {
  readonly step: string;
  readonly stepIndex: number;
  readonly db: string;
  readonly at: SourceLocation;
  readonly needs: readonly Need[];
}

/** Something the runbook creates, and the step that does. */
export interface Made {
  readonly stepIndex: number;
  readonly step: string;
  readonly creation: Creation;
}

/** A step whose shell blocks restore a dump (pg_restore, or psql fed what pg_dump/pg_dumpall wrote): it may create databases and roles. */
export interface Restore {
  readonly stepIndex: number;
  readonly step: string;
}

export interface RunbookNeeds {
  readonly needs: readonly StepNeeds[];
  readonly made: readonly Made[];
  readonly restores: readonly Restore[];
}

/**
 * Reads what every live step asks of the databases' roles (from its SQL,
 * with the real parser, and from the PostgreSQL programs its shell blocks
 * call with `db=`) and what it creates. A need on an object that an earlier
 * step creates is not asked of the server: it does not exist yet.
 */
export function runbookNeeds(
  runbook: Runbook,
  known: ReadonlyMap<string, string>,
): RunbookNeeds {
  const made: Made[] = [];
  const restores: Restore[] = [];
  const out: StepNeeds[] = [];
  let dumpSeen = false;
  for (const [stepIndex, step] of stepsInOrder(runbook).entries()) {
    const byDb = new Map<string, { needs: Need[]; at: SourceLocation }>();
    const add = (
      db: string,
      at: SourceLocation,
      needs: readonly Need[],
    ): void => {
      const entry = byDb.get(db) ?? { needs: [], at };
      entry.needs.push(...needs);
      byDb.set(db, entry);
    };
    const stepMade: Creation[] = [];
    for (const action of step.actions) {
      if (!isCodeAction(action) || !runsLive(action)) continue;
      const db = databaseOf(runbook, action);
      if (action.kind === "sql" || action.kind === "psql") {
        for (const statement of blockStatements(action, known)) {
          const analysis = analyzeStatement(
            statement.tree,
            statement.namesKnown,
          );
          if (db !== undefined)
            add(
              db,
              action.at,
              analysis.needs.filter(
                (n) =>
                  !madeBefore(n, [...made.map((m) => m.creation), ...stepMade]),
              ),
            );
          stepMade.push(...analysis.creates);
        }
      } else if (action.kind === "sh") {
        const place: Place = {
          ...(action.options.on !== undefined ? { on: action.options.on } : {}),
          ...(action.options.user !== undefined
            ? { user: action.options.user }
            : {}),
        };
        const programs = shellPrograms(action.code);
        const names = new Set(
          programs.map((p) => p.name.split("/").pop() ?? p.name),
        );
        if (names.has("pg_dump") || names.has("pg_dumpall")) dumpSeen = true;
        if (
          names.has("pg_restore") ||
          (dumpSeen &&
            names.has("psql") &&
            /(?:\|\s*psql\b|\bpsql\b[^\n]*\s(?:-f|--file)[\s=])/.test(
              action.code,
            ))
        )
          restores.push({ stepIndex, step: step.id });
        for (const p of programs) {
          const name = p.name.split("/").pop() ?? p.name;
          if (name === "createdb") {
            for (const args of p.calls) {
              const target = shellValue(
                args.find((a) => !a.startsWith("-")),
                known,
              );
              if (target !== undefined)
                stepMade.push({ kind: "database", name: target });
            }
          }
          if (db === undefined) continue;
          const needs: Need[] = [];
          if (SERVER_VERSION_CLIENTS.has(name))
            needs.push({
              kind: "client-version",
              program: p.name,
              place,
              what: `${name} (needs a client no older than the server)`,
            });
          if (REPLICATION_CLIENTS.has(name))
            needs.push({
              kind: "replication-connection",
              program: p.name,
              place,
              what: `${name} (a replication connection)`,
            });
          if (name === "pg_dump")
            needs.push({
              kind: "read-all-tables",
              what: "pg_dump (reads every table)",
            });
          if (
            name === "pg_dumpall" &&
            !p.calls.every((args) => args.includes("--no-role-passwords"))
          )
            needs.push({
              kind: "attribute",
              attribute: "superuser",
              what: "pg_dumpall (reads pg_authid for the passwords)",
            });
          if (needs.length > 0) add(db, action.at, needs);
        }
      }
    }
    for (const creation of stepMade)
      made.push({ stepIndex, step: step.id, creation });
    for (const [db, { needs, at }] of byDb)
      if (needs.length > 0)
        out.push({ step: step.id, stepIndex, db, at, needs: dedupe(needs) });
  }
  return { needs: out, made, restores };
}

/** A word of a shell command as it will be: as written, or a known variable (`"$app_db"`); undefined when only the run knows it. */
function shellValue(
  word: string | undefined,
  known: ReadonlyMap<string, string>,
): string | undefined {
  if (word === undefined) return undefined;
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word);
  if (variable) return known.get(variable[1] ?? "");
  return /[$`]/.test(word) ? undefined : word;
}

function madeBefore(need: Need, made: readonly Creation[]): boolean {
  const tables = (t: { schema?: string; name: string }): boolean =>
    made.some(
      (m) =>
        m.kind === "table" &&
        m.table.name === t.name &&
        (t.schema === undefined ||
          m.table.schema === undefined ||
          t.schema === m.table.schema),
    );
  switch (need.kind) {
    case "table-owner":
    case "table-privilege":
      return tables(need.table);
    case "database-owner":
      return made.some(
        (m) => m.kind === "database" && m.name === need.database,
      );
    case "role-member":
      return made.some((m) => m.kind === "role" && m.name === need.role);
    case "schema-create":
      return (
        need.schema !== undefined &&
        made.some((m) => m.kind === "schema" && m.name === need.schema)
      );
    default:
      return false;
  }
}

function dedupe(needs: readonly Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((n) => {
    const key = JSON.stringify(n);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A need, in a few words, for messages. */
export function needLabel(need: Need): string {
  switch (need.kind) {
    case "table-owner":
      return `${need.what} (as its owner)`;
    default:
      return need.what;
  }
}
