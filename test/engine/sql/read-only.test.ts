import { beforeAll, describe, expect, it } from "vitest";
import {
  loadSqlParser,
  prepareReadOnlyStatements,
  readOnlyViolation,
  splitStatementsSync,
  ReadOnlyCheckError,
} from "../../../engine/sql/index.js";

beforeAll(() => loadSqlParser());

/** The violation of each statement of `sql`, as the statement it names (undefined: allowed). */
function violations(sql: string): (string | undefined)[] {
  return splitStatementsSync(sql).map(
    (s) => readOnlyViolation(s.tree)?.statement,
  );
}

describe("what could leave a read-only transaction (SPEC 1.4)", () => {
  it.each([
    ["BEGIN", "BEGIN"],
    ["START TRANSACTION READ WRITE", "START TRANSACTION"],
    ["COMMIT", "COMMIT"],
    ["END", "COMMIT"],
    ["COMMIT AND CHAIN", "COMMIT"],
    ["ROLLBACK", "ROLLBACK"],
    ["ABORT", "ROLLBACK"],
    ["SAVEPOINT a", "SAVEPOINT"],
    ["RELEASE SAVEPOINT a", "RELEASE SAVEPOINT"],
    ["ROLLBACK TO SAVEPOINT a", "ROLLBACK TO SAVEPOINT"],
    ["PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"],
    ["COMMIT PREPARED 'x'", "COMMIT PREPARED"],
    ["ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"],
    ["SET transaction_read_only = off", "SET transaction_read_only"],
    ["SET LOCAL Transaction_Read_Only TO DEFAULT", "SET transaction_read_only"],
    [
      "SET SESSION default_transaction_read_only = false",
      "SET default_transaction_read_only",
    ],
    [
      "RESET default_transaction_read_only",
      "RESET default_transaction_read_only",
    ],
    ['RESET "transaction_read_only"', "RESET transaction_read_only"],
    ["SET transaction_read_only FROM CURRENT", "SET transaction_read_only"],
    ["RESET ALL", "RESET ALL"],
    [
      "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
      "SET SESSION CHARACTERISTICS",
    ],
    [
      "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE",
      "SET SESSION CHARACTERISTICS",
    ],
    ["SET TRANSACTION READ WRITE", "SET TRANSACTION READ WRITE"],
    [
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE",
      "SET TRANSACTION READ WRITE",
    ],
    ["DO $$ BEGIN END $$", "DO"],
    ["CALL refresh_all()", "CALL"],
    [
      "SELECT set_config('transaction_read_only', 'off', false)",
      "set_config('transaction_read_only', …)",
    ],
    [
      "SELECT pg_catalog.set_config('DEFAULT_TRANSACTION_READ_ONLY'::text, 'off', true)",
      "set_config('default_transaction_read_only', …)",
    ],
    [
      "SELECT 1 WHERE EXISTS (SELECT set_config('transaction_read_only', 'off', false))",
      "set_config('transaction_read_only', …)",
    ],
    [
      "EXPLAIN ANALYZE SELECT set_config('transaction_read_only', 'off', false)",
      "set_config('transaction_read_only', …)",
    ],
    // Side effects a read-only transaction lets through and its rollback does not undo (docs/decisions.md).
    [
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app'",
      "pg_terminate_backend()",
    ],
    ["SELECT pg_catalog.pg_cancel_backend(42)", "pg_cancel_backend()"],
    ["SELECT PG_RELOAD_CONF()", "pg_reload_conf()"],
    ["SELECT pg_promote(true, 60)", "pg_promote()"],
    ["SELECT pg_walfile_name(pg_switch_wal())", "pg_switch_wal()"],
    ["SELECT pg_create_restore_point('x')", "pg_create_restore_point()"],
    [
      "SELECT * FROM pg_create_physical_replication_slot('s')",
      "pg_create_physical_replication_slot()",
    ],
    [
      "SELECT count(*) FROM pg_logical_slot_get_changes('s', NULL, NULL)",
      "pg_logical_slot_get_changes()",
    ],
    ["SELECT pg_advisory_lock(1)", "pg_advisory_lock()"],
    [
      "SELECT pg_try_advisory_lock_shared(1, 2)",
      "pg_try_advisory_lock_shared()",
    ],
    ["SELECT pg_advisory_unlock_all()", "pg_advisory_unlock_all()"],
    ["SELECT pg_stat_reset()", "pg_stat_reset()"],
    ["SELECT lo_export(16400, '/tmp/x')", "lo_export()"],
    [
      "SELECT * FROM dblink('dbname=app', 'DELETE FROM t RETURNING 1') AS t(x int)",
      "dblink()",
    ],
    ["SELECT 1 WHERE EXISTS (SELECT pg_reload_conf())", "pg_reload_conf()"],
    ["COPY (SELECT 1) TO PROGRAM 'touch /tmp/pwned'", "COPY … TO PROGRAM"],
    ["COPY t FROM PROGRAM 'cat /etc/passwd'", "COPY … FROM PROGRAM"],
    ["COPY (SELECT 1) TO '/tmp/out.csv'", "COPY … TO 'file'"],
    ["LOAD 'auto_explain'", "LOAD"],
  ])("%s is refused (%s)", (sql, statement) => {
    expect(violations(sql)).toEqual([statement]);
  });

  it.each([
    "SELECT 1",
    "SELECT 'COMMIT; BEGIN'",
    "-- COMMIT\nSELECT 1",
    "SHOW transaction_read_only",
    "SELECT current_setting('transaction_read_only')",
    "SELECT set_config('search_path', 'public', true)",
    "SET search_path = public",
    "SET LOCAL statement_timeout = 1000",
    "SET TRANSACTION READ ONLY",
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    "EXPLAIN SELECT 1",
    "WITH x AS (SELECT 1) SELECT * FROM x",
    // Reads, and locks that end with the check's transaction.
    "SELECT pg_try_advisory_xact_lock(1)",
    "SELECT pg_current_wal_lsn(), pg_is_in_recovery(), pg_last_wal_replay_lsn()",
    "SELECT * FROM pg_replication_slots",
    "SELECT pg_replication_origin_oid('x')",
    "SELECT pg_stat_get_numscans(1259)",
    "COPY (SELECT 1) TO STDOUT",
    "SELECT 'pg_reload_conf()'",
  ])("%s is allowed", (sql) => {
    expect(violations(sql)).toEqual(
      splitStatementsSync(sql).map(() => undefined),
    );
  });

  it("names the place of each statement that is refused", () => {
    expect(violations("COMMIT; CREATE TABLE escaped(x int); SELECT 1")).toEqual(
      ["COMMIT", undefined, undefined],
    );
  });

  it("says what to do in its message", () => {
    const [commit] = splitStatementsSync("COMMIT");
    expect(readOnlyViolation(commit?.tree)?.message).toMatch(
      /COMMIT would end the check's read-only transaction/,
    );
  });
});

describe("preparing a check for a run", () => {
  const vars = new Map([
    ["name", "pg_class"],
    ["evil", "1; COMMIT; CREATE TABLE escaped(x int)"],
    ["n", "2"],
  ]);

  it("splits with the real parser and substitutes psql variables, quoted", () => {
    expect(
      prepareReadOnlyStatements(
        "SELECT 1; SELECT :'name' AS x, ';' AS y;\n-- done\n",
        vars,
      ),
    ).toEqual(["SELECT 1", "SELECT 'pg_class' AS x, ';' AS y"]);
    expect(prepareReadOnlyStatements("SELECT :n + 1", vars)).toEqual([
      "SELECT 2 + 1",
    ]);
  });

  it("refuses what the value of a raw :variable turns into more statements", () => {
    expect(() => prepareReadOnlyStatements("SELECT :evil", vars)).toThrow(
      ReadOnlyCheckError,
    );
    expect(() => prepareReadOnlyStatements("SELECT :evil", vars)).toThrow(
      /:evil|more than one statement|COMMIT/,
    );
  });

  it("refuses transaction control before anything runs", () => {
    expect(() =>
      prepareReadOnlyStatements(
        "COMMIT; CREATE TABLE escaped(x int); SELECT 1",
        vars,
      ),
    ).toThrow(/COMMIT/);
  });

  it("reports SQL that does not parse, and undefined variables", () => {
    expect(() => prepareReadOnlyStatements("SELEC 1", vars)).toThrow(
      /syntax error/,
    );
    expect(() => prepareReadOnlyStatements("SELECT :'nope'", vars)).toThrow(
      /nope/,
    );
  });

  it("has nothing to run for comments only", () => {
    expect(prepareReadOnlyStatements("-- nothing", vars)).toEqual([]);
  });
});
