import type { pg } from "../actions/index.js";
import { runReadOnlyCheck } from "../sql/index.js";

/** A catalog query of the preflight's own, inside a read-only transaction that is rolled back. */
export async function readOnlyQuery(
  client: pg.Client,
  sql: string,
  vars: Readonly<Record<string, string>> = {},
  timeoutMs = 10_000,
): Promise<(string | null)[][]> {
  const result = await runReadOnlyCheck(client, sql, {
    vars: new Map(Object.entries(vars)),
    timeoutMs,
  });
  return result.rows;
}

/** The first value of the first row, or undefined. */
export async function readOnlyValue(
  client: pg.Client,
  sql: string,
  vars: Readonly<Record<string, string>> = {},
): Promise<string | undefined> {
  const rows = await readOnlyQuery(client, sql, vars);
  return rows[0]?.[0] ?? undefined;
}
