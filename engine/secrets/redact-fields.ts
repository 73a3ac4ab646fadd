/**
 * Fields that name things the runbook or the engine defines (ids, kinds,
 * states, variable names, timestamps), never a value: they are left as they
 * are, so that a secret that happens to be a substring of a step id cannot
 * break the id a reporter or `resume` looks up.
 */
const IDENTIFIERS = new Set([
  "type",
  "v",
  "at",
  "runId",
  "stepId",
  "step",
  "kind",
  "state",
  "status",
  "answer",
  "by",
  "stream",
  "level",
  "name",
  "source",
  "mode",
  "hash",
  "id",
  "yes",
  "secret",
  "masked",
  "changed",
  "from",
  "to",
  "only",
  "unknown",
]);

/**
 * A copy of `value` (an event or a journal entry: plain data) with every
 * string masked by `redact`, at any depth, except identifier fields. Objects
 * and arrays are copied only where something changed.
 */
export function redactFields<T>(value: T, redact: (text: string) => string): T {
  return walk(value, redact) as T;
}

function walk(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(item, redact);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (value !== null && typeof value === "object") {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      if (IDENTIFIERS.has(key)) continue;
      const next = walk(item, redact);
      if (next !== item)
        (out ??= { ...(value as Record<string, unknown>) })[key] = next;
    }
    return out ?? value;
  }
  return value;
}
