import { changesSomething } from "../sql/index.js";
import { describe } from "./only-reads.js";
import {
  booleanValue,
  defElems,
  functionName,
  isNode,
  relationName,
  roleSpecName,
  statementBody,
  statementType,
  stringList,
  stringValue,
  visitNodes,
  type Node,
} from "../sql/index.js";

/** A table as written: schema (when given) and name. */
export interface TableName {
  readonly schema?: string;
  readonly name: string;
}

/** A role attribute PostgreSQL checks before it runs a statement. */
export type RoleAttribute =
  "createdb" | "createrole" | "replication" | "superuser";

/**
 * Something the role of a `db=` connection must be allowed for a statement
 * of a step to run, read from the statement's parse tree. `what` names the
 * statement for messages (`CREATE DATABASE shop`).
 */
export type SqlNeed =
  | {
      readonly kind: "attribute";
      readonly attribute: RoleAttribute;
      readonly what: string;
    }
  /** `CREATE ROLE … REPLICATION`: a superuser before PostgreSQL 16, then CREATEROLE and the attribute itself. */
  | {
      readonly kind: "grant-attributes";
      readonly attributes: readonly string[];
      readonly what: string;
    }
  | {
      readonly kind: "table-owner";
      readonly table: TableName;
      readonly what: string;
    }
  | {
      readonly kind: "table-privilege";
      readonly table: TableName;
      readonly privilege:
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE";
      readonly what: string;
    }
  | {
      readonly kind: "schema-tables-owner";
      readonly schema: string;
      readonly what: string;
    }
  | {
      readonly kind: "schema-create";
      readonly schema?: string;
      readonly what: string;
    }
  | { readonly kind: "database-create"; readonly what: string }
  | {
      readonly kind: "database-owner";
      readonly database: string;
      readonly what: string;
    }
  | {
      readonly kind: "role-member";
      readonly role: string;
      readonly what: string;
    }
  | {
      readonly kind: "functions";
      readonly names: readonly string[];
      readonly what: string;
    }
  | { readonly kind: "extension"; readonly name: string; readonly what: string }
  | { readonly kind: "subscription"; readonly what: string }
  | {
      readonly kind: "alter-system";
      readonly parameter: string;
      readonly what: string;
    }
  | {
      readonly kind: "server-files";
      readonly direction: "read" | "write";
      readonly what: string;
    };

/** Something a statement creates, so that later steps' needs on it are not asked of the server before it exists. */
export type Creation =
  | { readonly kind: "database"; readonly name: string }
  | { readonly kind: "role"; readonly name: string }
  /** `ALTER ROLE … PASSWORD`: a connection as this role uses the new password from then on. */
  | { readonly kind: "password"; readonly name: string }
  | { readonly kind: "table"; readonly table: TableName }
  | { readonly kind: "schema"; readonly name: string }
  | { readonly kind: "extension"; readonly name: string };

export interface StatementAnalysis {
  readonly needs: readonly SqlNeed[];
  readonly creates: readonly Creation[];
}

const ROLE_ATTRIBUTE_OPTIONS: Record<string, string> = {
  superuser: "SUPERUSER",
  isreplication: "REPLICATION",
  bypassrls: "BYPASSRLS",
};

/**
 * What the role must be allowed to run one statement, and what the statement
 * creates. `namesKnown` is false when the statement's psql variables could
 * not be filled in before the run (a captured value): the parser then sees
 * placeholders, and nothing is said about the names it holds.
 */
export function analyzeStatement(
  tree: unknown,
  namesKnown: boolean,
): StatementAnalysis {
  const type = statementType(tree);
  const body = statementBody(tree);
  const needs: SqlNeed[] = [];
  const creates: Creation[] = [];
  const what = (name?: string): string =>
    `${describe(type)}${name !== undefined && namesKnown ? ` ${name}` : ""}`;
  const name = (value: unknown): string | undefined =>
    namesKnown ? stringValue(value) : undefined;

  switch (type) {
    case "CreatedbStmt": {
      const db = name(body["dbname"]);
      needs.push({ kind: "attribute", attribute: "createdb", what: what(db) });
      const owner = name(defElems(body["options"]).get("owner"));
      if (owner !== undefined)
        needs.push({
          kind: "role-member",
          role: owner,
          what: `${what(db)} OWNER ${owner}`,
        });
      if (db !== undefined) creates.push({ kind: "database", name: db });
      break;
    }
    case "DropdbStmt":
    case "AlterDatabaseStmt":
    case "AlterDatabaseSetStmt": {
      const db = name(body["dbname"]);
      if (db !== undefined)
        needs.push({ kind: "database-owner", database: db, what: what(db) });
      break;
    }
    case "CreateRoleStmt": {
      const role = name(body["role"]);
      const options = defElems(body["options"]);
      const special = [...options]
        .filter(
          ([k, v]) =>
            ROLE_ATTRIBUTE_OPTIONS[k] !== undefined && booleanValue(v),
        )
        .map(([k]) => ROLE_ATTRIBUTE_OPTIONS[k] ?? k);
      needs.push(
        special.length > 0
          ? { kind: "grant-attributes", attributes: special, what: what(role) }
          : { kind: "attribute", attribute: "createrole", what: what(role) },
      );
      if (role !== undefined) creates.push({ kind: "role", name: role });
      break;
    }
    case "AlterRoleStmt": {
      const role = namesKnown ? roleSpecName(body["role"]) : undefined;
      const options = defElems(body["options"]);
      const self = role === "CURRENT_USER" || role === "SESSION_USER";
      const special = [...options]
        .filter(
          ([k, v]) =>
            ROLE_ATTRIBUTE_OPTIONS[k] !== undefined && booleanValue(v),
        )
        .map(([k]) => ROLE_ATTRIBUTE_OPTIONS[k] ?? k);
      if (special.length > 0)
        needs.push({
          kind: "grant-attributes",
          attributes: special,
          what: what(role),
        });
      else if (!(self && [...options.keys()].every((k) => k === "password")))
        needs.push({
          kind: "attribute",
          attribute: "createrole",
          what: what(role),
        });
      if (role !== undefined && !self && options.has("password"))
        creates.push({ kind: "password", name: role });
      break;
    }
    case "DropRoleStmt":
    case "GrantRoleStmt":
    case "AlterRoleSetStmt":
      needs.push({ kind: "attribute", attribute: "createrole", what: what() });
      break;
    case "CreateStmt":
    case "CreateTableAsStmt": {
      const relation = relationName(
        type === "CreateStmt"
          ? body["relation"]
          : isNode(body["into"])
            ? body["into"]["rel"]
            : undefined,
      );
      if (relation && namesKnown) {
        needs.push({
          kind: "schema-create",
          ...(relation.schema !== undefined ? { schema: relation.schema } : {}),
          what: what(qualified(relation)),
        });
        creates.push({ kind: "table", table: relation });
      } else {
        needs.push({ kind: "schema-create", what: what() });
      }
      if (type === "CreateTableAsStmt")
        needs.push(...readNeeds(tree, namesKnown));
      break;
    }
    case "CreateSchemaStmt": {
      needs.push({
        kind: "database-create",
        what: what(name(body["schemaname"])),
      });
      const schema = name(body["schemaname"]);
      if (schema !== undefined) creates.push({ kind: "schema", name: schema });
      break;
    }
    case "CreateExtensionStmt": {
      const ext = name(body["extname"]);
      if (ext !== undefined) {
        needs.push({ kind: "extension", name: ext, what: what(ext) });
        creates.push({ kind: "extension", name: ext });
      }
      break;
    }
    case "CreatePublicationStmt":
      if (body["for_all_tables"] === true)
        needs.push({
          kind: "attribute",
          attribute: "superuser",
          what: `${what(name(body["pubname"]))} FOR ALL TABLES`,
        });
      else
        needs.push({
          kind: "database-create",
          what: what(name(body["pubname"])),
        });
      break;
    case "CreateSubscriptionStmt":
      needs.push({ kind: "subscription", what: what(name(body["subname"])) });
      break;
    case "AlterSystemStmt": {
      const setting = isNode(body["setstmt"])
        ? body["setstmt"]["name"]
        : undefined;
      needs.push({
        kind: "alter-system",
        parameter: typeof setting === "string" ? setting : "",
        what: `ALTER SYSTEM${typeof setting === "string" ? ` SET ${setting}` : ""}`,
      });
      break;
    }
    case "CheckPointStmt":
      needs.push({
        kind: "attribute",
        attribute: "superuser",
        what: "CHECKPOINT",
      });
      break;
    case "AlterTableStmt":
    case "IndexStmt":
    case "RuleStmt":
    case "CreateTrigStmt": {
      const relation = relationName(body["relation"]);
      if (relation && namesKnown)
        needs.push({
          kind: "table-owner",
          table: relation,
          what: `${what()} on ${qualified(relation)}`,
        });
      break;
    }
    case "DropStmt":
      if (body["removeType"] === "OBJECT_TABLE" && namesKnown) {
        for (const object of Array.isArray(body["objects"])
          ? body["objects"]
          : []) {
          const parts =
            isNode(object) && isNode(object["List"])
              ? stringList(object["List"]["items"])
              : [];
          const table =
            parts.length > 1
              ? {
                  schema: parts[parts.length - 2] ?? "",
                  name: parts[parts.length - 1] ?? "",
                }
              : parts[0] !== undefined
                ? { name: parts[0] }
                : undefined;
          if (table)
            needs.push({
              kind: "table-owner",
              table,
              what: `DROP TABLE ${qualified(table)}`,
            });
        }
      }
      break;
    case "TruncateStmt":
      for (const rel of Array.isArray(body["relations"])
        ? body["relations"]
        : []) {
        const table = relationName(rel);
        if (table && namesKnown)
          needs.push({
            kind: "table-privilege",
            table,
            privilege: "TRUNCATE",
            what: `TRUNCATE ${qualified(table)}`,
          });
      }
      break;
    case "GrantStmt":
      needs.push(...grantNeeds(body, namesKnown));
      break;
    case "CopyStmt": {
      if (typeof body["filename"] === "string")
        needs.push({
          kind: "server-files",
          direction: body["is_from"] === true ? "read" : "write",
          what: `COPY ${body["is_from"] === true ? "FROM" : "TO"} a server file`,
        });
      const table = relationName(body["relation"]);
      if (table && namesKnown)
        needs.push({
          kind: "table-privilege",
          table,
          privilege: body["is_from"] === true ? "INSERT" : "SELECT",
          what: `COPY ${qualified(table)}`,
        });
      break;
    }
    default:
      break;
  }
  needs.push(...dmlNeeds(tree, namesKnown));
  const functions = calledAdminFunctions(tree);
  if (functions.replication.length > 0)
    needs.push({
      kind: "attribute",
      attribute: "replication",
      what: functions.replication.map((f) => `${f}()`).join(", "),
    });
  if (functions.other.length > 0)
    needs.push({
      kind: "functions",
      names: functions.other,
      what: functions.other.map((f) => `${f}()`).join(", "),
    });
  return { needs, creates };
}

/** `GRANT … ON DATABASE`, `ON TABLE`, `ON ALL TABLES IN SCHEMA`: the grantor owns what it grants. */
function grantNeeds(body: Node, namesKnown: boolean): SqlNeed[] {
  if (!namesKnown) return [];
  const objects = Array.isArray(body["objects"]) ? body["objects"] : [];
  const verb = body["is_grant"] === true ? "GRANT" : "REVOKE";
  if (body["objtype"] === "OBJECT_DATABASE") {
    return stringList(objects).map((database) => ({
      kind: "database-owner" as const,
      database,
      what: `${verb} ON DATABASE ${database}`,
    }));
  }
  if (body["objtype"] !== "OBJECT_TABLE") return [];
  if (body["targtype"] === "ACL_TARGET_ALL_IN_SCHEMA") {
    return stringList(objects).map((schema) => ({
      kind: "schema-tables-owner" as const,
      schema,
      what: `${verb} ON ALL TABLES IN SCHEMA ${schema}`,
    }));
  }
  return objects.flatMap((o) => {
    const table = relationName(o);
    return table
      ? [
          {
            kind: "table-owner" as const,
            table,
            what: `${verb} ON ${qualified(table)}`,
          },
        ]
      : [];
  });
}

/** INSERT, UPDATE, DELETE and MERGE anywhere in the statement (also in a WITH): the privilege on their table. */
function dmlNeeds(tree: unknown, namesKnown: boolean): SqlNeed[] {
  if (!namesKnown) return [];
  const out: SqlNeed[] = [];
  const privileges: Record<string, "INSERT" | "UPDATE" | "DELETE"> = {
    InsertStmt: "INSERT",
    UpdateStmt: "UPDATE",
    DeleteStmt: "DELETE",
    MergeStmt: "UPDATE",
  };
  const visit = (type: string, node: Node): void => {
    const privilege = privileges[type];
    const table = privilege ? relationName(node["relation"]) : undefined;
    if (privilege && table)
      out.push({
        kind: "table-privilege",
        table,
        privilege,
        what: `${privilege} on ${qualified(table)}`,
      });
  };
  visit(statementType(tree), statementBody(tree));
  visitNodes(statementBody(tree), visit);
  return out;
}

/** SELECT from user tables in CREATE TABLE AS. */
function readNeeds(tree: unknown, namesKnown: boolean): SqlNeed[] {
  if (!namesKnown) return [];
  const out: SqlNeed[] = [];
  visitNodes(statementBody(tree), (type, node) => {
    if (type !== "RangeVar") return;
    const table = relationName(node);
    if (
      table &&
      !table.name.startsWith("pg_") &&
      table.schema !== "pg_catalog" &&
      table.schema !== "information_schema"
    ) {
      out.push({
        kind: "table-privilege",
        table,
        privilege: "SELECT",
        what: `SELECT from ${qualified(table)}`,
      });
    }
  });
  return out;
}

const REPLICATION_FUNCTIONS =
  /^pg_(create_(physical|logical)_replication_slot|drop_replication_slot|copy_(physical|logical)_replication_slot|replication_slot_advance|logical_slot_(get|peek)_(binary_)?changes)$/;

/** Functions a role may be refused: replication slot functions (REPLICATION), and the server-admin ones whose EXECUTE is revoked from PUBLIC. */
function calledAdminFunctions(tree: unknown): {
  replication: string[];
  other: string[];
} {
  const replication = new Set<string>();
  const other = new Set<string>();
  visitNodes(tree, (type, node) => {
    if (type !== "FuncCall") return;
    const fn = functionName(node);
    if (!fn || (fn.schema !== undefined && fn.schema !== "pg_catalog")) return;
    if (REPLICATION_FUNCTIONS.test(fn.name)) replication.add(fn.name);
    else if (changesSomething(fn.name) || ADMIN_FUNCTIONS.has(fn.name))
      other.add(fn.name);
  });
  return { replication: [...replication], other: [...other] };
}

/** Built-ins that read the server's files or state and are not granted to PUBLIC. */
const ADMIN_FUNCTIONS = new Set([
  "pg_read_file",
  "pg_read_binary_file",
  "pg_ls_dir",
  "pg_stat_file",
  "pg_ls_logdir",
  "pg_ls_waldir",
  "pg_ls_tmpdir",
  "pg_ls_archive_statusdir",
  "pg_current_logfile",
]);

/** `schema.table`, or `table`. */
export function qualified(table: TableName): string {
  return table.schema !== undefined
    ? `${table.schema}.${table.name}`
    : table.name;
}
