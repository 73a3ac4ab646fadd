/**
 * The state database's writing connection, in a worker thread so that the
 * engine can wait for a commit synchronously, as it waits for an fsync with
 * files (see sync-connection.ts). One connection does everything a run
 * writes, in order: it holds the run's advisory lock, so the lock and the
 * journal live and die together — once the connection is gone no event can
 * be written under a lock somebody else may have taken since.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import type pg from "pg";
import { LOCK_NAMESPACE, migrate, stateClient } from "./schema.js";
import type { WorkerInit, WorkerRequest } from "./protocol.js";

const init = workerData as WorkerInit;
const requests = init.requests as unknown as MessagePort;
const replies = init.replies as unknown as MessagePort;
const flag = new Int32Array(init.flag);
let client: pg.Client | undefined;
/** Why the connection is unusable; every later request fails with it. */
let lost: string | undefined;
/** The first output chunk that could not be saved. */
let chunkFailure: string | undefined;
let queue: Promise<void> = Promise.resolve();

requests.on("message", (request: WorkerRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: WorkerRequest): Promise<void> {
  if (request.op === "chunk") {
    try {
      if (lost) throw new Error(lost);
      await db().query({
        name: "chunk",
        text: "INSERT INTO runbook.output (run_id, step, chunk) VALUES ($1, $2, $3)",
        values: [
          request.runId,
          request.step,
          Buffer.from(request.text, "utf8"),
        ],
      });
    } catch (error) {
      chunkFailure ??= message(error);
    }
    requests.postMessage({ type: "chunk-done", chars: request.text.length });
    return;
  }
  let reply: { ok: true; value: unknown } | { ok: false; error: string };
  try {
    if (lost && request.op !== "close") throw new Error(lost);
    reply = { ok: true, value: await run(request) };
  } catch (error) {
    reply = { ok: false, error: message(error) };
  }
  replies.postMessage({ id: request.id, ...reply });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function run(
  request: Exclude<WorkerRequest, { op: "chunk" }>,
): Promise<unknown> {
  switch (request.op) {
    case "open": {
      const c = stateClient(request.url, "runbook");
      // A lost connection is an 'error' event: it must be heard, or the worker dies without saying why.
      c.on(
        "error",
        (error) =>
          (lost ??= `the connection to the state database was lost (${message(error)})`),
      );
      c.on(
        "end",
        () => (lost ??= "the connection to the state database was closed"),
      );
      await c.connect();
      client = c;
      await migrate(c);
      return null;
    }
    case "lock": {
      const { rows } = await db().query<{ ok: boolean }>(
        "SELECT pg_catalog.pg_try_advisory_lock($1, $2) AS ok",
        [LOCK_NAMESPACE, request.key],
      );
      if (rows[0]?.ok) {
        await db().query(
          `INSERT INTO runbook.locks (runbook, run_id, user_name, host, pid, since) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (runbook) DO UPDATE SET run_id = excluded.run_id, user_name = excluded.user_name, host = excluded.host, pid = excluded.pid, since = excluded.since`,
          [
            request.identity,
            request.runId,
            request.user,
            request.host,
            request.pid,
            request.since,
          ],
        );
        return { taken: true };
      }
      const holder = await db().query(
        "SELECT run_id, user_name, host, pid, since FROM runbook.locks WHERE runbook = $1",
        [request.identity],
      );
      const h = holder.rows[0] as
        | {
            run_id: string;
            user_name: string;
            host: string;
            pid: number;
            since: Date;
          }
        | undefined;
      return {
        taken: false,
        ...(h
          ? {
              holder: {
                runId: h.run_id,
                user: h.user_name,
                host: h.host,
                pid: h.pid,
                since: h.since.toISOString(),
              },
            }
          : {}),
      };
    }
    case "unlock":
      await db().query(
        "DELETE FROM runbook.locks WHERE runbook = $1 AND run_id = $2",
        [request.identity, request.runId],
      );
      await db().query("SELECT pg_catalog.pg_advisory_unlock($1, $2)", [
        LOCK_NAMESPACE,
        request.key,
      ]);
      return null;
    case "next-seq": {
      const { rows } = await db().query<{ n: number }>(
        "SELECT coalesce(max(seq), 0) + 1 AS n FROM runbook.events WHERE run_id = $1",
        [request.runId],
      );
      return rows[0]?.n ?? 1;
    }
    case "append":
      await db().query(appendStatement(request));
      return null;
    case "flush": {
      const failure = chunkFailure;
      chunkFailure = undefined;
      return failure ?? null;
    }
    case "close":
      if (client) {
        const c = client;
        client = undefined;
        lost ??= "closed";
        await c.end().catch(() => undefined);
      }
      return null;
  }
}

/** One statement, so one round trip and one commit, for each event (with the run's row when it says something about the run). */
function appendStatement(
  r: Extract<WorkerRequest, { op: "append" }>,
): pg.QueryConfig {
  const insert =
    "INSERT INTO runbook.events (run_id, seq, entry) VALUES ($1, $2, $3)";
  const values = [r.runId, r.seq, r.entry];
  if (r.run) {
    const x = r.run;
    return {
      name: "append-run",
      text: `WITH run AS (INSERT INTO runbook.runs (run_id, runbook, title, file, user_name, host, cwd, mode, started_at) VALUES ($1, $4, $5, $6, $7, $8, $9, $10, $11)) ${insert}`,
      values: [
        ...values,
        x.runbook,
        x.title,
        x.file,
        x.user,
        x.host,
        x.cwd,
        x.mode,
        x.startedAt,
      ],
    };
  }
  if (r.outcome)
    return {
      name: "append-outcome",
      text: `WITH run AS (UPDATE runbook.runs SET outcome = $4 WHERE run_id = $1) ${insert}`,
      values: [...values, r.outcome],
    };
  return { name: "append", text: insert, values };
}

function db(): pg.Client {
  if (!client) throw new Error(lost ?? "not connected to the state database");
  return client;
}

function message(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return `${e.message ?? String(error)}${e.code && !/^[0-9A-Z]{5}$/.test(e.code) ? ` (${e.code})` : ""}`;
}
