import { usageError } from "../engine/model/index.js";

export interface SelectionFlags {
  readonly from?: string;
  readonly to?: string;
  readonly only?: readonly string[];
}

/** `--set a=1 --set b=two` → `{a: '1', b: 'two'}`. */
export function parseSets(
  sets: readonly string[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of sets ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw usageError(`--set expects name=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Commander's collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Like `collect`, but keeps commas (for `--set k=a,b`). */
export function collectRaw(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `--yes=all` is the one option whose value must be attached: `--yes FILE`
 * must not read FILE as the value. Rewrite it before commander sees it.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  return argv.map((arg) =>
    arg === "--yes=all"
      ? "--yes-all"
      : arg === "--yes=true" || arg === "--yes=steps"
        ? "--yes"
        : arg,
  );
}

/** The step selection flags, without undefined members (exactOptionalPropertyTypes). */
export function selectionOf(flags: SelectionFlags): SelectionFlags {
  return {
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    ...(flags.to !== undefined ? { to: flags.to } : {}),
    ...(flags.only !== undefined && flags.only.length > 0
      ? { only: flags.only }
      : {}),
  };
}
