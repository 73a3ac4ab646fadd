/**
 * `3 steps`, `1 step`: a count with its noun, the one place that knows English
 * plurals (`many` for the irregular ones: `plural(n, 'info', 'infos')`,
 * `plural(n, 'step was', 'steps were')`). `noun` alone (without the count)
 * is {@link pluralNoun}.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${pluralNoun(n, one, many)}`;
}

/** The noun alone, singular or plural by `n` (`line`/`lines`, `it`/`them`). */
export function pluralNoun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `1500` → `1.5s`, `90000` → `1m30s`: short and exact enough for a terminal. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000)
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0).replace(/\.0$/, "")}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  if (m < 60) return s ? `${m}m${s}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}
