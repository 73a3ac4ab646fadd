/** What the main thread and the state worker say to each other. */
export interface WorkerInit {
  /** Requests in, and chunk acknowledgements out (async). */
  readonly requests: unknown;
  /** Replies to synchronous requests, read with receiveMessageOnPort while the main thread waits. */
  readonly replies: unknown;
  /** Set to 1 by the worker when a reply is posted. */
  readonly flag: SharedArrayBuffer;
}

export type WorkerRequest =
  | { readonly op: "open"; readonly id: number; readonly url: string }
  | {
      readonly op: "lock";
      readonly id: number;
      readonly key: number;
      readonly identity: string;
      readonly runId: string;
      readonly user: string;
      readonly host: string;
      readonly pid: number;
      readonly since: string;
    }
  | {
      readonly op: "unlock";
      readonly id: number;
      readonly key: number;
      readonly identity: string;
      readonly runId: string;
    }
  | { readonly op: "next-seq"; readonly id: number; readonly runId: string }
  | {
      readonly op: "append";
      readonly id: number;
      readonly runId: string;
      readonly seq: number;
      /** The entry as JSON text. */
      readonly entry: string;
      /** The run's row, with its first entry. */
      readonly run?: {
        readonly runbook: string;
        readonly title: string;
        readonly file: string;
        readonly user: string;
        readonly host: string;
        readonly cwd: string;
        readonly mode: string;
        readonly startedAt: string;
      };
      /** The run's outcome as it now stands (a run-end, or `unfinished` again on resume). */
      readonly outcome?: string;
    }
  | { readonly op: "flush"; readonly id: number }
  | { readonly op: "close"; readonly id: number }
  | {
      readonly op: "chunk";
      readonly runId: string;
      readonly step: string;
      readonly text: string;
    };

export type SyncRequest = Exclude<WorkerRequest, { op: "chunk" }>;
/** A request as the caller writes it: the connection numbers it. */
export type SyncCall = SyncRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, "id">
    : never
  : never;
