import { interpolate } from "../model/index.js";
import type { Database } from "../model/index.js";
import { maskUrl } from "../params/index.js";
import { postgresAdvice } from "./advice.js";
import type { PreflightContext, RoleInfo } from "./context.js";
import { pgpassPassword } from "./pgpass.js";
import { readOnlyQuery, readOnlyValue } from "./read-only-query.js";
import { urlParts, withDatabase } from "./runbook-facts.js";
import type { Made, Restore } from "./step-needs.js";

/** What the runbook's text says about a database before any probe. */
export interface DatabaseFacts {
  /** Index (in execution order) of the first step that uses it, if any. */
  readonly firstUse?: number;
  readonly made: readonly Made[];
  readonly restores: readonly Restore[];
  /** Capture name → the step that captures it. */
  readonly captures: ReadonlyMap<string, string>;
}

const ROLE_QUERY = `SELECT r.rolname, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication,
       current_setting('server_version_num'), current_setting('server_version')
  FROM pg_catalog.pg_roles r WHERE r.rolname = current_user`;

/**
 * Connects to a database as a step would (SPEC 3: authentication, server
 * version, the role's attributes). A database, role or password that an
 * earlier step creates cannot be proved before the run: the database is
 * then checked on its server's `postgres` database (it must not exist yet),
 * and a role that does not exist yet is reported as skipped, with the step.
 */
export async function probeDatabase(
  ctx: PreflightContext,
  db: Database,
  facts: DatabaseFacts,
): Promise<void> {
  const subject = `database ${db.name}`;
  const resolved = interpolate(db.url, ctx.lookup);
  if (resolved.missing.length > 0) {
    const captured = resolved.missing
      .map((n) => [n, facts.captures.get(n)] as const)
      .filter(([, s]) => s !== undefined);
    const why =
      captured.length > 0
        ? `its URL names ${captured.map(([n, s]) => `\${${n}} (captured by step ${s})`).join(", ")}: resolved during the run`
        : `its URL names ${resolved.missing.map((n) => `\${${n}}`).join(", ")}, which nothing defines`;
    unreached(ctx, db, {
      state: captured.length > 0 ? "skip" : "fail",
      why,
      ...(captured.length > 0
        ? {}
        : { fix: "define it as a param or set it in the environment" }),
    });
    return;
  }
  const url = resolved.text;
  const parts = urlParts(url);
  const password = parts ? passwordOf(url) : undefined;
  if (password) ctx.addSecret(password);
  if (!parts) {
    unreached(ctx, db, {
      state: "fail",
      why: `its URL is not a URL: ${maskUrl(url)}`,
      fix: "write it as postgres://user@host:port/database",
    });
    return;
  }
  const shown = maskUrl(url);
  const before = (m: { stepIndex: number }): boolean =>
    facts.firstUse === undefined || m.stepIndex <= facts.firstUse;
  const createdBy = facts.made.find(
    (m) =>
      m.creation.kind === "database" &&
      m.creation.name === parts.database &&
      before(m),
  );
  const roleBy = facts.made.find(
    (m) =>
      (m.creation.kind === "role" || m.creation.kind === "password") &&
      m.creation.name === parts.user &&
      before(m),
  );
  if (roleBy) {
    const how =
      roleBy.creation.kind === "role"
        ? "is created"
        : "gets the password of this URL";
    unreached(ctx, db, {
      state: "skip",
      why: `role ${parts.user} ${how} by step ${roleBy.step}: its login is proved during the run (${shown})`,
    });
    return;
  }
  const user =
    parts.user || ctx.options.env["PGUSER"] || ctx.options.env["USER"] || "";
  const connectTo = createdBy ? withDatabase(url, "postgres") : url;
  ctx.useDatabase(
    db.name,
    password || user === "" ? connectTo : withPgpass(ctx, connectTo, user),
    shown,
  );
  let role: RoleInfo;
  let version: number;
  let versionText: string;
  try {
    const client = await ctx.connections.client(db.name);
    const row = (await readOnlyQuery(client, ROLE_QUERY))[0] ?? [];
    role = {
      name: row[0] ?? user,
      superuser: row[1] === "t",
      createdb: row[2] === "t",
      createrole: row[3] === "t",
      replication: row[4] === "t",
    };
    version = Number(row[5] ?? 0);
    versionText = row[6] ?? "";
    if (createdBy) {
      const exists = await readOnlyValue(
        client,
        "SELECT 1 FROM pg_catalog.pg_database WHERE datname = :'d'",
        { d: parts.database },
      );
      if (exists !== undefined) {
        unreached(ctx, db, {
          state: "fail",
          why: `database ${parts.database} already exists on ${parts.host}:${parts.port}, but step ${createdBy.step} creates it: CREATE DATABASE would fail`,
          fix: "if an earlier attempt left it, make sure it holds nothing you need and drop it; or choose another name",
        });
        return;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    const restore = facts.restores.find(before);
    if (
      restore &&
      (code === "3D000" ||
        code === "28P01" ||
        (code === "28000" &&
          /role .* does not exist/.test(String((error as Error).message))))
    ) {
      unreached(ctx, db, {
        state: "skip",
        why: `${code === "3D000" ? `database ${parts.database}` : `role ${parts.user}`} does not exist yet here: step ${restore.step} restores a dump, which creates it (${shown})`,
      });
      return;
    }
    const advice = postgresAdvice(error, {
      user,
      host: parts.host,
      port: parts.port,
      database: parts.database,
    });
    unreached(ctx, db, {
      state: "fail",
      why: `${shown}: ${advice.why}`,
      fix: advice.fix,
    });
    return;
  }
  ctx.databases.set(db.name, {
    state: "reached",
    standIn: createdBy !== undefined,
    url,
    serverVersion: version,
    serverVersionText: versionText,
    role,
  });
  const attrs = roleAttributes(role);
  const server = `PostgreSQL ${versionText.split(" ")[0] ?? version}, role ${role.name}${attrs ? ` (${attrs})` : ""}`;
  ctx.emit({
    kind: "database",
    state: "pass",
    subject,
    why: createdBy
      ? `${parts.host}:${parts.port} answers: ${server}; database ${parts.database} does not exist yet, step ${createdBy.step} creates it`
      : `${shown}: ${server}`,
    at: db.at,
  });
}

function unreached(
  ctx: PreflightContext,
  db: Database,
  o: { state: "skip" | "fail"; why: string; fix?: string },
): void {
  ctx.databases.set(db.name, { state: "unreached", why: o.why });
  ctx.emit({
    kind: "database",
    state: o.state,
    subject: `database ${db.name}`,
    why: o.why,
    ...(o.fix !== undefined ? { fix: o.fix } : {}),
    at: db.at,
  });
}

/** `superuser`, `createdb, replication`, or ''. */
export function roleAttributes(role: RoleInfo): string {
  if (role.superuser) return "superuser";
  return [
    role.createdb ? "createdb" : "",
    role.createrole ? "createrole" : "",
    role.replication ? "replication" : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** A URL without a password, with the one of the password file (see pgpassPassword), if any. */
function withPgpass(ctx: PreflightContext, url: string, user: string): string {
  const parts = urlParts(url);
  const found = parts
    ? pgpassPassword({ ...parts, user }, ctx.options.env)
    : undefined;
  if (found === undefined) return url;
  ctx.addSecret(found);
  const u = new URL(url);
  u.username ||= encodeURIComponent(user);
  u.password = encodeURIComponent(found);
  return u.toString();
}

function passwordOf(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}
