/**
 * `value` as an SQL string literal, exactly as libpq's PQescapeLiteral (and so
 * psql's `:'name'`) writes it: quotes doubled; when the value holds a
 * backslash, the ` E'…'` form with backslashes doubled, which reads the same
 * whatever `standard_conforming_strings` is, and with a leading space so it
 * cannot merge with an identifier written just before it.
 */
export function quoteLiteral(value: string): string {
  const body = value.replace(/['\\]/g, "$&$&");
  return value.includes("\\") ? ` E'${body}'` : `'${body}'`;
}

/** `value` as a quoted SQL identifier, as PQescapeIdentifier (psql's `:"name"`) writes it. */
export function quoteIdentifier(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
