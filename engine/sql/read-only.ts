import { sideEffectOf } from "./side-effects.js";

/**
 * What in a check's SQL could leave the read-only transaction it runs in
 * (SPEC 1.4), or act on the server in a way that transaction allows and its
 * rollback does not undo, read from libpg-query's parse tree, never from
 * the text: a `COMMIT` in a string or a comment is not one.
 */

type Node = Record<string, unknown>;

/** A statement that a check may not run, and why. */
export interface ReadOnlyViolation {
  /** What it is, for messages: `COMMIT`, `SET transaction_read_only`, `set_config('transaction_read_only', …)`. */
  readonly statement: string;
  /** One line an operator can act on. */
  readonly message: string;
}

/** The settings that make a transaction (or the next ones) read-only. */
const READ_ONLY_SETTINGS = new Set([
  "transaction_read_only",
  "default_transaction_read_only",
]);

const TRANSACTION_KINDS: Record<string, string> = {
  TRANS_STMT_BEGIN: "BEGIN",
  TRANS_STMT_START: "START TRANSACTION",
  TRANS_STMT_COMMIT: "COMMIT",
  TRANS_STMT_ROLLBACK: "ROLLBACK",
  TRANS_STMT_SAVEPOINT: "SAVEPOINT",
  TRANS_STMT_RELEASE: "RELEASE SAVEPOINT",
  TRANS_STMT_ROLLBACK_TO: "ROLLBACK TO SAVEPOINT",
  TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
  TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
  TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
};

const FIX = "a check only reads; move this into a sql block of the step";

/**
 * Why a statement (one `stmt` of libpg-query's tree) could end a check's
 * read-only transaction or make it (or the session) read-write, or
 * undefined: transaction control, `SET`/`RESET` of `transaction_read_only`
 * or `default_transaction_read_only` (and `RESET ALL`, `SET SESSION
 * CHARACTERISTICS`, `SET TRANSACTION READ WRITE`), `set_config()` of those
 * settings anywhere in the statement, `DO` and `CALL`; and what a
 * read-only transaction lets through although it changes something:
 * `COPY … TO PROGRAM` or to a server file, `LOAD`, and a call anywhere in
 * the statement of a function with a side effect ({@link sideEffectOf}:
 * `pg_terminate_backend()`, `pg_reload_conf()`, session advisory locks,
 * `dblink()`…).
 */
export function readOnlyViolation(
  tree: unknown,
): ReadOnlyViolation | undefined {
  const type = isNode(tree) ? (Object.keys(tree)[0] ?? "") : "";
  const node = isNode(tree) && isNode(tree[type]) ? tree[type] : {};
  switch (type) {
    case "TransactionStmt": {
      const what =
        TRANSACTION_KINDS[String(node["kind"])] ?? "transaction control";
      return violation(
        what,
        `${what} would end the check's read-only transaction or start another one: ${FIX}`,
      );
    }
    case "VariableSetStmt":
      return settingViolation(node);
    case "DoStmt":
      return violation(
        "DO",
        `DO runs a procedural block that could end the check's read-only transaction or change data: ${FIX}`,
      );
    case "CallStmt":
      return violation(
        "CALL",
        `CALL runs a procedure, which may commit and start a read-write transaction: ${FIX}`,
      );
    case "CopyStmt":
      return copyViolation(node) ?? functionCall(tree);
    case "LoadStmt":
      return violation(
        "LOAD",
        `LOAD runs a library's code in the server, which a read-only transaction does not stop: ${FIX}`,
      );
    default:
      return functionCall(tree);
  }
}

function settingViolation(node: Node): ReadOnlyViolation | undefined {
  const kind = String(node["kind"]);
  const name = typeof node["name"] === "string" ? node["name"] : "";
  if (kind === "VAR_RESET_ALL")
    return violation(
      "RESET ALL",
      `RESET ALL resets default_transaction_read_only, so the transactions after the check could write: ${FIX}`,
    );
  if (kind === "VAR_SET_MULTI") {
    if (name === "SESSION CHARACTERISTICS")
      return violation(
        "SET SESSION CHARACTERISTICS",
        `SET SESSION CHARACTERISTICS changes the transactions after the check: ${FIX}`,
      );
    if (name === "TRANSACTION" && readWrite(node["args"]))
      return violation(
        "SET TRANSACTION READ WRITE",
        `SET TRANSACTION READ WRITE would make the check's transaction read-write: ${FIX}`,
      );
    return undefined;
  }
  const setting = name.toLowerCase();
  if (!READ_ONLY_SETTINGS.has(setting)) return undefined;
  const verb = kind === "VAR_RESET" ? "RESET" : "SET";
  return violation(
    `${verb} ${setting}`,
    `${verb} ${setting} could make ${setting === "transaction_read_only" ? "the check's transaction" : "the transactions after the check"} read-write: ${FIX}`,
  );
}

/** `SET TRANSACTION … READ WRITE`: a `transaction_read_only` option that is not 1. */
function readWrite(args: unknown): boolean {
  for (const arg of Array.isArray(args) ? args : []) {
    const element =
      isNode(arg) && isNode(arg["DefElem"]) ? arg["DefElem"] : undefined;
    if (element?.["defname"] !== "transaction_read_only") continue;
    const constant =
      isNode(element["arg"]) && isNode(element["arg"]["A_Const"])
        ? element["arg"]["A_Const"]
        : undefined;
    const ival =
      constant && isNode(constant["ival"])
        ? constant["ival"]["ival"]
        : undefined;
    if (ival !== 1) return true;
  }
  return false;
}

/** `COPY … TO PROGRAM` runs a program, `COPY … TO 'file'` writes a file: both on the server, both allowed read-only. */
function copyViolation(node: Node): ReadOnlyViolation | undefined {
  if (node["is_program"] === true) {
    const what =
      node["is_from"] === true ? "COPY … FROM PROGRAM" : "COPY … TO PROGRAM";
    return violation(
      what,
      `${what} runs a program on the server, which a read-only transaction does not stop: ${FIX}`,
    );
  }
  if (node["is_from"] !== true && typeof node["filename"] === "string") {
    return violation(
      "COPY … TO 'file'",
      `COPY … TO a file writes that file on the server, which a read-only transaction does not stop: ${FIX} (or COPY … TO STDOUT)`,
    );
  }
  return undefined;
}

/**
 * A function call anywhere in the statement that a read-only transaction
 * lets act: `set_config('transaction_read_only', …)` (any schema, any case,
 * cast or not), or a function with a side effect.
 */
function functionCall(tree: unknown): ReadOnlyViolation | undefined {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (!isNode(value)) continue;
    const call = value["FuncCall"];
    const name = isNode(call) ? functionName(call) : undefined;
    if (isNode(call) && name === "set_config") {
      const setting = stringArgument(
        Array.isArray(call["args"]) ? call["args"][0] : undefined,
      )?.toLowerCase();
      if (setting !== undefined && READ_ONLY_SETTINGS.has(setting)) {
        return violation(
          `set_config('${setting}', …)`,
          `set_config('${setting}', …) could make ${setting === "transaction_read_only" ? "the check's transaction" : "the transactions after the check"} read-write: ${FIX}`,
        );
      }
    }
    const effect = name === undefined ? undefined : sideEffectOf(name);
    if (effect !== undefined)
      return violation(
        `${name}()`,
        `${name}() ${effect}, which a read-only transaction does not stop: ${FIX}`,
      );
    for (const key in value) {
      const child = value[key];
      if (typeof child === "object" && child !== null) stack.push(child);
    }
  }
  return undefined;
}

function functionName(call: Node): string | undefined {
  const parts = Array.isArray(call["funcname"]) ? call["funcname"] : [];
  const last: unknown = parts.at(-1);
  const value =
    isNode(last) && isNode(last["String"]) ? last["String"]["sval"] : undefined;
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

/** A string constant, also under casts (`'x'::text`). */
function stringArgument(arg: unknown): string | undefined {
  if (!isNode(arg)) return undefined;
  const cast = arg["TypeCast"];
  if (isNode(cast)) return stringArgument(cast["arg"]);
  const constant = arg["A_Const"];
  const sval =
    isNode(constant) && isNode(constant["sval"])
      ? constant["sval"]["sval"]
      : undefined;
  return typeof sval === "string" ? sval : undefined;
}

function violation(statement: string, message: string): ReadOnlyViolation {
  return { statement, message };
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
