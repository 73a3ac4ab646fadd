import { plural } from "../model/index.js";
import {
  scanPsqlVariables,
  substitutePsqlVariables,
} from "./psql-variables.js";
import { readOnlyViolation } from "./read-only.js";
import { parseSql } from "./sql-parser.js";

/**
 * A check's SQL cannot run as a read-only check; nothing of it was sent, or
 * what was sent has been rolled back. The message never holds a variable's
 * value (it may be a secret).
 */
export class ReadOnlyCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReadOnlyCheckError";
  }
}

/**
 * The part of a node-postgres client a check needs. `queryMode: 'extended'`
 * sends a statement with the extended protocol, where the server itself
 * refuses more than one statement per message.
 */
export interface ReadOnlyClient {
  query(config: {
    text: string;
    rowMode: "array";
    queryMode?: "extended";
  }): Promise<unknown>;
  /** The transaction status of the last ReadyForQuery: `I` idle, `T` in a transaction, `E` in a failed one. */
  getTransactionStatus(): string | null;
}

/** What a check's SQL returned: the columns and rows of its last statement that has columns, as text. */
export interface CheckRows {
  readonly columns: string[];
  /** Whether each column is a boolean (`t`/`f` compares as `true`/`false`). */
  readonly booleans: boolean[];
  readonly rows: (string | null)[][];
}

/** Options of {@link runReadOnlyCheck}. */
export interface ReadOnlyCheckOptions {
  /** The run's variables, substituted as psql does (`:'name'`, `:"name"`, `:name`). */
  readonly vars: ReadonlyMap<string, string>;
  /** `statement_timeout` of the check's transaction, in milliseconds. */
  readonly timeoutMs: number;
}

interface Result {
  command?: string;
  fields?: { name: string; dataTypeID: number }[];
  rows?: (string | null)[][];
}

/** A check's statements, substituted and checked, and whether they can be sent in one message. */
export interface PreparedCheck {
  readonly statements: string[];
  /**
   * No statement took a raw `:name` (only quoted `:'name'`/`:"name"`, or no
   * variable): its text is the one the parser read, or that text with
   * literals and identifiers put in, which cannot add or end a statement
   * however the server reads them. Such a check runs in one round trip.
   */
  readonly oneMessage: boolean;
}

const BOOL_OID = 16;

/**
 * Splits a check's SQL with the real PostgreSQL parser and substitutes the
 * run's variables into each statement, refusing (before anything runs) a
 * statement that could leave a read-only transaction (see
 * {@link readOnlyViolation}), and a statement that substitution turns into
 * something else than one such statement (a raw `:name` whose value holds
 * `; COMMIT`). Requires `loadSqlParser()` to have resolved.
 */
export function prepareReadOnlyStatements(
  sql: string,
  vars: ReadonlyMap<string, string>,
): string[] {
  return prepareReadOnlyCheck(sql, vars).statements;
}

/** {@link prepareReadOnlyStatements}, and whether the statements may share one message. */
export function prepareReadOnlyCheck(
  sql: string,
  vars: ReadonlyMap<string, string>,
): PreparedCheck {
  const parsed = parseSql(sql);
  if ("error" in parsed)
    throw new ReadOnlyCheckError(
      `SQL syntax error at line ${parsed.error.line} of the check: ${parsed.error.message}`,
    );
  const out: string[] = [];
  let oneMessage = true;
  for (const statement of parsed.statements) {
    const refused = readOnlyViolation(statement.tree);
    if (refused)
      throw new ReadOnlyCheckError(
        `line ${statement.line} of the check: ${refused.message}`,
      );
    const text = substitutePsqlVariables(statement.text, vars, {
      onUndefined: "error",
    });
    if (text !== statement.text) {
      if (
        scanPsqlVariables(statement.text).some(
          (use) => use.syntax === "psql-raw" && vars.has(use.name),
        )
      )
        oneMessage = false;
      const again = parseSql(text, { variables: [] });
      const one =
        "error" in again || again.statements.length !== 1
          ? undefined
          : again.statements[0];
      const substituted = one ? readOnlyViolation(one.tree) : undefined;
      if (substituted)
        throw new ReadOnlyCheckError(
          `line ${statement.line} of the check, with its psql variables substituted: ${substituted.message}`,
        );
      if (!one) {
        const raw = scanPsqlVariables(statement.text)
          .filter((use) => use.syntax === "psql-raw" && vars.has(use.name))
          .map((use) => `:${use.name}`);
        const why =
          raw.length > 0
            ? `: ${[...new Set(raw)].join(", ")} pasted as SQL text; write :'name' for a value or :"name" for a name`
            : "";
        throw new ReadOnlyCheckError(
          `line ${statement.line} of the check is no longer one statement once its psql variables are substituted${why}`,
        );
      }
    }
    out.push(text);
  }
  return { statements: out, oneMessage };
}

/**
 * Runs a SQL check so that it cannot change anything (SPEC 1.4): its
 * statements are prepared by {@link prepareReadOnlyStatements} before
 * anything is sent; then `BEGIN READ ONLY` with the statement timeout, and a
 * first query that takes the transaction's snapshot (after which PostgreSQL
 * refuses to make it read-write); then each statement on its own with the
 * extended protocol (one statement per message, enforced by the server),
 * checking after each that the transaction is still open; and always
 * `ROLLBACK`, which also undoes any `SET` the check made. Throws the
 * server's error, or a {@link ReadOnlyCheckError}.
 */
export async function runReadOnlyCheck(
  client: ReadOnlyClient,
  sql: string,
  options: ReadOnlyCheckOptions,
): Promise<CheckRows> {
  const { statements, oneMessage } = prepareReadOnlyCheck(sql, options.vars);
  const timeout = Math.max(1, Math.round(options.timeoutMs));
  if (oneMessage && statements.length > 0)
    return runInOneMessage(client, statements, timeout);
  let failure: unknown;
  try {
    const begun = await client.query({
      text: BEGIN(timeout),
      rowMode: "array",
    });
    const snapshot = (
      Array.isArray(begun) ? (begun as Result[]).at(-1) : (begun as Result)
    )?.rows?.[0]?.[0];
    if (snapshot !== "on" || client.getTransactionStatus() !== "T")
      throw new ReadOnlyCheckError(
        "the check could not start a read-only transaction",
      );
    let last: Result = {};
    for (const [index, text] of statements.entries()) {
      const result = (await client.query({
        text,
        rowMode: "array",
        queryMode: "extended",
      })) as Result;
      if (client.getTransactionStatus() !== "T") {
        throw new ReadOnlyCheckError(
          `statement ${index + 1} of the check left its read-only transaction; nothing after it ran`,
        );
      }
      if (result.fields && result.fields.length > 0) last = result;
    }
    const fields = last.fields ?? [];
    return {
      columns: fields.map((f) => f.name),
      booleans: fields.map((f) => f.dataTypeID === BOOL_OID),
      rows: last.rows ?? [],
    };
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await client
      .query({ text: "ROLLBACK", rowMode: "array" })
      .catch((error: unknown) => {
        // The connection is gone or unusable: report that, unless the check had already failed.
        if (failure === undefined) throw error;
      });
  }
}

const BEGIN = (timeout: number): string =>
  `BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeout}; SELECT pg_catalog.current_setting('transaction_read_only')`;

/**
 * The one-round-trip form, for statements the parser read as they will be
 * sent (see {@link PreparedCheck}): `BEGIN READ ONLY`, the timeout, the
 * snapshot query, the statements and `ROLLBACK` in one simple-protocol
 * message. The server runs them in order and stops at the first error, so
 * nothing of the check runs unless the read-only transaction has begun and
 * taken its snapshot. Then the results are read back: exactly one per
 * statement sent, the snapshot read-only, every statement of the check
 * answered by a command that stays in the transaction, the last one
 * `ROLLBACK`, and the connection idle again; anything else is an error. After
 * an error the transaction is rolled back in a second message.
 */
async function runInOneMessage(
  client: ReadOnlyClient,
  statements: readonly string[],
  timeout: number,
): Promise<CheckRows> {
  let results: Result[];
  try {
    const answer = await client.query({
      text: `${BEGIN(timeout)};\n${statements.join(";\n")};\nROLLBACK`,
      rowMode: "array",
    });
    results = Array.isArray(answer) ? (answer as Result[]) : [answer as Result];
  } catch (error) {
    await client
      .query({ text: "ROLLBACK", rowMode: "array" })
      .catch(() => undefined);
    throw error;
  }
  const expected = statements.length + 4;
  const own = results.slice(3, 3 + statements.length);
  const left = own.findIndex((r) =>
    TRANSACTION_COMMANDS.has((r.command ?? "").toUpperCase()),
  );
  if (
    results.length !== expected ||
    results[2]?.rows?.[0]?.[0] !== "on" ||
    left !== -1 ||
    results.at(-1)?.command !== "ROLLBACK" ||
    client.getTransactionStatus() !== "I"
  ) {
    if (client.getTransactionStatus() !== "I")
      await client
        .query({ text: "ROLLBACK", rowMode: "array" })
        .catch(() => undefined);
    throw new ReadOnlyCheckError(
      left !== -1
        ? `statement ${left + 1} of the check left its read-only transaction`
        : `the server did not run the check as ${plural(statements.length, "statement")} in a read-only transaction (${results.length} results for ${expected} statements sent)`,
    );
  }
  let last: Result = {};
  for (const r of own) if (r.fields && r.fields.length > 0) last = r;
  const fields = last.fields ?? [];
  return {
    columns: fields.map((f) => f.name),
    booleans: fields.map((f) => f.dataTypeID === BOOL_OID),
    rows: last.rows ?? [],
  };
}

/** Command tags of statements that end or start a transaction (the parser refuses them in a check). */
const TRANSACTION_COMMANDS = new Set([
  "BEGIN",
  "START TRANSACTION",
  "COMMIT",
  "ROLLBACK",
  "END",
  "ABORT",
  "PREPARE TRANSACTION",
  "COMMIT PREPARED",
  "ROLLBACK PREPARED",
  "SAVEPOINT",
  "RELEASE",
]);
