import { spawn, type ChildProcess } from 'node:child_process';
import { createRedactingStream } from '../secrets/index.js';

export interface ProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Text fed on stdin (then closed), or no stdin (`/dev/null`), or the terminal (`inherit`, for `interactive`). */
  readonly stdin: { readonly text: string } | 'ignore' | 'inherit';
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Values masked in everything the process prints. */
  readonly secrets: readonly string[];
  /** Masked, UTF-8-decoded output as it arrives (not line-aligned). */
  readonly onOutput: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Polled after each chunk: while it returns a promise, reading pauses (the output sink is saturated). */
  readonly backpressure?: (() => Promise<void> | undefined) | undefined;
  /** Grace between SIGTERM and SIGKILL when a process group is stopped. @default 2000 */
  readonly killGraceMs?: number;
  /**
   * Keep up to this many characters of stdout as the process wrote it, unmasked,
   * in `stdout` of the result: a capture or a check needs the real value, even a secret one.
   * @default 0
   */
  readonly keepStdout?: number;
}

export interface ProcessResult {
  /** Exit status, or undefined when killed by a signal. */
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly interrupted: boolean;
  /** The command could not be started (not found, bad cwd). */
  readonly spawnError?: string;
  readonly durationMs: number;
  /** The first `keepStdout` characters of stdout, decoded but not masked: never show or store it. */
  readonly stdout: string;
}

/** How long to keep reading after the process exited: a background child may still hold the pipes. */
const DRAIN_MS = 150;

/**
 * Runs one process in a process group of its own and streams its masked
 * output. A timeout or an abort stops the whole group (SIGTERM, then SIGKILL).
 * When the process exits normally, anything it left running in the background
 * keeps running (a step may start a server); its output is no longer read.
 */
export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const interactive = options.stdin === 'inherit';
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        // A group of its own, so a timeout reaches every descendant; an
        // interactive process stays in the terminal's foreground group.
        detached: !interactive,
        stdio: interactive ? 'inherit' : [typeof options.stdin === 'object' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ timedOut: false, interrupted: false, spawnError: (error as Error).message, durationMs: performance.now() - started, stdout: '' });
      return;
    }
    let timedOut = false;
    let interrupted = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const streams = [child.stdout, child.stderr].filter((s) => s !== null);
    let open = streams.length;
    const keep = options.keepStdout ?? 0;
    const rawDecoder = keep > 0 ? new TextDecoder() : undefined;
    let stdout = '';

    const stopGroup = (): void => {
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM', interactive);
      killTimer = setTimeout(() => signalGroup(child.pid ?? 0, 'SIGKILL', interactive), options.killGraceMs ?? 2000);
      killTimer.unref();
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      stopGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // The group is gone or stopping; a SIGKILL still pending must reach stragglers after a timeout.
      if (killTimer && !timedOut && !interrupted) clearTimeout(killTimer);
      for (const s of streams) s.destroy();
      if (rawDecoder && stdout.length < keep) stdout = (stdout + rawDecoder.decode()).slice(0, keep);
      const result: { -readonly [K in keyof ProcessResult]: ProcessResult[K] } = { timedOut, interrupted, durationMs: performance.now() - started, stdout };
      if (exit?.code !== null && exit?.code !== undefined) result.exitCode = exit.code;
      if (exit?.signal) result.signal = exit.signal;
      if (spawnError) result.spawnError = spawnError;
      resolve(result);
    };

    const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): void => {
      if (!stream) return;
      const redacting = createRedactingStream({ secrets: options.secrets });
      stream.on('data', (chunk: Buffer) => {
        if (name === 'stdout' && rawDecoder && stdout.length < keep) stdout += rawDecoder.decode(chunk, { stream: true });
        const text = redacting.push(chunk);
        if (text) options.onOutput(name, text);
        const wait = options.backpressure?.();
        if (wait) {
          stream.pause();
          void wait.then(() => stream.resume());
        }
      });
      const end = (): void => {
        const rest = redacting.flush();
        if (rest) options.onOutput(name, rest);
        open--;
        if (open === 0 && exit) finish();
      };
      stream.once('close', end);
    };
    pipe(child.stdout, 'stdout');
    pipe(child.stderr, 'stderr');

    child.once('error', (error) => {
      exit = exit ?? { code: null, signal: null };
      finish((error as NodeJS.ErrnoException).code === 'ENOENT' ? `command not found: ${options.command}` : error.message);
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      if (open === 0) finish();
      else setTimeout(() => finish(), DRAIN_MS).unref();
    });
    if (typeof options.stdin === 'object' && child.stdin) {
      child.stdin.on('error', () => {
        // The process exited without reading all of its input: its exit status says what happened.
      });
      child.stdin.end(options.stdin.text);
    }
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals, interactive: boolean): void {
  try {
    process.kill(interactive ? pid : -pid, signal);
  } catch {
    // Already gone.
  }
}
