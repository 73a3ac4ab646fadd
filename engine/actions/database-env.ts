/**
 * The libpq environment for a database URL (SPEC 1.3: shell blocks with
 * `db=` get PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and DATABASE_URL).
 */
export function databaseEnv(url: string): Record<string, string> {
  const env: Record<string, string> = { DATABASE_URL: url };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return env;
  }
  const host =
    decodeURIComponent(u.hostname.replace(/^\[|\]$/g, "")) ||
    u.searchParams.get("host") ||
    "";
  if (host) env["PGHOST"] = host;
  if (u.port) env["PGPORT"] = u.port;
  if (u.username) env["PGUSER"] = decodeURIComponent(u.username);
  if (u.password) env["PGPASSWORD"] = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (database) env["PGDATABASE"] = database;
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) env["PGSSLMODE"] = sslmode;
  return env;
}
