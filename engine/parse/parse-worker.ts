// A worker of scanChunksInParallel: parses and scans its share of a large runbook's sections.
import { workerData } from "node:worker_threads";
import type { WorkerRequest } from "./parallel-scan.js";
import { scanChunk, type ChunkScan } from "./scan-chunk.js";

const request = workerData as WorkerRequest;
let scans: ChunkScan[] | undefined;
try {
  scans = request.chunks.map((chunk) =>
    scanChunk(chunk, request.file, request.source, chunk.next),
  );
} finally {
  // Post first, then raise the flag: the main thread takes the message as soon as it wakes.
  request.port.postMessage(scans ? { scans } : {});
  const flag = new Int32Array(request.flag);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
