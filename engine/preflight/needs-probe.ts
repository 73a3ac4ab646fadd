import { databaseEnv } from "../actions/index.js";
import { quoteIdentifier } from "../sql/index.js";
import type { PreflightContext, ReachedDatabase } from "./context.js";
import { runAt } from "./exec.js";
import { versionNumber } from "./program-probe.js";
import { readOnlyQuery, readOnlyValue } from "./read-only-query.js";
import { qualified, type TableName } from "./sql-needs.js";
import { needLabel, type Need, type StepNeeds } from "./step-needs.js";
import { placeKey, placeName } from "./types.js";

/** One need, judged: allowed, refused (why and what to do), or not knowable before the run. */
type Verdict =
  | { readonly state: "ok"; readonly label: string }
  | { readonly state: "refused"; readonly why: string; readonly fix: string }
  | { readonly state: "unknown"; readonly why: string };

/**
 * Asks the server whether the role of a step's `db=` may do what the step's
 * SQL and programs need (SPEC 3), one line per step and database: only
 * catalog reads, inside read-only transactions.
 */
export async function probeStepNeeds(
  ctx: PreflightContext,
  entry: StepNeeds,
): Promise<void> {
  const subject = `step ${entry.step} on ${entry.db}`;
  const db = ctx.databases.get(entry.db);
  const labels = entry.needs.map(needLabel);
  if (!db || db.state !== "reached") {
    ctx.emit({
      kind: "privileges",
      state: "skip",
      subject,
      why: `needs ${labels.join(", ")}; database ${entry.db} was not reached`,
      step: entry.step,
      at: entry.at,
    });
    return;
  }
  const verdicts: Verdict[] = [];
  for (const need of entry.needs) {
    try {
      verdicts.push(await judgeNeed(ctx, entry.db, db, need));
    } catch (error) {
      verdicts.push({
        state: "unknown",
        why: `${needLabel(need)}: could not ask the server (${(error as Error).message})`,
      });
    }
  }
  const refused = verdicts.filter(
    (v): v is Extract<Verdict, { state: "refused" }> => v.state === "refused",
  );
  const allowed = verdicts
    .filter((v): v is Extract<Verdict, { state: "ok" }> => v.state === "ok")
    .map((v) => v.label);
  const unknown = verdicts
    .filter(
      (v): v is Extract<Verdict, { state: "unknown" }> => v.state === "unknown",
    )
    .map((v) => v.why);
  const role = `role ${db.role.name}${db.role.superuser ? " (superuser)" : ""}`;
  if (refused.length > 0) {
    ctx.emit({
      kind: "privileges",
      state: "fail",
      subject,
      why: `${role}: ${refused.map((v) => v.why).join("; ")}`,
      fix: [...new Set(refused.map((v) => v.fix))].join("; "),
      step: entry.step,
      at: entry.at,
    });
  } else if (allowed.length === 0) {
    ctx.emit({
      kind: "privileges",
      state: "skip",
      subject,
      why: unknown.join("; "),
      step: entry.step,
      at: entry.at,
    });
  } else {
    ctx.emit({
      kind: "privileges",
      state: "pass",
      subject,
      why: `${role} may: ${allowed.join(", ")}${unknown.length > 0 ? `; not known before the run: ${unknown.join("; ")}` : ""}`,
      step: entry.step,
      at: entry.at,
    });
  }
}

async function judgeNeed(
  ctx: PreflightContext,
  dbName: string,
  db: ReachedDatabase,
  need: Need,
): Promise<Verdict> {
  const role = db.role;
  const su = role.superuser;
  const label = needLabel(need);
  const ok = (extra = ""): Verdict => ({
    state: "ok",
    label: `${label}${extra}`,
  });
  const client = () => ctx.connections.client(dbName);
  const asSuperuser = `as a superuser: ALTER ROLE ${ident(role.name)}`;
  switch (need.kind) {
    case "attribute": {
      const has =
        su || (need.attribute !== "superuser" && role[need.attribute]);
      if (has) return ok();
      const attr = need.attribute.toUpperCase();
      return {
        state: "refused",
        why: `${need.what} needs ${attr === "SUPERUSER" ? "a superuser" : `${attr} or a superuser`}, and ${role.name} has neither`,
        fix:
          attr === "SUPERUSER"
            ? `give database ${dbName} a superuser`
            : `${asSuperuser} ${attr}; or give database ${dbName} a role that has it`,
      };
    }
    case "grant-attributes": {
      if (su) return ok();
      const own = need.attributes.every((a) =>
        a === "REPLICATION" ? role.replication : false,
      );
      if (db.serverVersion >= 160000 && role.createrole && own) return ok();
      return {
        state: "refused",
        why: `${need.what} with ${need.attributes.join(", ")} needs a superuser${db.serverVersion >= 160000 ? ", or CREATEROLE and those attributes yourself" : " before PostgreSQL 16"}`,
        fix: `give database ${dbName} a superuser`,
      };
    }
    case "table-owner": {
      if (su) return ok();
      const owner = await readOnlyValue(
        await client(),
        "SELECT CASE WHEN pg_catalog.pg_has_role(c.relowner, 'USAGE') THEN '' ELSE pg_catalog.pg_get_userbyid(c.relowner) END FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(:'t')",
        { t: regclass(need.table) },
      );
      if (owner === undefined)
        return {
          state: "unknown",
          why: `${qualified(need.table)} does not exist yet`,
        };
      return owner === ""
        ? ok()
        : {
            state: "refused",
            why: `${need.what} needs to own ${qualified(need.table)}, which belongs to ${owner}`,
            fix: `run it as ${owner} (or a member of it), or as a superuser: ALTER TABLE ${qualified(need.table)} OWNER TO ${ident(role.name)}`,
          };
    }
    case "table-privilege": {
      if (su) return ok();
      const v = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.has_table_privilege(pg_catalog.to_regclass(:'t'), :'p') FROM (SELECT pg_catalog.to_regclass(:'t') AS t) x WHERE x.t IS NOT NULL",
        { t: regclass(need.table), p: need.privilege },
      );
      if (v === undefined)
        return {
          state: "unknown",
          why: `${qualified(need.table)} does not exist yet`,
        };
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what}: ${role.name} has no ${need.privilege} privilege on ${qualified(need.table)}`,
            fix: `as its owner: GRANT ${need.privilege} ON ${qualified(need.table)} TO ${ident(role.name)}`,
          };
    }
    case "schema-tables-owner": {
      if (su) return ok();
      const row = (
        await readOnlyQuery(
          await client(),
          "SELECT count(*), min(pg_catalog.format('%I.%I', schemaname, tablename)) FROM pg_catalog.pg_tables WHERE schemaname = :'s' AND NOT pg_catalog.pg_has_role(tableowner, 'USAGE')",
          { s: need.schema },
        )
      )[0];
      return row?.[0] === "0"
        ? ok()
        : {
            state: "refused",
            why: `${need.what}: ${row?.[0] ?? "?"} tables there belong to other roles (first: ${row?.[1] ?? "?"})`,
            fix: "run it as their owner or a superuser",
          };
    }
    case "schema-create": {
      if (su) return ok();
      const row = (
        await readOnlyQuery(
          await client(),
          need.schema !== undefined
            ? "SELECT :'s', pg_catalog.has_schema_privilege(n.oid, 'CREATE') FROM pg_catalog.pg_namespace n WHERE n.nspname = :'s'"
            : "SELECT pg_catalog.current_schema(), pg_catalog.has_schema_privilege(pg_catalog.current_schema(), 'CREATE') WHERE pg_catalog.current_schema() IS NOT NULL",
          need.schema !== undefined ? { s: need.schema } : {},
        )
      )[0];
      if (!row)
        return need.schema !== undefined
          ? {
              state: "unknown",
              why: `schema ${need.schema} does not exist yet`,
            }
          : {
              state: "refused",
              why: `${need.what}: no schema of the search_path exists in ${dbName}`,
              fix: "create the schema, or set search_path",
            };
      return row[1] === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what}: ${role.name} may not create in schema ${row[0] ?? "?"}`,
            fix: `as its owner: GRANT CREATE ON SCHEMA ${ident(row[0] ?? "public")} TO ${ident(role.name)}`,
          };
    }
    case "database-create": {
      if (su || db.standIn) return ok();
      const v = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')",
      );
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what} needs the CREATE privilege on the database`,
            fix: `as its owner: GRANT CREATE ON DATABASE … TO ${ident(role.name)}`,
          };
    }
    case "database-owner": {
      if (su) return ok();
      const owner = await readOnlyValue(
        await client(),
        "SELECT CASE WHEN pg_catalog.pg_has_role(datdba, 'USAGE') THEN '' ELSE pg_catalog.pg_get_userbyid(datdba) END FROM pg_catalog.pg_database WHERE datname = :'d'",
        { d: need.database },
      );
      if (owner === undefined)
        return {
          state: "unknown",
          why: `database ${need.database} does not exist yet`,
        };
      return owner === ""
        ? ok()
        : {
            state: "refused",
            why: `${need.what} needs to own database ${need.database}, which belongs to ${owner}`,
            fix: `run it as ${owner} or a superuser`,
          };
    }
    case "role-member": {
      if (su) return ok();
      const v = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.pg_has_role(:'r', 'MEMBER') FROM pg_catalog.pg_roles WHERE rolname = :'r'",
        { r: need.role },
      );
      if (v === undefined)
        return {
          state: "unknown",
          why: `role ${need.role} does not exist yet`,
        };
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what}: ${role.name} is not a member of ${need.role}`,
            fix: `as a superuser: GRANT ${ident(need.role)} TO ${ident(role.name)}`,
          };
    }
    case "functions": {
      if (su) return ok();
      const denied = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.string_agg(proname, ', ') FROM (SELECT p.proname FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (pg_catalog.string_to_array(:'f', ',')) GROUP BY p.proname HAVING NOT bool_or(pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))) x",
        { f: need.names.join(",") },
      );
      return !denied
        ? ok()
        : {
            state: "refused",
            why: `${role.name} may not execute ${denied}`,
            fix: `as a superuser: GRANT EXECUTE ON FUNCTION … TO ${ident(role.name)}, or connect as a superuser`,
          };
    }
    case "extension": {
      const row = (
        await readOnlyQuery(
          await client(),
          `SELECT (SELECT count(*) FROM pg_catalog.pg_available_extensions WHERE name = :'e'),
        ${db.serverVersion >= 130000 ? "(SELECT bool_or(trusted) FROM pg_catalog.pg_available_extension_versions WHERE name = :'e')" : "false"}`,
          { e: need.name },
        )
      )[0];
      if (row?.[0] === "0")
        return {
          state: "refused",
          why: `extension ${need.name} is not installed on the server (PostgreSQL ${db.serverVersionText})`,
          fix: `install its package on the database server (contrib, or e.g. postgresql-${Math.floor(db.serverVersion / 10000)}-${need.name.replace(/_/g, "-")})`,
        };
      if (su || row?.[1] === "t") return ok();
      return {
        state: "refused",
        why: `${need.what}: ${need.name} is not a trusted extension, so it needs a superuser`,
        fix: `create it as a superuser first (CREATE EXTENSION ${need.name})`,
      };
    }
    case "subscription": {
      if (su) return ok();
      if (db.serverVersion < 160000)
        return {
          state: "refused",
          why: `${need.what} needs a superuser before PostgreSQL 16`,
          fix: `give database ${dbName} a superuser`,
        };
      const v = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.pg_has_role('pg_create_subscription', 'MEMBER') AND pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')",
      );
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what} needs membership in pg_create_subscription and CREATE on the database`,
            fix: `as a superuser: GRANT pg_create_subscription TO ${ident(role.name)}`,
          };
    }
    case "alter-system": {
      if (su) return ok();
      if (db.serverVersion < 150000)
        return {
          state: "refused",
          why: `${need.what} needs a superuser`,
          fix: `give database ${dbName} a superuser`,
        };
      const v = await readOnlyValue(
        await client(),
        "SELECT pg_catalog.has_parameter_privilege(:'p', 'ALTER SYSTEM')",
        { p: need.parameter },
      );
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what}: ${role.name} may not ALTER SYSTEM ${need.parameter}`,
            fix: `as a superuser: GRANT ALTER SYSTEM ON PARAMETER ${need.parameter} TO ${ident(role.name)}`,
          };
    }
    case "server-files": {
      if (su) return ok();
      const group =
        need.direction === "read"
          ? "pg_read_server_files"
          : "pg_write_server_files";
      const v = await readOnlyValue(
        await client(),
        `SELECT pg_catalog.pg_has_role('${group}', 'MEMBER')`,
      );
      return v === "t"
        ? ok()
        : {
            state: "refused",
            why: `${need.what} needs a superuser or ${group}`,
            fix: `as a superuser: GRANT ${group} TO ${ident(role.name)}`,
          };
    }
    case "read-all-tables": {
      if (su) return ok();
      const row = (
        await readOnlyQuery(
          await client(),
          `SELECT count(*), min(pg_catalog.format('%I.%I', n.nspname, c.relname)) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'S', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
          AND NOT pg_catalog.has_table_privilege(c.oid, 'SELECT')`,
        )
      )[0];
      return row?.[0] === "0"
        ? ok()
        : {
            state: "refused",
            why: `pg_dump would stop at permission denied: ${role.name} cannot read ${row?.[0] ?? "?"} tables or sequences (first: ${row?.[1] ?? "?"})`,
            fix: `GRANT pg_read_all_data TO ${ident(role.name)} (PostgreSQL 14+), or dump as the owner or a superuser`,
          };
    }
    case "client-version":
      return clientVersion(ctx, db, need);
    case "replication-connection":
      return replicationConnection(ctx, db, need);
  }
}

function clientVersion(
  ctx: PreflightContext,
  db: ReachedDatabase,
  need: Extract<Need, { kind: "client-version" }>,
): Verdict {
  const place = ctx.places.get(placeKey(need.place));
  const line = place?.versions.get(need.program);
  const client = line ? versionNumber(line) : undefined;
  const serverMajor = Math.floor(db.serverVersion / 10000);
  if (!client)
    return {
      state: "unknown",
      why: `the version of ${need.program} on ${placeName(need.place)} is not known (${place?.why ?? "not found there"})`,
    };
  const clientMajor = Number(client.split(".")[0]);
  if (clientMajor >= serverMajor)
    return {
      state: "ok",
      label: `${need.program} ${client} ≥ server ${serverMajor}`,
    };
  return {
    state: "refused",
    why: `${need.program} ${client} on ${placeName(need.place)} is older than the server (PostgreSQL ${db.serverVersionText}): it refuses a newer server`,
    fix: `install the PostgreSQL ${serverMajor} client tools on ${placeName(need.place)} (Debian/Ubuntu: postgresql-client-${serverMajor}) and put them first on PATH`,
  };
}

async function replicationConnection(
  ctx: PreflightContext,
  db: ReachedDatabase,
  need: Extract<Need, { kind: "replication-connection" }>,
): Promise<Verdict> {
  if (!db.role.superuser && !db.role.replication) {
    return {
      state: "refused",
      why: `${need.program} needs a role with REPLICATION, and ${db.role.name} has not`,
      fix: `as a superuser: ALTER ROLE ${ident(db.role.name)} REPLICATION`,
    };
  }
  const place = ctx.places.get(placeKey(need.place));
  if (place && !place.reached)
    return {
      state: "unknown",
      why: `a replication connection from ${placeName(need.place)} (${place.why ?? "not reached"})`,
    };
  const env = databaseEnv(db.url);
  const r = await runAt({
    shell: "sh",
    script:
      'cd / 2>/dev/null || true\ncommand -v psql >/dev/null 2>&1 || exit 127\nexec psql -X -w -A -t -d "replication=true" -c IDENTIFY_SYSTEM\n',
    place: need.place,
    ...(need.place.on !== undefined
      ? { target: ctx.hosts.get(need.place.on) ?? need.place.on }
      : {}),
    env: ctx.env(env),
    remoteVars: { ...env, PGCONNECT_TIMEOUT: "10" },
    cwd: ctx.options.cwd,
    timeoutMs: 30_000,
    secrets: ctx.secrets,
    signal: ctx.options.signal,
    isRoot: ctx.options.isRoot,
  });
  if (r.exitCode === 0)
    return {
      state: "ok",
      label: `a replication connection from ${placeName(need.place)} (${need.program})`,
    };
  if (r.exitCode === 127)
    return {
      state: "unknown",
      why: `a replication connection from ${placeName(need.place)} (no psql there to try one)`,
    };
  const why =
    r.stderr.split("\n").filter(Boolean).at(-1) ?? `exit ${r.exitCode ?? "?"}`;
  return {
    state: "refused",
    why: `${need.program}: a replication connection from ${placeName(need.place)} was refused: ${why.replace(/^psql: error: /, "")}`,
    fix: /pg_hba|no pg_hba.conf entry/.test(why)
      ? `add a "host replication ${db.role.name} <this address> scram-sha-256" line to pg_hba.conf on the server and reload it`
      : "check max_wal_senders, pg_hba.conf (the replication keyword) and the password",
  };
}

/** A name as SQL text: bare when it can be, else quoted. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

/** A table name as to_regclass reads it: each part quoted, so case and odd characters survive. */
function regclass(table: TableName): string {
  return table.schema !== undefined
    ? `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`
    : quoteIdentifier(table.name);
}
