/** The directives runbook executes or reads (SPEC 1.4). */
export const RUNBOOK_DIRECTIVES = new Set([
  "step",
  "manual",
  "confirm",
  "check",
  "sentinel",
  "include",
]);

/**
 * Callouts that documentation sites render (Docusaurus, VitePress): not ours,
 * but common in runbooks, so they are read through rather than reported.
 */
export const ADMONITIONS = new Set([
  "note",
  "tip",
  "info",
  "warning",
  "caution",
  "danger",
  "important",
]);

/** Attributes each directive understands; lint reports others. */
export const DIRECTIVE_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  step: new Set(["id", "needs", "title"]),
  manual: new Set(["id", "title"]),
  confirm: new Set(["prompt", "type"]),
  check: new Set([
    "id",
    "db",
    "sql",
    "sh",
    "bash",
    "expect",
    "match",
    "rows",
    "empty",
    "ordered",
    "wait",
    "every",
    "exit",
    "title",
    "timeout",
    "only",
    "user",
    "on",
    "cwd",
    "probe",
  ]),
  sentinel: new Set(["id"]),
  include: new Set(["file"]),
};

/** Attributes a fenced code block understands (SPEC 1.3); lint reports others. */
export const CODE_ATTRIBUTES = new Set([
  "id",
  "class",
  "db",
  "on",
  "user",
  "cwd",
  "timeout",
  "exit",
  "retry",
  "retry-delay",
  "capture",
  "confirm",
  "interactive",
  "only",
  "run",
  "file",
  "mode",
  "raw",
  "title",
  "probe",
]);

export const SHELL_LANGS: Record<string, "sh" | "bash"> = {
  sh: "sh",
  bash: "bash",
  shell: "bash",
};
export const CONSOLE_LANGS = new Set(["console", "shell-session"]);
export const SQL_LANGS = new Set(["sql", "pgsql", "postgresql"]);
export const PSQL_LANGS = new Set(["psql"]);
