import { changesSomething, parseSql, readOnlyViolation } from "../sql/index.js";
import {
  functionName,
  isNode,
  statementBody,
  statementType,
  visitNodes,
  type Node,
} from "../sql/index.js";

/** Functions that run SQL given as text: read only when that text, a constant, only reads. */
const RUNS_SQL_TEXT = new Set([
  "query_to_xml",
  "query_to_xml_and_xmlschema",
  "query_to_xmlschema",
  "cursor_to_xml",
]);

/**
 * Why a statement (one `stmt` of libpg-query's tree) is not one that only
 * reads, or undefined when it only reads: a `SELECT` without `INTO`, row
 * locks, data-modifying `WITH` or a call of a function with side effects,
 * `SHOW`, or an `EXPLAIN` (with or without `ANALYZE`) of such a `SELECT`.
 * Everything else — DDL, DML, `SET`, `COPY`, `VACUUM`, transaction control —
 * may change something. Used for the read-only prefix (SPEC 3), which runs
 * with no one's word that it is safe; a block marked `probe` runs on its
 * author's word, inside a read-only transaction.
 */
export function whyNotOnlyReads(tree: unknown): string | undefined {
  const type = statementType(tree);
  const body = statementBody(tree);
  if (type === "VariableShowStmt") return undefined;
  if (type === "ExplainStmt") return whyNotOnlyReads(body["query"]);
  if (type !== "SelectStmt") return `${describe(type)} is not a read`;
  if (body["intoClause"] !== undefined) return "SELECT … INTO creates a table";
  const left = readOnlyViolation(tree);
  if (left) return left.statement;
  let why: string | undefined;
  visitNodes(tree, (t, node) => {
    if (why) return;
    if (
      t === "InsertStmt" ||
      t === "UpdateStmt" ||
      t === "DeleteStmt" ||
      t === "MergeStmt"
    )
      why = `a data-modifying WITH (${t.replace(/Stmt$/, "").toUpperCase()})`;
    else if (t === "LockingClause")
      why = "SELECT … FOR UPDATE/SHARE locks rows";
    else if (t === "FuncCall") why = functionProblem(node);
  });
  return why;
}

function functionProblem(call: Node): string | undefined {
  const fn = functionName(call);
  if (!fn) return undefined;
  if (fn.schema !== undefined && fn.schema !== "pg_catalog")
    return `${fn.schema}.${fn.name}() is not a built-in function: it may change things`;
  if (changesSomething(fn.name)) return `${fn.name}() changes the server`;
  if (RUNS_SQL_TEXT.has(fn.name)) {
    const first = Array.isArray(call["args"]) ? call["args"][0] : undefined;
    const text = constantString(first);
    if (text === undefined) return `${fn.name}() runs SQL built at run time`;
    const parsed = parseSql(text, { variables: [] });
    if ("error" in parsed) return `${fn.name}() runs SQL that does not parse`;
    for (const s of parsed.statements) {
      const inner = whyNotOnlyReads(s.tree);
      if (inner) return `${fn.name}() runs SQL that changes things (${inner})`;
    }
  }
  return undefined;
}

/** The names of the functions a statement calls without a schema or in pg_catalog: the server says which are the built-in ones. */
export function calledFunctions(tree: unknown): string[] {
  const names = new Set<string>();
  visitNodes(tree, (t, node) => {
    if (t !== "FuncCall") return;
    const fn = functionName(node);
    if (fn && (fn.schema === undefined || fn.schema === "pg_catalog"))
      names.add(fn.name);
  });
  return [...names];
}

function constantString(arg: unknown): string | undefined {
  if (!isNode(arg)) return undefined;
  if (isNode(arg["TypeCast"])) return constantString(arg["TypeCast"]["arg"]);
  const constant = arg["A_Const"];
  const sval =
    isNode(constant) && isNode(constant["sval"])
      ? constant["sval"]["sval"]
      : undefined;
  return typeof sval === "string" ? sval : undefined;
}

/** `CreatedbStmt` → `CREATE DATABASE`, for messages. */
export function describe(type: string): string {
  return (
    STATEMENT_NAMES[type] ??
    type
      .replace(/Stmt$/, "")
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toUpperCase()
  );
}

const STATEMENT_NAMES: Record<string, string> = {
  CreatedbStmt: "CREATE DATABASE",
  DropdbStmt: "DROP DATABASE",
  CreateStmt: "CREATE TABLE",
  CreateRoleStmt: "CREATE ROLE",
  AlterRoleStmt: "ALTER ROLE",
  DropRoleStmt: "DROP ROLE",
  GrantStmt: "GRANT/REVOKE",
  GrantRoleStmt: "GRANT/REVOKE role",
  InsertStmt: "INSERT",
  UpdateStmt: "UPDATE",
  DeleteStmt: "DELETE",
  MergeStmt: "MERGE",
  VariableSetStmt: "SET",
  TransactionStmt: "transaction control",
  CopyStmt: "COPY",
  IndexStmt: "CREATE INDEX",
  AlterTableStmt: "ALTER TABLE",
  DropStmt: "DROP",
  TruncateStmt: "TRUNCATE",
  AlterDatabaseSetStmt: "ALTER DATABASE",
  AlterDatabaseStmt: "ALTER DATABASE",
  CreatePublicationStmt: "CREATE PUBLICATION",
  CreateSubscriptionStmt: "CREATE SUBSCRIPTION",
  AlterSystemStmt: "ALTER SYSTEM",
  CreateExtensionStmt: "CREATE EXTENSION",
  CreateSchemaStmt: "CREATE SCHEMA",
  VacuumStmt: "VACUUM/ANALYZE",
  DoStmt: "DO",
  CallStmt: "CALL",
};
