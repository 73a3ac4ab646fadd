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
