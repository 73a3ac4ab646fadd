import { braceRefNames } from "../model/index.js";
import { randomBytes } from "node:crypto";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { Param, Runbook } from "../model/index.js";

export type RunMode = "live" | "rehearsal";

/** Where a param's value came from, for the journal and `plan`. */
export type ParamSource =
  "set" | "env" | "default" | "rehearsal" | "generated" | "prompt" | "journal";

export interface ResolvedParam {
  readonly param: Param;
  readonly value: string;
  readonly source: ParamSource;
}

export interface ResolveParamsOptions {
  /** `--set name=value` pairs. */
  readonly set: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly mode: RunMode;
  /** Values restored from a journal (resume): they win over defaults. */
  readonly restored?: Readonly<Record<string, string>>;
}

export interface ResolvedParams {
  readonly values: Map<string, ResolvedParam>;
  /** Params with no value from any source (to prompt for, or to fail on). */
  readonly missing: Param[];
  readonly diagnostics: Diagnostic[];
}

/**
 * SPEC 1.1 precedence: `--set`, then the environment variable of the same
 * name, then `default`. In a rehearsal the param's `rehearsal:` value comes
 * right after `--set`, and a secret with none gets a random value. A default
 * or rehearsal value is returned as written: `${name}` in it is interpolated
 * when the run starts (interpolateParams), once sentinels and the sandbox exist.
 */
export function resolveParams(
  runbook: Runbook,
  options: ResolveParamsOptions,
): ResolvedParams {
  const values = new Map<string, ResolvedParam>();
  const missing: Param[] = [];
  const diagnostics: Diagnostic[] = [];
  const declared = new Set(runbook.params.map((p) => p.name));
  for (const name of Object.keys(options.set)) {
    if (!declared.has(name)) {
      diagnostics.push({
        file: runbook.file,
        line: 1,
        column: 1,
        severity: "error",
        rule: "unknown-param",
        message: `--set ${name}=…: the runbook declares no param "${name}"${declared.size ? ` (params: ${[...declared].join(", ")})` : ""}`,
      });
    }
  }
  for (const param of runbook.params) {
    const found = pick(param, options);
    if (!found) {
      missing.push(param);
      continue;
    }
    // A default or rehearsal value with `${name}` is checked once interpolated (interpolateParams).
    const template =
      (found.source === "default" || found.source === "rehearsal") &&
      braceRefNames(found.value).length > 0;
    const problem = template ? undefined : checkPattern(param, found.value);
    if (problem)
      diagnostics.push(diagnostic(param.at, "error", "param-pattern", problem));
    values.set(param.name, { param, ...found });
  }
  return { values, missing, diagnostics };
}

function pick(
  param: Param,
  options: ResolveParamsOptions,
): { value: string; source: ParamSource } | undefined {
  const set = options.set[param.name];
  if (set !== undefined) return { value: set, source: "set" };
  const restored = options.restored?.[param.name];
  if (restored !== undefined) return { value: restored, source: "journal" };
  if (options.mode === "rehearsal") {
    if (param.rehearsal !== undefined)
      return { value: param.rehearsal, source: "rehearsal" };
    if (param.secret)
      return {
        value: `rb-${randomBytes(12).toString("base64url")}`,
        source: "generated",
      };
  }
  const env = options.env[param.name];
  if (env !== undefined && env !== "") return { value: env, source: "env" };
  if (param.default !== undefined)
    return { value: param.default, source: "default" };
  return undefined;
}

/** A one-line reason when `value` does not match the param's `pattern`, else undefined. */
export function checkPattern(param: Param, value: string): string | undefined {
  if (param.pattern === undefined) return undefined;
  let re: RegExp;
  try {
    re = new RegExp(param.pattern, "u");
  } catch {
    return undefined; // reported by the parser
  }
  if (re.test(value)) return undefined;
  const shown = param.secret ? "the value given" : `"${value}"`;
  return `param "${param.name}": ${shown} does not match its pattern /${param.pattern}/`;
}
