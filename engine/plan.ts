import { isCodeAction, type Action } from "./model/index.js";
import type { Check } from "./model/index.js";
import { usageError } from "./model/index.js";
import type { Runbook, Step } from "./model/index.js";
import { formatDuration } from "./model/index.js";
import { maskUrl, resolveTemplate } from "./params/index.js";

export interface PlanAction {
  readonly kind: Action["kind"];
  readonly line: number;
  readonly db?: string;
  readonly on?: string;
  /** The OS user it runs as (`user=`). */
  readonly user?: string;
  /** Where it runs: a masked database URL, an ssh target, or a file path. */
  readonly target?: string;
  readonly only?: "live" | "rehearsal";
  readonly confirm?: boolean;
  readonly capture?: string;
}

export interface PlanCheck {
  readonly kind: Check["kind"];
  readonly line: number;
  readonly db?: string;
  readonly wait?: string;
}

export interface PlanStep {
  readonly id: string;
  readonly title: string;
  readonly needs: readonly string[];
  readonly line: number;
  readonly actions: readonly PlanAction[];
  readonly checks: readonly PlanCheck[];
}

/** SPEC 3's `plan --json` shape. */
export interface Plan {
  readonly title: string;
  readonly file: string;
  readonly mode: "live" | "rehearsal";
  readonly params: readonly {
    readonly name: string;
    readonly secret: boolean;
    readonly value?: string;
    readonly source?: string;
  }[];
  readonly steps: readonly PlanStep[];
}

export interface StepSelection {
  /** Start at this step (steps before it in execution order are left out). */
  readonly from?: string;
  /** Stop after this step. */
  readonly to?: string;
  /** Only these steps. */
  readonly only?: readonly string[];
}

export interface PlanOptions extends StepSelection {
  readonly mode: "live" | "rehearsal";
  /** Known values for `${name}` (params, env); secrets among them are masked in the plan. */
  readonly lookup: (name: string) => string | undefined;
  readonly secrets: ReadonlySet<string>;
  readonly params: readonly {
    readonly name: string;
    readonly secret: boolean;
    readonly value?: string;
    readonly source?: string;
  }[];
}

/** Steps in execution order: topological, document order among ready steps. */
export function executionOrder(runbook: Runbook): Step[] {
  const byId = new Map(runbook.steps.map((s) => [s.id, s]));
  return runbook.order.flatMap((id) => byId.get(id) ?? []);
}

/** Applies `--from`, `--to` and `--only` to the execution order. */
export function selectSteps(
  order: readonly Step[],
  selection: StepSelection,
): Step[] {
  const known = new Set(order.map((s) => s.id));
  for (const id of [selection.from, selection.to, ...(selection.only ?? [])]) {
    if (id !== undefined && !known.has(id))
      throw usageError(
        `no step "${id}" in this runbook (steps: ${[...known].join(", ")})`,
      );
  }
  if (selection.only && selection.only.length > 0) {
    const only = new Set(selection.only);
    return order.filter((s) => only.has(s.id));
  }
  const start = selection.from
    ? order.findIndex((s) => s.id === selection.from)
    : 0;
  const end = selection.to
    ? order.findIndex((s) => s.id === selection.to)
    : order.length - 1;
  if (selection.from && selection.to && end < start)
    throw usageError(
      `--to ${selection.to} comes before --from ${selection.from} in the execution order`,
    );
  return order.slice(start, end + 1);
}

/** What would run, in order, with targets resolved and secrets masked. Pure. */
export function planRunbook(runbook: Runbook, options: PlanOptions): Plan {
  const masked = (name: string): string | undefined =>
    options.secrets.has(name)
      ? options.lookup(name) === undefined
        ? undefined
        : "***"
      : options.lookup(name);
  const dbTarget = new Map(
    runbook.databases.map((d) => [
      d.name,
      maskUrl(resolveTemplate(d.url, masked).text),
    ]),
  );
  const hostTarget = new Map(
    runbook.hosts.map((h) => [h.name, resolveTemplate(h.ssh, masked).text]),
  );
  const soleDb =
    runbook.databases.length === 1 ? runbook.databases[0]?.name : undefined;

  const steps = selectSteps(executionOrder(runbook), options).map(
    (step): PlanStep => ({
      id: step.id,
      title: step.title,
      needs: step.needs,
      line: step.at.line,
      actions: step.actions.map((action) => {
        const base: { -readonly [K in keyof PlanAction]: PlanAction[K] } = {
          kind: action.kind,
          line: action.at.line,
        };
        if (!isCodeAction(action)) return base;
        const db =
          action.options.db ??
          (action.kind === "sql" || action.kind === "psql"
            ? soleDb
            : undefined);
        if (db !== undefined) base.db = db;
        if (action.options.on !== undefined) base.on = action.options.on;
        if (action.options.user !== undefined)
          base.user = resolveTemplate(action.options.user, masked).text;
        const target =
          action.kind === "file"
            ? resolveTemplate(action.path, masked).text
            : action.options.on !== undefined
              ? hostTarget.get(action.options.on)
              : db !== undefined
                ? dbTarget.get(db)
                : undefined;
        if (target !== undefined) base.target = target;
        if (action.options.only) base.only = action.options.only;
        if (action.options.confirm) base.confirm = true;
        if (action.options.capture) base.capture = action.options.capture;
        return base;
      }),
      checks: step.checks.map((check) => {
        const db = check.db ?? (check.kind === "sql" ? soleDb : undefined);
        return {
          kind: check.kind,
          line: check.at.line,
          ...(db !== undefined ? { db } : {}),
          ...(check.waitMs !== undefined
            ? { wait: formatDuration(check.waitMs) }
            : {}),
        };
      }),
    }),
  );
  return {
    title: runbook.title,
    file: runbook.file,
    mode: options.mode,
    params: options.params,
    steps,
  };
}
