import { braceRefNames, interpolate } from "../model/index.js";
import { isSecretName } from "../secrets/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import { checkPattern, type ResolvedParam } from "./resolve.js";

export interface InterpolateParamsOptions {
  /**
   * Names that are not params: sentinels, then the environment a step gets
   * (the caller's, the sandbox's `RUNBOOK_SANDBOX_DIR`, `RUNBOOK_RUN_ID`, …).
   */
  readonly lookup: (name: string) => string | undefined;
}

export interface InterpolatedParams {
  readonly values: Map<string, ResolvedParam>;
  readonly diagnostics: Diagnostic[];
}

/** A value the runbook wrote (a `default:` or `rehearsal:`), as opposed to one the operator gave. */
export function isTemplateSource(p: Pick<ResolvedParam, "source">): boolean {
  return p.source === "default" || p.source === "rehearsal";
}

/**
 * SPEC 1.1: `${name}` in a param's `default:` and `rehearsal:` values names
 * another param, a sentinel or an environment variable. Values the operator
 * gave (`--set`, the environment, a prompt, a resumed journal) are data and
 * stay as they are. The pattern is checked on the final value. A value built
 * from a secret is a secret too.
 */
export function interpolateParams(
  params: ReadonlyMap<string, ResolvedParam>,
  options: InterpolateParamsOptions,
): InterpolatedParams {
  const values = new Map(params);
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, "resolving" | "done">();

  const resolve = (
    name: string,
    chain: readonly string[],
  ): ResolvedParam | undefined => {
    const p = values.get(name);
    if (!p || state.get(name) === "done" || !isTemplateSource(p)) return p;
    if (state.get(name) === "resolving") {
      const cycle = [...chain.slice(chain.indexOf(name)), name];
      diagnostics.push(
        diagnostic(
          p.param.at,
          "error",
          "param-cycle",
          `params refer to each other in a circle: ${cycle.join(" → ")}`,
        ),
      );
      return undefined;
    }
    state.set(name, "resolving");
    let secret = p.param.secret;
    const missing: string[] = [];
    const r = interpolate(p.value, (ref) => {
      const other = values.has(ref)
        ? resolve(ref, [...chain, name])
        : undefined;
      if (other) {
        secret ||= other.param.secret;
        return other.value;
      }
      if (values.has(ref)) return ""; // a cycle or a failed param: reported there
      const value = options.lookup(ref);
      if (value === undefined) missing.push(ref);
      else secret ||= isSecretName(ref);
      return value;
    });
    state.set(name, "done");
    if (missing.length > 0) {
      const what = p.source === "rehearsal" ? "rehearsal value" : "default";
      const shown = p.param.secret ? "" : ` "${p.value}"`;
      diagnostics.push(
        diagnostic(
          p.param.at,
          "error",
          "undefined-variable",
          `param "${name}": its ${what}${shown} names ${missing.map((m) => `\${${m}}`).join(", ")}, which ${missing.length > 1 ? "are" : "is"} not defined (not a param, sentinel or environment variable; captured variables are not known before the run starts)`,
        ),
      );
      values.delete(name);
      return undefined;
    }
    const resolved: ResolvedParam = {
      ...p,
      value: r.text,
      param: secret === p.param.secret ? p.param : { ...p.param, secret },
    };
    const problem =
      braceRefNames(p.value).length > 0
        ? checkPattern(resolved.param, resolved.value)
        : undefined;
    if (problem)
      diagnostics.push(
        diagnostic(p.param.at, "error", "param-pattern", problem),
      );
    values.set(name, resolved);
    return resolved;
  };

  for (const name of params.keys()) resolve(name, []);
  return { values, diagnostics };
}
