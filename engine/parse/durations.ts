const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * The longest duration runbook accepts: 24 days. Node.js timers hold at most
 * 2^31-1 ms (24.8 days); a longer one fires at once, so `timeout=600h` would
 * kill a step as it starts.
 */
export const MAX_DURATION_MS = 24 * 24 * UNITS["h"]!;

/**
 * Parses `500ms`, `30s`, `10m`, `1h` or `1.5s` into milliseconds; a bare
 * number is seconds. Returns undefined for anything else.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const ms = Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1000);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** A duration attribute's value, or a message an operator can act on. */
export type DurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string };

/**
 * Reads the value of a duration attribute (`timeout=`, `retry-delay=`,
 * `wait=`, `every=`): a duration no longer than {@link MAX_DURATION_MS}.
 * The parser uses it, and so does the run for a value that `${name}` fills
 * in when its step starts.
 */
export function readDuration(key: string, text: string): DurationResult {
  const ms = parseDuration(text);
  if (ms === undefined)
    return {
      ok: false,
      message: `${key}="${text}" is not a duration: write 500ms, 30s, 10m or 1h`,
    };
  if (ms > MAX_DURATION_MS) {
    return {
      ok: false,
      message: `${key}="${text}" is longer than 24 days, the longest a timer can wait (Node.js timers overflow at 2^31-1 ms and would fire at once): use at most 576h`,
    };
  }
  return { ok: true, ms };
}
