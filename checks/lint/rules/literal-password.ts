import {
  diagnostic,
  locateOffset,
  type Diagnostic,
  type SourceLocation,
} from "../../../engine/model/index.js";
import {
  findPasswords,
  isPlaceholder,
  type PasswordUse,
} from "../passwords.js";
import { blockLocator } from "../snippets.js";
import { passwordOptionLocations } from "../sql-tree.js";
import type { LintContext, LintRule, Snippet } from "../types.js";

const FIX =
  "declare a secret param (params: { name: { secret: true } }) and use it";

/**
 * A password written into the runbook, where anyone who can read the
 * repository can read it: `PASSWORD '…'` in CREATE/ALTER ROLE or USER and
 * `password '…'` in OPTIONS (from the parse tree), a password in a URL or a
 * connection string (front matter, code, file blocks), `PGPASSWORD=…` in
 * shell, and a default value for a secret param. A psql variable
 * (`PASSWORD :'pw'`), `${pw}`, `$PW` and SCRAM/MD5 hashes are fine.
 */
export const literalPassword: LintRule = {
  id: "literal-password",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const snippet of ctx.snippets) {
      if (snippet.language !== "shell") out.push(...sqlPasswords(ctx, snippet));
      // The text as written: a `<password>` placeholder is a placeholder finding, not a password.
      const uses = findPasswords(snippet.text, {
        conninfo: snippet.language === "shell" ? "anywhere" : "in-sql-strings",
      });
      for (const use of uses)
        out.push(report(snippet.locate(...pos(snippet.text, use.offset)), use));
    }
    for (const step of ctx.runbook.steps) {
      for (const action of step.actions) {
        if (action.kind !== "file") continue;
        const locate = blockLocator(action.codeAt, action.code);
        for (const use of findPasswords(action.code, { conninfo: "anywhere" }))
          out.push(report(locate(...pos(action.code, use.offset)), use));
      }
    }
    for (const db of ctx.runbook.databases) {
      for (const use of findPasswords(db.url, { conninfo: "anywhere" })) {
        const needle = use.form === "url" ? `:${use.value}@` : use.value;
        const at = ctx.source.find(db.at, needle, 8);
        out.push(
          report(
            at === db.at
              ? at
              : { ...at, column: at.column + (use.form === "url" ? 1 : 0) },
            use,
            `the URL of database "${db.name}"`,
          ),
        );
      }
    }
    for (const param of ctx.runbook.params) {
      if (
        !param.secret ||
        param.default === undefined ||
        isPlaceholder(param.default)
      )
        continue;
      const at = ctx.source.find(param.at, "default", 6);
      out.push(
        diagnostic(
          at,
          "warning",
          "literal-password",
          `secret param "${param.name}" has a default value written in the runbook: give it at run time (--set, the environment or the prompt), or use rehearsal: for a rehearsal value`,
        ),
      );
    }
    return out;
  },
};

function report(
  at: SourceLocation,
  use: PasswordUse,
  where?: string,
): Diagnostic {
  const what =
    use.form === "url"
      ? "a password in a URL"
      : use.form === "PGPASSWORD"
        ? "a password in PGPASSWORD"
        : "a password in a connection string";
  return diagnostic(
    at,
    "error",
    "literal-password",
    `literal password: ${what}${where ? ` (${where})` : ""}; ${FIX}, like \${name} or "$name"`,
  );
}

function pos(text: string, offset: number): [number, number] {
  const { line, column } = locateOffset(text, offset);
  return [line, column];
}

/** `PASSWORD '…'` options, told apart from `PASSWORD :'pw'` by the text at the option. */
function sqlPasswords(ctx: LintContext, snippet: Snippet): Diagnostic[] {
  const out: Diagnostic[] = [];
  const analysis = ctx.sql(snippet);
  for (const statement of analysis.statements) {
    for (const location of passwordOptionLocations(statement.tree)) {
      const start = analysis.locate(location)?.offset;
      if (start === undefined) continue;
      const rest = snippet.text.slice(start);
      const keyword = /^(?:(?:un)?encrypted\s+)?password\s+/i.exec(rest);
      if (!keyword) continue;
      const literal = /^[eE]?'((?:[^']|'')*)'|^\$([A-Za-z_]*)\$/.exec(
        rest.slice(keyword[0].length),
      );
      if (!literal) continue;
      const value = literal[1] ?? "";
      if (/^SCRAM-SHA-256\$|^md5[0-9a-f]{32}$|^<[^<>]+>$/.test(value)) continue;
      const at = snippet.locate(
        ...pos(snippet.code, start + keyword[0].length),
      );
      out.push(
        diagnostic(
          at,
          "error",
          "literal-password",
          `literal password in SQL; ${FIX} as :'name' (PASSWORD :'name')`,
        ),
      );
    }
  }
  return out;
}
