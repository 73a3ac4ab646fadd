import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
} from "node:worker_threads";
import type { ChunkScan } from "./scan-chunk.js";
import type { Chunk } from "./source.js";

const WORKER = new URL("./parse-worker.js", import.meta.url);

/** Below this many sections, starting workers costs more than it saves. */
const MIN_CHUNKS = 2000;
/** A worker that has not answered by then is given up on, and its chunks are parsed here. */
const WAIT_MS = 120_000;

export interface WorkerRequest {
  readonly chunks: readonly Chunk[];
  readonly file: string;
  readonly source: string;
  readonly port: MessagePort;
  readonly flag: SharedArrayBuffer;
}

/**
 * Parses the chunks of a large runbook on several cores, synchronously:
 * the parser's API is synchronous, so the main thread parses its own share,
 * then blocks on a shared flag until each worker has posted its results, and
 * takes them with `receiveMessageOnPort`. Returns undefined when it is not
 * worth it (a small file, one core) or workers cannot be started; the caller
 * then parses everything itself.
 */
export function scanChunksInParallel(
  chunks: readonly Chunk[],
  options: {
    file: string;
    source: string;
    scanHere: (chunk: Chunk) => ChunkScan;
  },
): ChunkScan[] | undefined {
  const workers = Math.min(availableParallelism() - 1, 3);
  if (workers < 1 || chunks.length < MIN_CHUNKS) return undefined;
  // Run from TypeScript sources (tests) there is no compiled worker: a worker that cannot load would never raise its flag.
  if (!existsSync(fileURLToPath(WORKER))) return undefined;
  const per = Math.ceil(chunks.length / (workers + 1));
  const batches = Array.from({ length: workers + 1 }, (_, i) =>
    chunks.slice(i * per, (i + 1) * per),
  );
  const started: {
    worker: Worker;
    port: MessagePort;
    flag: Int32Array;
    batch: readonly Chunk[];
  }[] = [];
  try {
    for (const batch of batches.slice(1)) {
      const { port1, port2 } = new MessageChannel();
      const flag = new SharedArrayBuffer(4);
      const request: WorkerRequest = {
        chunks: batch,
        file: options.file,
        source: options.source,
        port: port2 as unknown as MessagePort,
        flag,
      };
      const worker = new Worker(WORKER, {
        workerData: request,
        transferList: [port2],
      });
      worker.unref();
      started.push({
        worker,
        port: port1 as unknown as MessagePort,
        flag: new Int32Array(flag),
        batch,
      });
    }
  } catch {
    for (const s of started) void s.worker.terminate();
    return undefined;
  }
  const results: ChunkScan[] = (batches[0] ?? []).map(options.scanHere);
  for (const s of started) {
    const answered =
      Atomics.wait(s.flag, 0, 0, WAIT_MS) !== "timed-out" ||
      Atomics.load(s.flag, 0) !== 0;
    const message = answered
      ? (receiveMessageOnPort(s.port as never)?.message as
          { scans?: ChunkScan[] } | undefined)
      : undefined;
    // A loop, not push(...): a huge runbook has more chunks than a call can take arguments.
    for (const scan of message?.scans ?? s.batch.map(options.scanHere))
      results.push(scan);
    (s.port as unknown as { close(): void }).close();
    void s.worker.terminate();
  }
  return results;
}
