/**
 * Functions whose effect a read-only transaction does not stop, and that
 * its rollback does not undo (SPEC 1.4, "a check never changes anything";
 * docs/decisions.md, "A check's side effects are refused like a transaction
 * escape"). PostgreSQL refuses table writes, `nextval()` and `setval()`
 * inside `BEGIN READ ONLY`; it runs these. Each maps to what it does, for
 * the message.
 */
const FUNCTIONS: Record<string, string> = {
  pg_terminate_backend: "ends another session",
  pg_cancel_backend: "cancels another session's query",
  pg_reload_conf: "reloads the server's configuration",
  pg_promote: "promotes a standby to primary",
  pg_switch_wal: "switches to a new WAL file",
  pg_switch_xlog: "switches to a new WAL file",
  pg_create_restore_point: "writes a restore point into the WAL",
  pg_rotate_logfile: "rotates the server's log file",
  pg_rotate_logfile_old: "rotates the server's log file",
  pg_wal_replay_pause: "pauses a standby's recovery",
  pg_wal_replay_resume: "resumes a standby's recovery",
  pg_xlog_replay_pause: "pauses a standby's recovery",
  pg_xlog_replay_resume: "resumes a standby's recovery",
  pg_backup_start: "starts a backup",
  pg_backup_stop: "stops a backup",
  pg_start_backup: "starts a backup",
  pg_stop_backup: "stops a backup",
  pg_logical_emit_message: "writes a message into the WAL",
  pg_logical_slot_get_changes: "consumes a replication slot's changes",
  pg_logical_slot_get_binary_changes: "consumes a replication slot's changes",
  pg_replication_slot_advance: "advances a replication slot",
  pg_sync_replication_slots: "synchronises replication slots",
  pg_file_write: "writes a file on the server",
  pg_file_rename: "renames a file on the server",
  pg_file_unlink: "removes a file on the server",
  pg_file_sync: "syncs a file on the server",
  lo_export: "writes a file on the server",
  pg_advisory_lock: "takes a session lock that outlives the check",
  pg_advisory_lock_shared: "takes a session lock that outlives the check",
  pg_try_advisory_lock: "takes a session lock that outlives the check",
  pg_try_advisory_lock_shared: "takes a session lock that outlives the check",
  pg_advisory_unlock: "releases a session's lock",
  pg_advisory_unlock_shared: "releases a session's lock",
  pg_advisory_unlock_all: "releases a session's locks",
};

const PREFIXES: readonly (readonly [string, string])[] = [
  ["pg_create_", "creates a replication slot"],
  ["pg_drop_", "drops a replication slot"],
  ["pg_copy_", "copies a replication slot"],
  ["pg_replication_origin_create", "creates a replication origin"],
  ["pg_replication_origin_drop", "drops a replication origin"],
  ["pg_replication_origin_advance", "advances a replication origin"],
  [
    "pg_replication_origin_session_",
    "changes the session's replication origin",
  ],
  [
    "pg_replication_origin_xact_",
    "changes the transaction's replication origin",
  ],
  ["pg_stat_reset", "resets statistics"],
  ["pg_stat_statements_reset", "resets statistics"],
  [
    "dblink",
    "runs SQL on another connection, outside the read-only transaction",
  ],
];

/** What a built-in function (lower-case name) does that a read-only transaction allows, or undefined. */
export function sideEffectOf(name: string): string | undefined {
  return (
    FUNCTIONS[name] ?? PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1]
  );
}

/**
 * Functions that change something, but that a read-only transaction
 * refuses (`nextval()`, `setval()`, large-object writes, `pg_notify()`) or
 * whose change it confines (`set_config()`), plus those that assign a
 * transaction id or only write to the server's log.
 */
const STOPPED_BY_READ_ONLY = new Set([
  "nextval",
  "setval",
  "set_config",
  "pg_notify",
  "txid_current",
  "pg_current_xact_id",
  "lowrite",
  "pg_import_system_collations",
  "pg_log_backend_memory_contexts",
  "lo_import",
  "lo_unlink",
  "lo_create",
  "lo_creat",
  "lo_put",
  "lo_from_bytea",
  "lo_truncate",
  "lo_truncate64",
]);

/**
 * Whether a call of the built-in function `name` (lower case) changes the
 * database or the server in any transaction: every function of
 * {@link sideEffectOf}, and those a read-only transaction stops. The one
 * list behind a check's refusals, preflight's read-only prefix and lint's
 * "this step changes a database".
 */
export function changesSomething(name: string): boolean {
  return sideEffectOf(name) !== undefined || STOPPED_BY_READ_ONLY.has(name);
}
