/**
 * What test/runbooks rehearses: every runbook of runbooks/ and examples/ as
 * written, and for each a deliberately broken copy with the step where the
 * rehearsal must stop.
 */

/** A broken copy of a runbook: how to break it, and the step that must catch it. */
export interface Mutation {
  /** The runbook, relative to the project root. */
  readonly file: string;
  /** What the mutation breaks, in a few words (shown in the test name). */
  readonly breaks: string;
  /** The id of the step that must fail. */
  readonly failsAt: string;
  /** The broken text; throws when the text it edits is not there. */
  readonly mutate: (text: string) => string;
  /** Roughly how long the broken rehearsal takes, to start the slow ones first. */
  readonly slowSeconds?: number;
}

/** `text` with `old` replaced by `replacement`; `old` must occur exactly once. */
export function replaceOnce(
  text: string,
  old: string,
  replacement: string,
): string {
  const at = text.indexOf(old);
  if (at < 0 || text.indexOf(old, at + old.length) >= 0) {
    throw new Error(
      `the mutation expects exactly one occurrence of ${JSON.stringify(old.slice(0, 80))}`,
    );
  }
  return text.slice(0, at) + replacement + text.slice(at + old.length);
}

/** `text` with `insert` placed just before the `## heading` line. */
export function insertBeforeHeading(
  text: string,
  heading: string,
  insert: string,
): string {
  return replaceOnce(
    text,
    `\n## ${heading}\n`,
    `\n${insert.trim()}\n\n## ${heading}\n`,
  );
}

/** `text` without the section that starts at `## heading` (up to the next `## `). */
export function removeSection(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0)
    throw new Error(`the mutation expects a section "## ${heading}"`);
  const next = text.indexOf("\n## ", start + 1);
  return text.slice(0, start + 1) + (next < 0 ? "" : text.slice(next + 1));
}

/** Writes 16 random bytes into the middle of a file: a shell line for a mutated step. */
function corrupt(file: string): string {
  return `size=$(stat -c %s "${file}"); head -c 16 /dev/urandom | dd of="${file}" bs=1 seek=$((size / 2)) conv=notrunc status=none`;
}

export const MUTATIONS: readonly Mutation[] = [
  // runbooks/
  {
    file: "runbooks/major-upgrade-dump-restore.md",
    breaks: "the dump is corrupted on its way to the new server",
    failsAt: "verify-the-copy-on-the-new-server",
    mutate: (t) =>
      replaceOnce(
        t,
        'cp "$work/all.sql.gz" "$work/all.sql.gz.sha256" "$RUNBOOK_SANDBOX_DIR/new-host/"\n',
        `cp "$work/all.sql.gz" "$work/all.sql.gz.sha256" "$RUNBOOK_SANDBOX_DIR/new-host/"\n${corrupt("$RUNBOOK_SANDBOX_DIR/new-host/all.sql.gz")}\n`,
      ),
  },
  {
    file: "runbooks/major-upgrade-dump-restore.md",
    breaks: "a writer the maintenance missed deletes rows after the inventory",
    failsAt: "compare-the-new-server-with-the-inventory",
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Dump every database",
        "## A writer the maintenance mode missed\n\n```sql {db=old_app}\nDELETE FROM posts WHERE id > 3990;\n```",
      ),
  },
  {
    file: "runbooks/move-off-hosted.md",
    breaks: "the final write on the hosted database is skipped",
    failsAt: "verify-the-move",
    mutate: (t) =>
      removeSection(t, "Write the sentinel on the hosted database"),
  },
  {
    file: "runbooks/streaming-replica.md",
    breaks: "the replica stops before the sentinel is written",
    failsAt: "prove-that-a-write-reaches-the-replica",
    // The check waits arrival_wait for the sentinel: 20 s live, 5 s in a rehearsal.
    slowSeconds: 10,
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Prove that a write reaches the replica",
        '## The replica goes down\n\n```sh {user=postgres}\npg_ctl stop -D "$RUNBOOK_CLUSTER_REPLICA_PGDATA" -m immediate -w\n```',
      ),
  },
  {
    file: "runbooks/restore-drill.md",
    breaks: "the base backup is corrupted before the restore",
    failsAt: "restore-into-a-new-directory",
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Restore into a new directory",
        `## Bit rot\n\n\`\`\`sh\n${corrupt("$drill/backup/base.tar.gz")}\n\`\`\``,
      ),
  },
  {
    file: "runbooks/logical-replication-cutover.md",
    breaks: "the sequences are not copied to the new server",
    failsAt: "synchronise-the-sequences",
    mutate: (t) =>
      replaceOnce(
        t,
        '```sh {db=new_app}\npsql -X -q -o /dev/null -v ON_ERROR_STOP=1 -f "$work/sequences.sql"\n```\n',
        "",
      ),
  },
  {
    file: "runbooks/logical-replication-cutover.md",
    breaks: "the subscription is disabled before the final write",
    failsAt: "prove-the-last-write-arrived",
    // The check waits arrival_wait for the last write: 30 s live, 5 s in a rehearsal.
    slowSeconds: 12,
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Prove the last write arrived",
        '## Replication breaks\n\n```sql {db=new_app}\nALTER SUBSCRIPTION :"subscription" DISABLE;\n```',
      ),
  },
  {
    file: "runbooks/logical-backup-with-proof.md",
    breaks: "the dump is corrupted after its checksum was recorded",
    failsAt: "verify-the-checksum",
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Verify the checksum",
        `## Bit rot\n\n\`\`\`sh\n${corrupt("$backup.sql.gz")}\n\`\`\``,
      ),
  },
  // examples/
  {
    file: "examples/demo.md",
    breaks: "the sentinel is never written",
    failsAt: "prove-nothing-was-lost",
    mutate: (t) => removeSection(t, "Write the sentinel on the old server"),
  },
  {
    file: "examples/checks-and-tables.md",
    breaks: "the update the table check expects is skipped",
    failsAt: "mark-the-gift-orders",
    mutate: (t) =>
      replaceOnce(
        t,
        "UPDATE orders SET status = 'gift' WHERE note = 'gift wrap';",
        "SELECT 1;",
      ),
  },
  {
    file: "examples/wait-and-capture.md",
    breaks: "the new order is not inserted",
    failsAt: "add-an-order-and-compare-with-the-captured-count",
    mutate: (t) =>
      replaceOnce(
        t,
        "INSERT INTO orders VALUES (4, 'paid', 'captured earlier: ' || :'orders_before');",
        "SELECT :'orders_before';",
      ),
  },
  {
    file: "examples/managed-config-block.md",
    breaks: "the block replaces the whole file",
    failsAt: "allow-the-application-network",
    mutate: (t) =>
      replaceOnce(
        t,
        '```conf {file="${conf}" mode=block}',
        '```conf {file="${conf}" mode=replace}',
      ),
  },
  {
    file: "examples/console-transcript.md",
    breaks: "a command prints something else than the transcript",
    failsAt: "the-tools-are-the-ones-we-expect",
    mutate: (t) =>
      replaceOnce(
        t,
        "$ psql --version | cut -d ' ' -f 1-2",
        "$ psql --version | cut -d ' ' -f 1",
      ),
  },
  {
    file: "examples/gates-and-manual.md",
    breaks: "the delete behind the typed gate is skipped",
    failsAt: "delete-the-abandoned-carts",
    mutate: (t) =>
      replaceOnce(
        t,
        "DELETE FROM carts WHERE NOT paid AND created_at < now() - interval '30 days';",
        "SELECT 1;",
      ),
  },
  {
    file: "examples/include.md",
    breaks: "the database is read-only, which the included preflight catches",
    failsAt: "check-the-server-accepts-writes",
    mutate: (t) =>
      replaceOnce(
        t,
        "::include{file=./parts/preflight.md}",
        "## Someone made the database read-only\n\n```sql {db=shop}\nALTER DATABASE shop SET default_transaction_read_only = on;\n```\n\n::include{file=./parts/preflight.md}",
      ),
  },
  {
    file: "examples/params.md",
    breaks: "nothing is archived",
    failsAt: "archive-the-customers-orders",
    mutate: (t) => replaceOnce(t, "LIMIT :batch_size;", "LIMIT 0;"),
  },
  {
    file: "examples/step-graph.md",
    breaks: "the dump is written in the wrong format",
    failsAt: "dump",
    mutate: (t) =>
      replaceOnce(t, "pg_dump --format=custom", "pg_dump --format=plain"),
  },
  {
    file: "examples/only-live-rehearsal.md",
    breaks: "the rehearsal stand-in for the reload is missing",
    failsAt: "make-the-server-re-read-its-configuration",
    slowSeconds: 11,
    mutate: (t) =>
      replaceOnce(
        t,
        '```sh {only=rehearsal user=postgres}\npg_ctl reload -D "$data_dir"\n```\n',
        "",
      ),
  },
  {
    file: "examples/retries-and-timeouts.md",
    breaks: "too few retries for the flaky dependency",
    failsAt: "a-flaky-dependency",
    mutate: (t) =>
      replaceOnce(
        t,
        "```sh {retry=3 retry-delay=200ms}",
        "```sh {retry=1 retry-delay=200ms}",
      ),
  },
  {
    file: "examples/psql-meta-commands.md",
    breaks: "the generated grants are never executed",
    failsAt: "grant-read-access-on-every-table-generated",
    mutate: (t) => replaceOnce(t, "\n\\gexec\n", ";\n"),
  },
  {
    file: "examples/adopted-upgrading-postgresql.md",
    breaks: "the dump leaves out the site database",
    failsAt: "import-the-dump-into-the-trial-server",
    slowSeconds: 15,
    mutate: (t) =>
      replaceOnce(
        t,
        "pg_dumpall --no-role-passwords >",
        "pg_dumpall --no-role-passwords --exclude-database=site >",
      ),
  },
  // runbooks/ (issue 19: the seeds' own backup tools)
  {
    file: "runbooks/pgbackrest-backup-and-restore-drill.md",
    breaks:
      "archive_command silently drops every segment after the incremental backup",
    failsAt: "prove-the-restore",
    slowSeconds: 45,
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "Write after the last backup",
        "## archive_command is swapped for one that drops every segment\n\n```sql {db=primary}\nALTER SYSTEM SET archive_command = 'true';\nSELECT pg_reload_conf();\n```",
      ),
  },
  {
    file: "runbooks/point-in-time-recovery.md",
    breaks: "the recovery target is taken after the bad DELETE",
    failsAt: "prove-the-copy-stopped-just-before-the-bad-delete",
    slowSeconds: 20,
    mutate: (t) =>
      insertBeforeHeading(
        t,
        "The application goes on writing",
        "## The target is read off the wrong log line, after the DELETE\n\n```sql {db=app capture=target_time}\nSELECT clock_timestamp()::text;\n```",
      ),
  },
];
