import { isCodeAction, type Action } from "../model/index.js";
import type { Check } from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { Runbook, Step, VarRef } from "../model/index.js";

export interface ValidateOptions {
  /**
   * Environment variables that `${NAME}` may name. Lint passes none: an
   * upper-case name is then taken to come from the environment (info).
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Cross-references the parsed runbook: every `db=`, `on=` and variable must
 * name something declared, and a captured variable must be set by a step
 * that runs before its use. Used by run (errors stop it) and by lint.
 */
export function validateRunbook(
  runbook: Runbook,
  options: ValidateOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const databases = new Set(runbook.databases.map((d) => d.name));
  const hosts = new Set(runbook.hosts.map((h) => h.name));
  const soleDb = runbook.databases.length === 1;

  // A name with ${…} in it is filled in when its step starts, and checked then.
  const known = (set: ReadonlySet<string>, name: string): boolean =>
    set.has(name) || name.includes("${");
  const checkDb = (
    db: string | undefined,
    kind: string,
    at: Action["at"],
  ): void => {
    if (db !== undefined && !known(databases, db))
      out.push(
        diagnostic(
          at,
          "error",
          "unknown-db",
          `unknown database "${db}"${declared("databases", databases)}`,
        ),
      );
    if (db === undefined && (kind === "sql" || kind === "psql") && !soleDb) {
      out.push(
        diagnostic(
          at,
          "error",
          "missing-db",
          runbook.databases.length === 0
            ? `a ${kind} block needs a database: declare one under databases: in the front matter and add {db=NAME}`
            : `a ${kind} block needs {db=NAME}: this runbook declares ${[...databases].join(", ")}`,
        ),
      );
    }
  };
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      if (!isCodeAction(action)) continue;
      checkDb(action.options.db, action.kind, action.at);
      const on = action.options.on;
      if (on !== undefined && !known(hosts, on))
        out.push(
          diagnostic(
            action.at,
            "error",
            "unknown-host",
            `unknown host "${on}"${declared("hosts", hosts)}`,
          ),
        );
    }
    for (const check of step.checks) {
      checkDb(check.db, check.kind, check.at);
      if (
        check.kind === "sh" &&
        check.on !== undefined &&
        !known(hosts, check.on)
      )
        out.push(
          diagnostic(
            check.at,
            "error",
            "unknown-host",
            `unknown host "${check.on}"${declared("hosts", hosts)}`,
          ),
        );
    }
  }
  for (const d of checkVariables(runbook, options)) out.push(d);
  const params = new Set(runbook.params.map((p) => p.name));
  const sentinels = new Set(runbook.sentinels.map((s) => s.name));
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      const name = isCodeAction(action) ? action.options.capture : undefined;
      if (name !== undefined && (params.has(name) || sentinels.has(name))) {
        out.push(
          diagnostic(
            action.at,
            "warning",
            "capture-shadows",
            `capture=${name} replaces the ${params.has(name) ? "param" : "sentinel"} "${name}" for every later step; give the capture its own name`,
          ),
        );
      }
    }
  }
  return out;
}

function declared(what: string, names: ReadonlySet<string>): string {
  return names.size === 0
    ? `: the front matter declares no ${what}`
    : ` (declared: ${[...names].join(", ")})`;
}

/** Where each captured variable is set: the step's position in execution order. */
function captures(
  runbook: Runbook,
): Map<string, { step: Step; position: number }> {
  const order = executionOrder(runbook);
  const out = new Map<string, { step: Step; position: number }>();
  for (const step of runbook.steps) {
    for (const action of step.actions) {
      if (
        isCodeAction(action) &&
        action.options.capture &&
        !out.has(action.options.capture)
      )
        out.set(action.options.capture, {
          step,
          position: order.get(step.id) ?? step.index,
        });
    }
  }
  return out;
}

function executionOrder(runbook: Runbook): Map<string, number> {
  return new Map(runbook.order.map((id, i) => [id, i]));
}

function checkVariables(
  runbook: Runbook,
  options: ValidateOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const params = new Set(runbook.params.map((p) => p.name));
  const sentinels = new Set(runbook.sentinels.map((s) => s.name));
  const captured = captures(runbook);
  const order = executionOrder(runbook);
  const env = options.env;

  const checkRef = (ref: VarRef, usedIn: Step | undefined): void => {
    if (params.has(ref.name) || sentinels.has(ref.name)) return;
    const capture = captured.get(ref.name);
    if (capture) {
      // A use in the capturing step itself is fine (its checks run after its actions).
      const position = usedIn
        ? (order.get(usedIn.id) ?? usedIn.index)
        : Number.POSITIVE_INFINITY;
      if (usedIn && usedIn !== capture.step && position < capture.position) {
        out.push(
          diagnostic(
            ref.at,
            "error",
            "capture-order",
            `"${ref.name}" is captured by step "${capture.step.id}", which runs after this use`,
          ),
        );
      }
      return;
    }
    if (ref.syntax === "brace") {
      if (env && env[ref.name] !== undefined) return;
      if (!env && /^[A-Z][A-Z0-9_]*$/.test(ref.name)) {
        out.push(
          diagnostic(
            ref.at,
            "info",
            "env-variable",
            `\${${ref.name}} is not a param, capture or sentinel: it must be set in the environment when the runbook runs`,
          ),
        );
        return;
      }
      out.push(
        diagnostic(
          ref.at,
          "error",
          "undefined-variable",
          `\${${ref.name}} is not defined: declare it under params:, capture it with capture=${ref.name}, or define ::sentinel{#${ref.name}}${env ? " (or set it in the environment)" : ""}`,
        ),
      );
      return;
    }
    out.push(
      diagnostic(
        ref.at,
        "error",
        "undefined-variable",
        `psql variable :${ref.syntax === "psql-literal" ? `'${ref.name}'` : ref.syntax === "psql-identifier" ? `"${ref.name}"` : ref.name} is not defined: declare it under params:, capture it with capture=${ref.name}, or define ::sentinel{#${ref.name}}`,
      ),
    );
  };

  for (const ref of runbook.refs) checkRef(ref, undefined);
  for (const step of runbook.steps) {
    const items: (Action | Check)[] = [...step.actions, ...step.checks];
    for (const item of items) {
      const setHere =
        "kind" in item && item.kind === "psql" && "code" in item
          ? psqlDefinitions(item.code, item.codeAt.line)
          : undefined;
      for (const ref of "refs" in item ? item.refs : []) {
        if (
          setHere &&
          (setHere.names.has(ref.name) ||
            (setHere.gsetLine !== undefined && ref.at.line > setHere.gsetLine))
        )
          continue;
        checkRef(ref, step);
      }
    }
  }
  return out;
}

/** Variables psql itself sets (psql's documentation, "Special Variables"). */
const PSQL_BUILTINS = [
  "AUTOCOMMIT",
  "COMP_KEYWORD_CASE",
  "DBNAME",
  "ECHO",
  "ECHO_HIDDEN",
  "ENCODING",
  "ERROR",
  "FETCH_COUNT",
  "HIDE_TABLEAM",
  "HIDE_TOAST_COMPRESSION",
  "HISTCONTROL",
  "HISTFILE",
  "HISTSIZE",
  "HOST",
  "IGNOREEOF",
  "LASTOID",
  "LAST_ERROR_MESSAGE",
  "LAST_ERROR_SQLSTATE",
  "ON_ERROR_ROLLBACK",
  "ON_ERROR_STOP",
  "PORT",
  "PROMPT1",
  "PROMPT2",
  "PROMPT3",
  "QUIET",
  "ROW_COUNT",
  "SERVER_VERSION_NAME",
  "SERVER_VERSION_NUM",
  "SHELL_ERROR",
  "SHELL_EXIT_CODE",
  "SHOW_ALL_RESULTS",
  "SHOW_CONTEXT",
  "SINGLELINE",
  "SINGLESTEP",
  "SQLSTATE",
  "USER",
  "VERBOSITY",
  "VERSION",
  "VERSION_NAME",
  "VERSION_NUM",
];

/**
 * Variables a psql block defines for itself: `\set name …`, and after a
 * `\gset`, any name (its columns are only known when the query runs).
 */
function psqlDefinitions(
  code: string,
  firstLine: number,
): { names: Set<string>; gsetLine?: number } {
  const names = new Set<string>(PSQL_BUILTINS);
  let gsetLine: number | undefined;
  code.split("\n").forEach((line, i) => {
    const set =
      /^\s*\\(?:set|getenv|prompt(?:\s+'[^']*'|\s+"[^"]*")?)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(
        line,
      );
    if (set?.[1]) names.add(set[1]);
    if (gsetLine === undefined && /\\gset\b/.test(line))
      gsetLine = firstLine + i;
  });
  return gsetLine === undefined ? { names } : { names, gsetLine };
}
