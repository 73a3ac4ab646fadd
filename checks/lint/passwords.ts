/** A password written out in some text: where it starts and what it is. */
export interface PasswordUse {
  readonly offset: number;
  readonly value: string;
  readonly form: "url" | "conninfo" | "PGPASSWORD";
}

/**
 * Values that stand for a password rather than being one: variables and
 * expansions (`$pw`, `${pw}`, `:'pw'`, also inside, as in a `sed` pattern),
 * templates, `<…>`, `***`, `YOUR_PASSWORD`.
 */
export function isPlaceholder(value: string): boolean {
  return (
    value === "" ||
    /^(?::['"]?[A-Za-z_]|\{\{|<|%\(|\*+$|\.{3}$|x+$|your[_-])/i.test(value) ||
    /\$[{(A-Za-z_]/.test(value) ||
    /^[A-Z_]*(?:PASSWORD|PASSWD|SECRET|PASS)[A-Z_]*$/.test(value)
  );
}

const URL_USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/:@'"`]+):([^\s/@'"`]*)@/gi;
const CONNINFO =
  /\bpassword\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)"|([^\s'"&;,()]+))/gi;
const PGPASSWORD = /\bPGPASSWORD=(["']?)([^\s"';&|]*)/g;

/**
 * Passwords in URLs (`postgres://app:hunter2@host`), in connection strings
 * and configuration (`password=hunter2`, `--password=…`) and in
 * `PGPASSWORD=…`, unless the value is a variable (`${pw}`, `$PW`, `:'pw'`)
 * or a placeholder. `conninfo` is false for SQL, where `password = '…'` is
 * a comparison: there only strings that also name a host, database or user
 * are read as connection strings.
 */
export function findPasswords(
  text: string,
  options: { conninfo: "anywhere" | "in-sql-strings" },
): PasswordUse[] {
  const out: PasswordUse[] = [];
  for (const m of text.matchAll(URL_USERINFO)) {
    const value = m[2] ?? "";
    if (isPlaceholder(value)) continue;
    out.push({
      offset: (m.index ?? 0) + m[0].indexOf("//") + 2 + (m[1]?.length ?? 0) + 1,
      value,
      form: "url",
    });
  }
  const conninfo = (segment: string, base: number): void => {
    for (const m of segment.matchAll(CONNINFO)) {
      const value = m[1] ?? m[2] ?? m[3] ?? "";
      const end = (m.index ?? 0) + m[0].length;
      if (
        isPlaceholder(value) ||
        segment[end] === "(" ||
        segment[end] === "[" ||
        segment[end] === "."
      )
        continue;
      out.push({
        offset:
          base +
          (m.index ?? 0) +
          m[0].length -
          value.length -
          (m[3] === undefined ? 1 : 0),
        value,
        form: "conninfo",
      });
    }
  };
  if (options.conninfo === "anywhere") {
    conninfo(text, 0);
    for (const m of text.matchAll(PGPASSWORD)) {
      const value = m[2] ?? "";
      if (isPlaceholder(value)) continue;
      out.push({
        offset: (m.index ?? 0) + "PGPASSWORD=".length + (m[1]?.length ?? 0),
        value,
        form: "PGPASSWORD",
      });
    }
  } else {
    for (const m of text.matchAll(/'(?:[^']|'')*'/g)) {
      if (/\b(?:host|hostaddr|dbname|user|port)\s*=/i.test(m[0]))
        conninfo(m[0], m.index ?? 0);
    }
  }
  return out;
}
