import { createHash } from "node:crypto";
import type pg from "pg";
import type { JournalEntry } from "../entries.js";
import { JournalError, type JournalRead } from "../journal-reader.js";
import { JournalWriteError } from "../journal-writer.js";
import { maskedUrl } from "./masked-url.js";
import {
  LockedError,
  lockedMessage,
  type LockHolder,
  type RunLock,
} from "../run-lock.js";
import { runState } from "../run-state.js";
import type {
  FollowBatch,
  FollowCursor,
  JournalSink,
  LockRequest,
  LogText,
  OutputSink,
  RunSummary,
  StateStore,
} from "../state-store.js";
import { LOCK_NAMESPACE, lockKey, migrate, stateClient } from "./schema.js";
import { SyncConnection } from "./sync-connection.js";

export interface PostgresStoreOptions {
  readonly url: string;
  /** `--state postgres://…` to name this store again (empty when it came from RUNBOOK_STATE). */
  readonly flag: string;
}

/** A chunk of output is sent when it reaches this many characters, or after CHUNK_MS. */
const CHUNK_CHARS = 64 * 1024;
/** Output waits at most this long before it is sent: a follower sees it live. */
const CHUNK_MS = 200;
/** Output sent and not yet saved above which the step's process is paused. */
const HIGH_WATER = 4 << 20;
const LOG_LIMIT = { max: 512 * 1024, head: 128 * 1024 };

/**
 * Runs in a PostgreSQL database (schema `runbook`, SPEC 2). Writes go through
 * one connection per run, in a worker the engine waits on synchronously (the
 * lock and the journal share it: see docs/decisions.md); reads use an
 * ordinary connection of the main thread.
 */
export class PostgresStateStore implements StateStore {
  readonly kind = "postgres";
  readonly where: string;
  readonly flag: string;
  private writer: SyncConnection | undefined;
  private reader: Promise<pg.Client> | undefined;

  constructor(private readonly options: PostgresStoreOptions) {
    this.where = `the state database ${maskedUrl(options.url)}`;
    this.flag = options.flag;
  }

  private connection(): SyncConnection {
    this.writer ??= SyncConnection.open(this.options.url);
    return this.writer;
  }

  async acquireLock(r: LockRequest): Promise<RunLock> {
    const key = lockKey(r.identity, sha256);
    let conn: SyncConnection;
    try {
      conn = this.connection();
    } catch (error) {
      throw new LockedError(
        `cannot lock ${r.label} in ${this.where}: ${(error as Error).message}`,
      );
    }
    const since = (r.now ?? (() => new Date()))().toISOString();
    const answer = conn.call({
      op: "lock",
      key,
      identity: r.identity,
      runId: r.runId,
      user: r.user,
      host: r.host,
      pid: r.pid,
      since,
    }) as { taken: boolean; holder?: LockHolder };
    if (!answer.taken) {
      const holder = answer.holder ?? {
        pid: 0,
        host: "unknown",
        runId: "?",
        since: "?",
      };
      throw new LockedError(
        lockedMessage(
          r.label,
          holder,
          "its lock frees itself as soon as the database sees its connection gone (within about 30 s of its machine vanishing)",
        ),
        holder,
      );
    }
    let released = false;
    return {
      file: this.where,
      release: () => {
        if (released) return;
        released = true;
        try {
          conn.call(
            { op: "unlock", key, identity: r.identity, runId: r.runId },
            5_000,
          );
        } catch {
          // A lost connection has given the lock back already.
        }
      },
    };
  }

  async lockHolder(
    identity: string,
    self: { readonly pid: number; readonly host: string },
  ): Promise<LockHolder | undefined> {
    const db = await this.read();
    const { rows } = await db.query<{
      run_id: string;
      user_name: string;
      host: string;
      pid: number;
      since: Date;
    }>(
      `SELECT l.run_id, l.user_name, l.host, l.pid, l.since FROM runbook.locks l
        WHERE l.runbook = $1 AND EXISTS (SELECT 1 FROM pg_catalog.pg_locks k
          WHERE k.locktype = 'advisory' AND k.granted AND k.classid = $2::bigint::oid AND k.objid = $3::bigint::oid AND k.objsubid = 2
            AND k.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))`,
      [identity, LOCK_NAMESPACE, lockKey(identity, sha256)],
    );
    const h = rows[0];
    if (!h || (h.pid === self.pid && h.host === self.host)) return undefined;
    return {
      runId: h.run_id,
      user: h.user_name,
      host: h.host,
      pid: h.pid,
      since: h.since.toISOString(),
    };
  }

  openJournal(runId: string): JournalSink {
    const fail = (error: unknown): JournalWriteError =>
      new JournalWriteError(
        this.where,
        `${this.where}: ${(error as Error).message}`,
        runId,
        error,
      );
    let conn: SyncConnection;
    let seq: number;
    try {
      conn = this.connection();
      seq = conn.call({ op: "next-seq", runId }) as number;
    } catch (error) {
      throw fail(error);
    }
    let broken: JournalWriteError | undefined;
    return {
      append(entry: JournalEntry): void {
        if (broken) throw broken;
        try {
          conn.call({
            op: "append",
            runId,
            seq,
            entry: JSON.stringify(entry),
            ...(entry.type === "run"
              ? {
                  run: {
                    runbook: entry.identity ?? entry.file,
                    title: entry.title,
                    file: entry.file,
                    user: entry.user,
                    host: entry.host,
                    cwd: entry.cwd,
                    mode: entry.mode,
                    startedAt: entry.at,
                  },
                }
              : entry.type === "run-end"
                ? { outcome: entry.status }
                : entry.type === "resume"
                  ? { outcome: "unfinished" }
                  : {}),
          });
          seq++;
        } catch (error) {
          broken = fail(error);
          throw broken;
        }
      },
      close(): void {},
    };
  }

  outputLog(runId: string, stepId: string): OutputSink {
    return new PostgresOutputLog(
      () => this.connection(),
      runId,
      stepId,
      this.where,
    );
  }

  logLocation(runId: string, stepId: string): string {
    return logLocation(runId, stepId, this.where);
  }

  async readJournal(runId: string): Promise<JournalRead> {
    const db = await this.read();
    const { rows } = await db.query<{ entry: string }>(
      "SELECT entry::text AS entry FROM runbook.events WHERE run_id = $1 ORDER BY seq",
      [runId],
    );
    const entries = rows.map((r) => JSON.parse(r.entry) as JournalEntry);
    const run = entries[0];
    if (!run) throw new JournalError(`no run ${runId} in ${this.where}`);
    if (run.type !== "run")
      throw new JournalError(
        `the journal of run ${runId} in ${this.where} does not start with a run entry`,
      );
    return { run, entries, tornTail: false };
  }

  async listRuns(): Promise<RunSummary[]> {
    const db = await this.read();
    const { rows } = await db.query<{
      run_id: string;
      runbook: string;
      title: string;
      file: string;
      user_name: string;
      host: string;
      cwd: string;
      mode: "live" | "rehearsal";
      started_at: Date;
      outcome: RunSummary["outcome"];
      updated: string | null;
    }>(
      `SELECT r.*, (SELECT e.entry->>'at' FROM runbook.events e WHERE e.run_id = r.run_id ORDER BY e.seq DESC LIMIT 1) AS updated
         FROM runbook.runs r ORDER BY r.started_at DESC, r.run_id DESC`,
    );
    return rows.map((r) => ({
      runId: r.run_id,
      runbook: r.runbook,
      title: r.title,
      file: r.file,
      user: r.user_name,
      host: r.host,
      cwd: r.cwd,
      mode: r.mode,
      startedAt: r.started_at.toISOString(),
      updatedAt: r.updated ?? r.started_at.toISOString(),
      outcome: r.outcome,
    }));
  }

  async latestUnfinished() {
    const db = await this.read();
    const { rows } = await db.query<{ run_id: string }>(
      "SELECT run_id FROM runbook.runs WHERE outcome <> 'done' ORDER BY started_at DESC, run_id DESC LIMIT 20",
    );
    for (const { run_id: runId } of rows) {
      const state = runState((await this.readJournal(runId)).entries);
      if (!state.finished) return { runId, state };
    }
    return undefined;
  }

  async readLog(
    runId: string,
    stepId: string,
    limit = LOG_LIMIT,
  ): Promise<LogText | undefined> {
    const db = await this.read();
    const { rows } = await db.query<{ chunk: Buffer }>(
      "SELECT chunk FROM runbook.output WHERE run_id = $1 AND step = $2 ORDER BY id",
      [runId, stepId],
    );
    if (rows.length === 0) return undefined;
    const all = Buffer.concat(rows.map((r) => r.chunk));
    const path = logLocation(runId, stepId, this.where);
    if (all.length <= limit.max)
      return { text: all.toString("utf8"), omittedBytes: 0, path };
    const omitted = all.length - limit.max;
    return {
      text: `${all.subarray(0, limit.head).toString("utf8")}\n… ${omitted} bytes left out …\n${all.subarray(all.length - (limit.max - limit.head)).toString("utf8")}`,
      omittedBytes: omitted,
      path,
    };
  }

  async poll(
    runId: string,
    cursor: FollowCursor | undefined,
  ): Promise<FollowBatch> {
    const db = await this.read();
    const seen = cursor?.entries ?? 0;
    const after = cursor?.output ?? "0";
    const events = await db.query<{ seq: number; entry: string }>(
      "SELECT seq, entry::text AS entry FROM runbook.events WHERE run_id = $1 AND seq > $2 ORDER BY seq",
      [runId, seen],
    );
    const output = await db.query<{ id: string; step: string; chunk: Buffer }>(
      "SELECT id, step, chunk FROM runbook.output WHERE run_id = $1 AND id > $2 ORDER BY id",
      [runId, after],
    );
    if (seen === 0 && events.rows.length === 0)
      throw new JournalError(`no run ${runId} in ${this.where}`);
    return {
      entries: events.rows.map((r) => JSON.parse(r.entry) as JournalEntry),
      output: output.rows.map((r) => ({
        step: r.step,
        text: r.chunk.toString("utf8"),
      })),
      cursor: {
        entries: events.rows.at(-1)?.seq ?? seen,
        output: output.rows.at(-1)?.id ?? after,
      },
    };
  }

  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    if (writer) {
      try {
        writer.call({ op: "close" }, 5_000);
      } catch {
        // Closing a lost connection says nothing new.
      }
      writer.terminate();
    }
    const reader = this.reader;
    this.reader = undefined;
    if (reader)
      await (await reader.catch(() => undefined))?.end().catch(() => undefined);
  }

  private read(): Promise<pg.Client> {
    this.reader ??= (async () => {
      const client = stateClient(this.options.url, "runbook (reader)");
      client.on("error", () => undefined);
      try {
        await client.connect();
        await migrate(client);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw new JournalError(
          `cannot read ${this.where}: ${(error as Error).message}`,
        );
      }
      return client;
    })();
    return this.reader;
  }
}

/** Where a step's output is kept in the state database, for the operator. */
function logLocation(runId: string, stepId: string, where: string): string {
  return `${where}, table runbook.output (run ${runId}, step ${stepId})`;
}

/** A step's output as chunks of at most CHUNK_CHARS characters in `runbook.output`. */
class PostgresOutputLog implements OutputSink {
  private pending = "";
  private buffer = "";
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private problem: string | undefined;

  constructor(
    private readonly connection: () => SyncConnection,
    private readonly runId: string,
    private readonly stepId: string,
    private readonly where: string,
  ) {}

  get location(): string {
    return logLocation(this.runId, this.stepId, this.where);
  }

  get failure(): string | undefined {
    return this.problem;
  }

  header(text: string): void {
    this.pending += text;
  }

  write(text: string): void {
    if (!text || this.problem) return;
    if (!this.started) {
      this.started = true;
      text = this.pending + text;
      this.pending = "";
    }
    this.buffer += text;
    if (this.buffer.length >= CHUNK_CHARS) this.send();
    else this.timer ??= setTimeout(() => this.send(), CHUNK_MS);
  }

  get backpressure(): Promise<void> | undefined {
    if (this.problem) return undefined;
    try {
      return this.connection().below(HIGH_WATER);
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.send();
    if (!this.started || this.problem) return;
    try {
      const failure = this.connection().call({ op: "flush" }) as string | null;
      if (failure) this.problem = `${this.where}: ${failure}`;
    } catch (error) {
      this.problem = `${this.where}: ${(error as Error).message}`;
    }
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      while (this.buffer.length > 0) {
        // Never cut a surrogate pair: each chunk is whole UTF-8.
        let end = Math.min(this.buffer.length, CHUNK_CHARS);
        const last = this.buffer.charCodeAt(end - 1);
        if (end < this.buffer.length && last >= 0xd800 && last <= 0xdbff) end--;
        this.connection().sendChunk(
          this.runId,
          this.stepId,
          this.buffer.slice(0, end),
        );
        this.buffer = this.buffer.slice(end);
      }
    } catch (error) {
      this.problem ??= `${this.where}: ${(error as Error).message}`;
      this.buffer = "";
    }
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
