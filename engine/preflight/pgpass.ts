import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * The password libpq would take from the password file for a connection
 * (PGPASSFILE, else ~/.pgpass; ignored unless private to its owner, as libpq
 * does): `host:port:database:user:password` lines, `*` matching anything,
 * `\:` and `\\` escaped. Read here so that a URL without a password
 * connects as psql would, without node-postgres's deprecated fallback.
 */
export function pgpassPassword(
  o: { host: string; port: string; database: string; user: string },
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const file =
    env["PGPASSFILE"] ||
    (env["HOME"] ? path.join(env["HOME"], ".pgpass") : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const host = o.host === "" || o.host.startsWith("/") ? "localhost" : o.host;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const [h = "", p = "", d = "", u = ""] = fields;
    const want = [host, o.port, o.database, o.user];
    if ([h, p, d, u].every((f, i) => f === "*" || f === want[i]))
      return fields.slice(4).join(":");
  }
  return undefined;
}

function splitFields(line: string): string[] {
  const out: string[] = [];
  let field = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length) field += line[++i];
    else if (c === ":" && out.length < 4) {
      out.push(field);
      field = "";
    } else field += c;
  }
  out.push(field);
  return out;
}
