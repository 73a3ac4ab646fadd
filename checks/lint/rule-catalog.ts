import type { Severity } from "../../engine/model/index.js";

/** What a rule id means: for SARIF's rule list, the docs and `--format` outputs. */
export interface RuleInfo {
  readonly id: string;
  /** The usual severity (some rules report a milder or stronger one in some cases). */
  readonly severity: Severity;
  readonly description: string;
}

const rule = (
  id: string,
  severity: Severity,
  description: string,
): RuleInfo => ({ id, severity, description });

/**
 * Every rule id `runbook lint` reports: the parser's and the cross-reference
 * checks' (shared with `run`), then lint's own. `shellcheck/SCnnnn` ids are
 * shellcheck's own codes and are not listed.
 */
export const RULE_CATALOG: readonly RuleInfo[] = [
  rule(
    "front-matter",
    "error",
    "The YAML front matter is invalid or has an unknown key.",
  ),
  rule(
    "attribute",
    "error",
    "An attribute has an invalid value or cannot be read.",
  ),
  rule("directive", "error", "A runbook directive is malformed."),
  rule("check", "error", "A check is malformed."),
  rule("duplicate-id", "error", "Two steps have the same id."),
  rule("duplicate-sentinel", "error", "Two sentinels have the same name."),
  rule(
    "unknown-needs",
    "error",
    "::step{needs=…} names a step that does not exist.",
  ),
  rule("cycle", "error", "Steps depend on each other in a cycle."),
  rule(
    "include",
    "error",
    "An ::include cannot be read or leaves the runbook's folder.",
  ),
  rule("empty-step", "warning", "::step is in a section with nothing to run."),
  rule(
    "unknown-db",
    "error",
    "db= names a database the front matter does not declare.",
  ),
  rule(
    "unknown-host",
    "error",
    "on= names a host the front matter does not declare.",
  ),
  rule(
    "missing-db",
    "error",
    "A SQL block or check has no db= and the runbook does not have exactly one database (with none declared: once per file).",
  ),
  rule(
    "undefined-variable",
    "error",
    "A ${name} or psql variable is not a param, capture or sentinel.",
  ),
  rule(
    "env-variable",
    "info",
    "An upper-case ${NAME} is expected from the environment.",
  ),
  rule(
    "capture-order",
    "error",
    "A captured variable is used before the step that captures it runs.",
  ),
  rule(
    "unknown-directive",
    "warning",
    "A directive runbook does not know (an error when it looks like a typo of one it knows).",
  ),
  rule(
    "unknown-attribute",
    "error",
    "An attribute runbook does not read, on a code block or one of its directives: an error in every command (run refuses it too), with the attribute it probably meant.",
  ),
  rule(
    "fence-comment",
    "warning",
    "Words after a code block's language that are not an attribute block: a comment, ignored when running.",
  ),
  rule(
    "pasted-session",
    "error",
    "A sh/bash block is a pasted terminal session ($ prompts, output among the commands, or commands typed at a root prompt): it fails or runs nothing.",
  ),
  rule(
    "assignments-only",
    "warning",
    "A sh/bash block only sets shell variables, which are gone when it ends: usually a configuration file labelled as shell.",
  ),
  rule(
    "placeholder",
    "error",
    "A placeholder left in code (<your-host>, CHANGEME, xxx): declare a param.",
  ),
  rule(
    "unlabelled-shell",
    "info",
    "A fenced block with no language that is plainly shell: shown, never run; --fix labels it sh (or bash) and says that it then runs.",
  ),
  rule("sql-syntax", "error", "The PostgreSQL parser rejects this SQL."),
  rule(
    "psql-meta-command",
    "error",
    "A psql meta-command in SQL that node-postgres runs.",
  ),
  rule("shell-syntax", "error", "bash -n rejects this shell code."),
  rule(
    "destructive-sql",
    "error",
    "DROP DATABASE/TABLE/SCHEMA, TRUNCATE or DELETE/UPDATE without WHERE in a step with no confirmation.",
  ),
  rule(
    "destructive-shell",
    "error",
    "rm -rf, find -delete, dropdb, stopping a database or a --clean restore in a step with no confirmation.",
  ),
  rule(
    "literal-password",
    "error",
    "A password written in the runbook instead of a secret param.",
  ),
  rule(
    "sentinel-not-verified",
    "error",
    "A sentinel is written but no check verifies it.",
  ),
  rule(
    "sentinel-not-written",
    "error",
    "A sentinel is verified but no step writes it.",
  ),
  rule(
    "sentinel-order",
    "error",
    "A sentinel is verified only before it is written.",
  ),
  rule("sentinel-unused", "warning", "A sentinel is defined but never used."),
  rule(
    "db-change-without-check",
    "warning",
    "A step changes a database and has no check.",
  ),
  rule(
    "check-read-only",
    "error",
    "A SQL check could leave its read-only transaction (transaction control, SET transaction_read_only, DO, CALL) or has a side effect that transaction allows (pg_terminate_backend(), pg_reload_conf(), COPY … TO PROGRAM, …); run refuses it too.",
  ),
  rule(
    "check-not-read-only",
    "warning",
    "A check changes the database; checks run again on every poll.",
  ),
  rule(
    "raw-psql-param",
    "warning",
    "A param is pasted into SQL as raw text (:name) without raw: true.",
  ),
  rule(
    "param-pattern",
    "error",
    "A param's default: or rehearsal: value does not match its pattern; run refuses it too.",
  ),
  rule(
    "param-cycle",
    "error",
    "Param defaults name each other in a circle; run refuses it too.",
  ),
  rule(
    "rehearsal-path",
    "warning",
    "A param defaults to a path outside the sandbox, has no rehearsal: value, and a rehearsal would write there.",
  ),
  rule(
    "variable-not-shared",
    "warning",
    "A block sets a variable that a later block uses: each block runs in a shell of its own (use capture=).",
  ),
  rule(
    "undefined-shell-variable",
    "warning",
    "Shell code uses a variable that no param, capture, sentinel or earlier line sets.",
  ),
  rule("lint-tool", "warning", "A checking tool (bash) could not be run."),
  rule("file", "error", "The file cannot be read."),
];

const BY_ID = new Map(RULE_CATALOG.map((r) => [r.id, r]));

/** The catalog entry of a rule id; shellcheck codes get a generic one. */
export function ruleInfo(id: string): RuleInfo {
  const known = BY_ID.get(id);
  if (known) return known;
  if (id.startsWith("shellcheck/"))
    return {
      id,
      severity: "warning",
      description: `shellcheck ${id.slice("shellcheck/".length)}: see https://www.shellcheck.net/wiki/${id.slice("shellcheck/".length)}`,
    };
  return { id, severity: "error", description: id };
}
