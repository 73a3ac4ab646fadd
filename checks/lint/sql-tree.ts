/**
 * Reading libpg-query parse trees (`{ NodeType: { field: … } }`): what a
 * statement is, whether it destroys or changes data, where passwords are.
 * Judging from the tree, not the text, is what keeps `UPDATE … WHERE`, a
 * `DELETE` in a comment or the word "drop" in a string from raising alarms.
 */

import {
  changesSomething,
  isNode,
  statementBody as body,
  statementType,
  type Node,
} from "../../engine/sql/index.js";

export { statementType };

/** Bodies that are stored for later rather than run now (a rule, a function, a view). */
const DEFERRED = new Set([
  "RuleStmt",
  "CreateFunctionStmt",
  "CreateTrigStmt",
  "ViewStmt",
]);

/** Calls `fn` on every node of `tree` (node types start with a capital), not descending into deferred bodies. */
function visit(tree: unknown, fn: (type: string, node: Node) => void): void {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value)
        if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const node = value as Node;
    for (const key in node) {
      const child = node[key];
      if (typeof child !== "object" || child === null) continue;
      const first = key.charCodeAt(0);
      if (first >= 65 && first <= 90 && !Array.isArray(child)) {
        fn(key, child as Node);
        if (DEFERRED.has(key)) continue;
      }
      stack.push(child);
    }
  }
}

/**
 * What makes a statement destructive (SPEC 5), or undefined: `DROP DATABASE`,
 * `DROP TABLE`, `DROP SCHEMA`, `TRUNCATE`, and `DELETE`/`UPDATE` without
 * `WHERE`, also inside a data-modifying `WITH`.
 */
export function destructiveStatement(tree: unknown): string | undefined {
  const type = statementType(tree);
  const node = body(tree);
  if (type === "DropdbStmt") return "DROP DATABASE";
  if (type === "DropStmt") {
    if (node["removeType"] === "OBJECT_TABLE") return "DROP TABLE";
    if (node["removeType"] === "OBJECT_SCHEMA") return "DROP SCHEMA";
    return undefined;
  }
  if (type === "TruncateStmt") return "TRUNCATE";
  if (type === "ExplainStmt")
    return explainAnalyze(node)
      ? destructiveStatement(node["query"])
      : undefined;
  let found = unfilteredWrite(type, node);
  // DML elsewhere in a statement can only be in a WITH clause.
  if (!found && node["withClause"] !== undefined)
    visit(node["withClause"], (t, n) => void (found ??= unfilteredWrite(t, n)));
  return found;
}

function unfilteredWrite(type: string, node: Node): string | undefined {
  if (
    (type === "DeleteStmt" || type === "UpdateStmt") &&
    node["whereClause"] === undefined
  )
    return `${type === "DeleteStmt" ? "DELETE" : "UPDATE"} without WHERE`;
  return undefined;
}

function explainAnalyze(node: Node): boolean {
  const options = Array.isArray(node["options"]) ? node["options"] : [];
  return options.some(
    (o) =>
      isNode(o) &&
      isNode(o["DefElem"]) &&
      o["DefElem"]["defname"] === "analyze",
  );
}

/** Statements that only read (or set session state): everything else changes the database. */
const READ_ONLY = new Set([
  "SelectStmt",
  "VariableShowStmt",
  "VariableSetStmt",
  "TransactionStmt",
  "DeclareCursorStmt",
  "FetchStmt",
  "ClosePortalStmt",
  "DeallocateStmt",
  "DiscardStmt",
  "ListenStmt",
  "UnlistenStmt",
  "PrepareStmt",
  "LoadStmt",
  // Maintenance that does not change what the data is.
  "VacuumStmt",
  "CheckPointStmt",
  "ReindexStmt",
]);

/**
 * Whether a statement changes the database: DDL, DML, roles, grants,
 * `SELECT … INTO`, a data-modifying `WITH`, `COPY … FROM`, or a call of a
 * function with side effects (`pg_promote()`, `setval()`). Returns a short
 * name of the change (`CREATE TABLE`, `UPDATE`) or undefined.
 */
export function statementChange(
  tree: unknown,
  text: string,
): string | undefined {
  const type = statementType(tree);
  const node = body(tree);
  if (type === "CopyStmt")
    return node["is_from"] === true ? "COPY FROM" : undefined;
  if (type === "ExplainStmt")
    return explainAnalyze(node)
      ? statementChange(node["query"], text)
      : undefined;
  if (!READ_ONLY.has(type)) return commandName(text);
  if (type === "SelectStmt" && node["intoClause"] !== undefined)
    return "SELECT INTO";
  let change: string | undefined;
  visit(tree, (t, n) => {
    if (change) return;
    if (
      t === "InsertStmt" ||
      t === "UpdateStmt" ||
      t === "DeleteStmt" ||
      t === "MergeStmt"
    )
      change = t.replace(/Stmt$/, "").toUpperCase();
    else if (t === "FuncCall") {
      const name = functionName(n);
      if (name && changesSomething(name)) change = `${name}()`;
    }
  });
  return change;
}

function functionName(call: Node): string | undefined {
  const parts = Array.isArray(call["funcname"]) ? call["funcname"] : [];
  const last = parts.at(-1);
  const value =
    isNode(last) && isNode(last["String"]) ? last["String"]["sval"] : undefined;
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

/** `CREATE TABLE`, `ALTER ROLE`, `INSERT`: the statement's leading keywords, for messages. */
function commandName(text: string): string {
  const words = text
    .trim()
    .split(/\s+/, 3)
    .map((w) => w.toUpperCase());
  const [first = "", second = "", third = ""] = words;
  if (
    [
      "CREATE",
      "ALTER",
      "DROP",
      "COMMENT",
      "REFRESH",
      "IMPORT",
      "SECURITY",
    ].includes(first)
  ) {
    if (
      [
        "UNIQUE",
        "OR",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "MATERIALIZED",
        "FOREIGN",
      ].includes(second)
    )
      return `${first} ${second} ${third}`.replace(/[^A-Z ]/g, "");
    return `${first} ${second}`.replace(/[^A-Z ]/g, "");
  }
  return first.replace(/[^A-Z]/g, "");
}

/**
 * The `location`s of `PASSWORD …` options given a value: in `CREATE/ALTER
 * ROLE/USER … PASSWORD`, and `password` in `OPTIONS (…)` of user mappings and
 * servers. The caller reads the text there to tell a literal from a psql
 * variable, which the parser sees as a same-length placeholder string.
 */
export function passwordOptionLocations(tree: unknown): number[] {
  if (!PASSWORD_OPTIONS.has(statementType(tree))) return [];
  const options = body(tree)["options"];
  const locations: number[] = [];
  for (const option of Array.isArray(options) ? options : []) {
    const element = isNode(option) ? option["DefElem"] : undefined;
    if (
      !isNode(element) ||
      element["defname"] !== "password" ||
      typeof element["location"] !== "number"
    )
      continue;
    const arg = element["arg"];
    if (isNode(arg) && isNode(arg["String"]))
      locations.push(element["location"]);
  }
  return locations;
}

/** Statements whose options may hold a password. */
const PASSWORD_OPTIONS = new Set([
  "CreateRoleStmt",
  "AlterRoleStmt",
  "CreateUserMappingStmt",
  "AlterUserMappingStmt",
  "CreateForeignServerStmt",
  "AlterForeignServerStmt",
]);
