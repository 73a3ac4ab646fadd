/**
 * Small readers of libpg-query parse trees (`{ NodeType: { field: … } }`)
 * that the preflight and lint share.
 */

export type Node = Record<string, unknown>;

export function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The node type of a statement tree, e.g. `SelectStmt`. */
export function statementType(tree: unknown): string {
  return isNode(tree) ? (Object.keys(tree)[0] ?? "") : "";
}

/** The fields of a statement tree's node. */
export function statementBody(tree: unknown): Node {
  const inner = isNode(tree) ? tree[statementType(tree)] : undefined;
  return isNode(inner) ? inner : {};
}

/** Calls `fn` on every node of `tree` whose key is a node type (starts with a capital letter). */
export function visitNodes(
  tree: unknown,
  fn: (type: string, node: Node) => void,
): void {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value)
        if (typeof item === "object" && item !== null) stack.push(item);
      continue;
    }
    if (!isNode(value)) continue;
    for (const key in value) {
      const child = value[key];
      if (typeof child !== "object" || child === null) continue;
      const first = key.charCodeAt(0);
      if (first >= 65 && first <= 90 && isNode(child)) fn(key, child);
      stack.push(child);
    }
  }
}

/** `String` nodes' values in a list (`funcname`, `names`, `objects`). */
export function stringList(value: unknown): string[] {
  const out: string[] = [];
  for (const item of Array.isArray(value) ? value : []) {
    const s =
      isNode(item) && isNode(item["String"])
        ? item["String"]["sval"]
        : undefined;
    if (typeof s === "string") out.push(s);
  }
  return out;
}

/** A function call's name, lower-cased, and its schema when written (`pg_catalog.now` → `{ schema: 'pg_catalog', name: 'now' }`). */
export function functionName(
  call: Node,
): { readonly schema?: string; readonly name: string } | undefined {
  const parts = stringList(call["funcname"]).map((p) => p.toLowerCase());
  const name = parts.at(-1);
  if (name === undefined) return undefined;
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  return schema === undefined ? { name } : { schema, name };
}

/** A `RangeVar` as a name: `schema.table` or `table`, as written (unquoted). */
export function relationName(
  rangeVar: unknown,
): { readonly schema?: string; readonly name: string } | undefined {
  const node =
    isNode(rangeVar) && isNode(rangeVar["RangeVar"])
      ? rangeVar["RangeVar"]
      : isNode(rangeVar)
        ? rangeVar
        : undefined;
  const name = node?.["relname"];
  if (typeof name !== "string") return undefined;
  const schema = node?.["schemaname"];
  return typeof schema === "string" ? { schema, name } : { name };
}

/** The `DefElem` options of a statement, by name (`password`, `isreplication`, `owner`). */
export function defElems(options: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const option of Array.isArray(options) ? options : []) {
    const element =
      isNode(option) && isNode(option["DefElem"])
        ? option["DefElem"]
        : undefined;
    const name = element?.["defname"];
    if (typeof name === "string") out.set(name, element?.["arg"]);
  }
  return out;
}

/** A `String` node's value (`{ String: { sval } }`), or a bare string. */
export function stringValue(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const s =
    isNode(value) && isNode(value["String"])
      ? value["String"]["sval"]
      : undefined;
  return typeof s === "string" ? s : undefined;
}

/** A `Boolean` node's value; a flag written without one (`REPLICATION`) is true. */
export function booleanValue(value: unknown): boolean {
  if (value === undefined) return true;
  const b =
    isNode(value) && isNode(value["Boolean"])
      ? value["Boolean"]["boolval"]
      : undefined;
  return b === true;
}

/** A `RoleSpec`'s name, or `CURRENT_USER` / `SESSION_USER` / `PUBLIC` for the special ones. */
export function roleSpecName(value: unknown): string | undefined {
  const spec =
    isNode(value) && isNode(value["RoleSpec"])
      ? value["RoleSpec"]
      : isNode(value)
        ? value
        : undefined;
  if (!spec) return undefined;
  switch (spec["roletype"]) {
    case "ROLESPEC_CSTRING":
      return typeof spec["rolename"] === "string"
        ? spec["rolename"]
        : undefined;
    case "ROLESPEC_CURRENT_USER":
    case "ROLESPEC_CURRENT_ROLE":
      return "CURRENT_USER";
    case "ROLESPEC_SESSION_USER":
      return "SESSION_USER";
    case "ROLESPEC_PUBLIC":
      return "PUBLIC";
    default:
      return undefined;
  }
}
