import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import type { SyncCall, WorkerInit } from "./protocol.js";

const WORKER = new URL("./state-worker.js", import.meta.url);

/** A commit that has not come back by then is given up on: the journal cannot be written. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * A PostgreSQL connection the main thread can wait on synchronously, like it
 * waits on fsync for the file journal: the connection lives in a worker
 * thread, and the main thread blocks on a shared flag until the worker has
 * posted the reply (`Atomics.wait` + `receiveMessageOnPort`, as the parallel
 * parser does). While it waits nothing else of the run moves — which is the
 * point: no event goes on before the previous one is committed.
 *
 * Output chunks are sent without waiting; the worker handles every request in
 * order, so a chunk sent before an event is committed before it.
 */
export class SyncConnection {
  private readonly worker: Worker;
  private readonly requests: MessagePort;
  private readonly replies: MessagePort;
  private readonly flag: Int32Array;
  private nextId = 1;
  private dead: string | undefined;
  /** Characters of output sent and not yet acknowledged. */
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  private constructor() {
    if (!existsSync(fileURLToPath(WORKER)))
      throw new Error(
        `the state worker ${fileURLToPath(WORKER)} is missing: build runbook (npm run build)`,
      );
    const a = new MessageChannel();
    const b = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const init: WorkerInit = { requests: a.port2, replies: b.port2, flag };
    // Not the parent's flags (`node --input-type=module -e …` would make the worker fail to load).
    this.worker = new Worker(WORKER, {
      workerData: init,
      transferList: [a.port2, b.port2],
      execArgv: [],
    });
    this.worker.unref();
    this.worker.on(
      "error",
      (error) => (this.dead ??= `the state worker failed: ${error.message}`),
    );
    this.requests = a.port1 as unknown as MessagePort;
    this.replies = b.port1 as unknown as MessagePort;
    this.flag = new Int32Array(flag);
    this.requests.on("message", (m: { type: string; chars: number }) => {
      if (m.type !== "chunk-done") return;
      this.inFlight -= m.chars;
      this.settle();
    });
    this.requests.unref();
  }

  /**
   * Connects (and migrates the schema on first use).
   * @throws {Error} with the server's or the network's reason.
   */
  static open(url: string): SyncConnection {
    const c = new SyncConnection();
    try {
      c.call({ op: "open", url });
    } catch (error) {
      c.terminate();
      throw error;
    }
    return c;
  }

  /** Sends a request and waits for its reply. @throws {Error} with the worker's reason. */
  call(request: SyncCall, timeoutMs = CALL_TIMEOUT_MS): unknown {
    if (this.dead) throw new Error(this.dead);
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.requests.postMessage({ ...request, id });
    const until = Date.now() + timeoutMs;
    for (;;) {
      const message = receiveMessageOnPort(this.replies as never)?.message as
        | { id: number; ok: boolean; value?: unknown; error?: string }
        | undefined;
      if (message && message.id === id) {
        if (!message.ok) throw new Error(message.error ?? "failed");
        return message.value;
      }
      if (message) continue;
      const left = until - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === "timed-out") {
        if (receiveMessageOnPort(this.replies as never) !== undefined) continue;
        this.dead = `the state database did not answer within ${Math.round(timeoutMs / 1000)} s`;
        this.terminate();
        throw new Error(this.dead);
      }
      Atomics.store(this.flag, 0, 0);
    }
  }

  /** Sends an output chunk without waiting (see `backpressure`). */
  sendChunk(runId: string, step: string, text: string): void {
    if (this.dead) return;
    this.inFlight += text.length;
    this.requests.ref();
    this.requests.postMessage({ op: "chunk", runId, step, text });
  }

  /** Resolves when less than `limit` characters of output are waiting to be saved. */
  below(limit: number): Promise<void> | undefined {
    if (this.inFlight < limit || this.dead) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private settle(): void {
    if (this.inFlight <= 0) this.requests.unref();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  terminate(): void {
    this.dead ??= "closed";
    this.requests.close();
    this.replies.close();
    void this.worker.terminate();
    this.settle();
  }
}
