import { braceRefNames, interpolate } from "../model/index.js";
import type { CodeAction, ConfirmAction, FileMode } from "../model/index.js";
import type { Check, Expectation } from "../model/index.js";
import { AttributeReader, readExecOptions } from "../parse/index.js";

/** Attributes that hold code: they follow the rules for code (SPEC 1.3), never `${}` interpolation. */
const CODE_KEYS = new Set(["sh", "bash", "sql"]);

/** What `${name}` and the names in `db=`/`on=` may refer to when a step runs. */
export interface AttributeScope {
  /** The run's variables (params, captures, sentinels), then the step's environment. */
  readonly lookup: (name: string) => string | undefined;
  /** Databases declared in front matter. */
  readonly databases: ReadonlySet<string>;
  /** Hosts declared in front matter. */
  readonly hosts: ReadonlySet<string>;
}

/** Why an action or check cannot run as written; `missing` lists names no variable defines (yet). */
export interface Unresolved {
  readonly ok: false;
  readonly message: string;
  readonly missing: readonly string[];
}

export type ActionResolution =
  | { readonly ok: true; readonly action: CodeAction; readonly notRun?: string }
  | Unresolved;
export type CheckResolution =
  { readonly ok: true; readonly check: Check } | Unresolved;
export type GateResolution =
  | { readonly ok: true; readonly prompt: string; readonly typed?: string }
  | Unresolved;

/**
 * SPEC 1.1: `${name}` in every attribute value but code (`sh=`, `sql=`),
 * resolved against the run's variables right before the step uses it. An
 * undefined name is an error, never left as written. Returns the values and
 * whether any held a `${name}`.
 */
export function interpolateAttributes(
  attributes: Readonly<Record<string, string>>,
  lookup: (name: string) => string | undefined,
):
  | {
      readonly attributes: Readonly<Record<string, string>>;
      readonly changed: boolean;
    }
  | Unresolved {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  const problems: string[] = [];
  let changed = false;
  for (const [key, value] of Object.entries(attributes)) {
    if (CODE_KEYS.has(key) || !value.includes("${")) {
      out[key] = value;
      continue;
    }
    const r = interpolate(value, lookup);
    if (r.missing.length > 0) {
      missing.push(...r.missing);
      problems.push(
        `${key}="${value}": ${r.missing.map((n) => `\${${n}}`).join(", ")} ${r.missing.length > 1 ? "are" : "is"} not defined (not a param, captured variable, sentinel or environment variable)`,
      );
    }
    // Read again even when the text came out the same: parsing left a typed value with `${}` unread.
    changed ||= braceRefNames(value).length > 0;
    out[key] = r.text;
  }
  if (problems.length > 0)
    return {
      ok: false,
      message: problems.join("; "),
      missing: [...new Set(missing)],
    };
  return { attributes: out, changed };
}

/**
 * A code block as it runs: its attributes interpolated and read again by the
 * parser's own reader (durations, bounded to 24 days, numbers, choices), `db=`
 * and `on=` checked against the front matter. `notRun` says why it is not to
 * run (`run=false` filled in at run time). Values written out were read when
 * the runbook was parsed, and stay as parsed.
 */
export function resolveAction(
  action: CodeAction,
  scope: AttributeScope,
): ActionResolution {
  const values = interpolateAttributes(action.attributes, scope.lookup);
  if ("ok" in values) return values;
  let resolved = action;
  const problems: string[] = [];
  if (values.changed) {
    const r = new AttributeReader(values.attributes, action.at, {
      templates: "read",
    });
    const options = readExecOptions(r);
    if (action.kind === "file") {
      const path = r.string("file") ?? "";
      if (path.trim() === "")
        r.error(`file="${action.attributes["file"] ?? ""}" is empty`);
      const mode: FileMode =
        r.oneOf("mode", ["replace", "append", "block"] as const) ?? "replace";
      resolved = { ...action, options, path, mode, raw: r.flag("raw") };
    } else {
      resolved = { ...action, options };
    }
    const run = values.attributes["run"];
    if (run !== undefined && run !== "false" && run !== "true" && run !== "")
      r.error(`run="${run}" must be true or false`);
    problems.push(...r.diagnostics.map((d) => d.message));
  }
  problems.push(...nameProblems(resolved.options, scope));
  if (problems.length > 0)
    return { ok: false, message: problems.join("; "), missing: [] };
  return values.attributes["run"] === "false"
    ? { ok: true, action: resolved, notRun: "run=false" }
    : { ok: true, action: resolved };
}

/** A check as it runs: its attributes (expectations, waits, place) interpolated and read again. */
export function resolveCheck(
  check: Check,
  scope: AttributeScope,
): CheckResolution {
  const values = interpolateAttributes(check.attributes, scope.lookup);
  if ("ok" in values) return values;
  let resolved = check;
  const problems: string[] = [];
  if (values.changed) {
    const r = new AttributeReader(values.attributes, check.at, {
      templates: "read",
    });
    const expectation: { -readonly [K in keyof Expectation]: Expectation[K] } =
      { empty: r.flag("empty"), ordered: r.flag("ordered") };
    const expect = r.string("expect");
    const match = r.regex("match");
    const rows = r.rows("rows");
    if (expect !== undefined) expectation.expect = expect;
    if (match !== undefined) expectation.match = match;
    if (rows !== undefined) expectation.rows = rows;
    if (check.expectation.table) expectation.table = check.expectation.table;
    const only = r.oneOf("only", ["live", "rehearsal"] as const);
    const common = {
      at: check.at,
      code: check.code,
      codeAt: check.codeAt,
      form: check.form,
      attributes: values.attributes,
      refs: check.refs,
      expectation,
      ...optional("waitMs", r.duration("wait")),
      ...optional("everyMs", r.duration("every")),
      ...optional("timeoutMs", r.duration("timeout")),
      ...optional("db", r.string("db")),
      ...optional("only", only),
    };
    resolved =
      check.kind === "sql"
        ? { ...common, kind: "sql" }
        : {
            ...common,
            kind: "sh",
            shell: check.shell,
            exit: r.integer("exit", { min: 0, max: 255 }) ?? 0,
            ...optional("user", r.string("user")),
            ...optional("on", r.string("on")),
            ...optional("cwd", r.string("cwd")),
          };
    problems.push(...r.diagnostics.map((d) => d.message));
  }
  problems.push(
    ...nameProblems(
      { db: resolved.db, on: resolved.kind === "sh" ? resolved.on : undefined },
      scope,
    ),
  );
  if (problems.length > 0)
    return { ok: false, message: problems.join("; "), missing: [] };
  return { ok: true, check: resolved };
}

/** A `::confirm` gate's `prompt=` and `type=`, interpolated. */
export function resolveGate(
  action: ConfirmAction,
  scope: AttributeScope,
): GateResolution {
  const values = interpolateAttributes(
    {
      prompt: action.prompt,
      ...(action.typed !== undefined ? { type: action.typed } : {}),
    },
    scope.lookup,
  );
  if ("ok" in values) return values;
  const typed = values.attributes["type"];
  return {
    ok: true,
    prompt: values.attributes["prompt"] ?? action.prompt,
    ...(typed !== undefined ? { typed } : {}),
  };
}

function nameProblems(
  o: { readonly db?: string | undefined; readonly on?: string | undefined },
  scope: AttributeScope,
): string[] {
  const out: string[] = [];
  if (o.db !== undefined && !scope.databases.has(o.db))
    out.push(
      `unknown database "${o.db}"${declared("databases", scope.databases)}`,
    );
  if (o.on !== undefined && !scope.hosts.has(o.on))
    out.push(`unknown host "${o.on}"${declared("hosts", scope.hosts)}`);
  return out;
}

function declared(what: string, names: ReadonlySet<string>): string {
  return names.size === 0
    ? `: the front matter declares no ${what}`
    : ` (declared: ${[...names].join(", ")})`;
}

function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
