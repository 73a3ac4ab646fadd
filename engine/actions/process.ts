import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { createOutputRedactor, type OutputPiece } from "../secrets/index.js";
import { programProblem } from "./program-path.js";
import { stopProcessGroup, type StopGroupResult } from "./process-group.js";
import { describeProcess } from "./process-table.js";

export interface ProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /**
   * Text fed on stdin (then closed, or with `keepOpen` kept open until the
   * process ends or is stopped: an `on=` wrapper reads the end of its stdin as
   * "stop"), or no stdin (`/dev/null`), or the terminal (`inherit`, for `interactive`).
   */
  readonly stdin:
    | { readonly text: string; readonly keepOpen?: boolean }
    | "ignore"
    | "inherit";
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Values masked in everything the process prints. */
  readonly secrets: readonly string[];
  /** Masked, UTF-8-decoded output as it arrives (not line-aligned). */
  readonly onOutput: (stream: "stdout" | "stderr", text: string) => void;
  /** Polled after each chunk: while it returns a promise, reading pauses (the output sink is saturated). */
  readonly backpressure?: (() => Promise<void> | undefined) | undefined;
  /** Grace between SIGTERM and SIGKILL when a process group is stopped. @default 2000 */
  readonly killGraceMs?: number;
  /**
   * The exit status that means the script ended normally. When it exits with
   * another (or is killed), whatever it left running in its group is stopped
   * too: only a script that succeeded may leave a server behind.
   */
  readonly expectedExit?: number;
  /**
   * Called once the process runs, with its process group id (its pid), before
   * anything else happens: the engine journals it, so that `resume` can tell
   * whether the step still runs. If it throws, the group is stopped at once
   * and the run is told through `spawnError`.
   */
  readonly onSpawn?: (pgid: number) => void;
  /**
   * Keep up to this many characters of stdout as the process wrote it, unmasked,
   * in `stdout` of the result: a capture or a check needs the real value, even a secret one.
   * @default 0
   */
  readonly keepStdout?: number;
  /**
   * Read stderr apart from stdout. Otherwise, unless stdout is kept (a capture
   * or a check must read it alone), stderr joins stdout in one pipe (`exec
   * "$@" 2>&1`): its output is then read exactly in the order it was written,
   * as a terminal shows it, and a secret printed in pieces on both is one
   * secret to mask. Two pipes carry no order between them (see docs/decisions.md).
   * @default false
   */
  readonly separateStderr?: boolean;
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
  /** Processes of the group still there after SIGKILL (`sleep (pid 12)`): it could not be stopped. */
  readonly left?: readonly string[];
}

/** How long to keep reading after the process exited: a background child may still hold the pipes. */
const DRAIN_MS = 150;

/**
 * Runs one process in a process group (and session) of its own and streams
 * its masked output. A timeout, an abort or an exit other than
 * `expectedExit` stops the whole group, also members that outlive the leader
 * or ignore SIGTERM (SIGTERM, a grace, SIGKILL, then a check that nothing is
 * left), and the promise settles only once they are gone. When the process
 * exits normally, anything it left running in the background keeps running
 * (a step may start a server); its output is no longer read.
 */
export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const interactive = options.stdin === "inherit";
  return new Promise((resolve) => {
    // spawn() says ENOENT for a missing working directory as for a missing program: tell them apart first.
    const badCwd = workingDirectoryProblem(options.cwd);
    if (badCwd) {
      resolve({
        timedOut: false,
        interrupted: false,
        spawnError: badCwd,
        durationMs: performance.now() - started,
        stdout: "",
      });
      return;
    }
    // One pipe for stdout and stderr when nothing needs stdout alone: the output's true order (see separateStderr).
    const joined =
      !interactive &&
      !options.separateStderr &&
      (options.keepStdout ?? 0) === 0;
    // The wrapper always starts: a missing program must still be told as such, not as exit status 127.
    const noProgram = joined
      ? programProblem(options.command, options.env, options.cwd)
      : undefined;
    if (noProgram) {
      resolve({
        timedOut: false,
        interrupted: false,
        spawnError: noProgram,
        durationMs: performance.now() - started,
        stdout: "",
      });
      return;
    }
    let child: ChildProcess;
    try {
      // `exec` replaces the wrapper: the program keeps its pid, and leads its process group.
      child = spawn(
        joined ? "/bin/sh" : options.command,
        joined
          ? [
              "-c",
              'exec "$@" 2>&1',
              "runbook",
              options.command,
              ...options.args,
            ]
          : options.args,
        {
          cwd: options.cwd,
          env: options.env,
          // A group of its own, so a timeout reaches every descendant; an
          // interactive process stays in the terminal's foreground group.
          detached: !interactive,
          stdio: interactive
            ? "inherit"
            : [
                typeof options.stdin === "object" ? "pipe" : "ignore",
                "pipe",
                joined ? "ignore" : "pipe",
              ],
        },
      );
    } catch (error) {
      resolve({
        timedOut: false,
        interrupted: false,
        spawnError: spawnProblem(error as NodeJS.ErrnoException, options),
        durationMs: performance.now() - started,
        stdout: "",
      });
      return;
    }
    let timedOut = false;
    let interrupted = false;
    let settled = false;
    let exit:
      { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let stopping: Promise<StopGroupResult> | undefined;
    let journalProblem: string | undefined;
    const streams = [child.stdout, child.stderr].filter((s) => s !== null);
    let open = streams.length;
    const keep = options.keepStdout ?? 0;
    const rawDecoder = keep > 0 ? new TextDecoder() : undefined;
    let stdout = "";

    const stopGroup = (): void => {
      if (child.pid === undefined || stopping) return;
      // An on= wrapper stops the remote side when its stdin ends, before ssh itself is stopped.
      child.stdin?.end();
      stopping = stopProcessGroup({
        pgid: child.pid,
        graceMs: options.killGraceMs ?? 2000,
        descendantsOnly: interactive,
      });
    };
    if (child.pid !== undefined && options.onSpawn) {
      try {
        options.onSpawn(child.pid);
      } catch (error) {
        journalProblem = (error as Error).message;
        stopGroup();
      }
    }
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stopGroup();
          }, options.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      stopGroup();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    const finish = (spawnError?: string): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // A script that did not end as it should leaves nothing running behind it.
      if (
        options.expectedExit !== undefined &&
        exit &&
        exit.code !== options.expectedExit
      )
        stopGroup();
      for (const s of streams) s.destroy();
      child.stdin?.destroy();
      if (rawDecoder && stdout.length < keep)
        stdout = (stdout + rawDecoder.decode()).slice(0, keep);
      const result: { -readonly [K in keyof ProcessResult]: ProcessResult[K] } =
        {
          timedOut,
          interrupted,
          durationMs: performance.now() - started,
          stdout,
        };
      if (exit?.code !== null && exit?.code !== undefined)
        result.exitCode = exit.code;
      if (exit?.signal) result.signal = exit.signal;
      const problem = spawnError ?? journalProblem;
      if (problem) result.spawnError = problem;
      // Settles only once the group is gone: the engine never goes on beside a step that still runs.
      void (stopping ?? Promise.resolve<StopGroupResult>({ left: [] })).then(
        ({ left }) => {
          if (left.length > 0) result.left = left.map(describeProcess);
          result.durationMs = performance.now() - started;
          resolve(result);
        },
      );
    };

    // One redactor for both streams: a secret printed half on stdout and half on stderr is still one secret.
    const redacting = createOutputRedactor({
      secrets: options.secrets,
      streams:
        child.stdout && child.stderr
          ? ["stdout", "stderr"]
          : child.stdout
            ? ["stdout"]
            : child.stderr
              ? ["stderr"]
              : [],
    });
    const show = (pieces: readonly OutputPiece[]): void => {
      for (const piece of pieces) options.onOutput(piece.stream, piece.text);
    };
    const pipe = (
      stream: NodeJS.ReadableStream | null,
      name: "stdout" | "stderr",
    ): void => {
      if (!stream) return;
      stream.on("data", (chunk: Buffer) => {
        if (name === "stdout" && rawDecoder && stdout.length < keep)
          stdout += rawDecoder.decode(chunk, { stream: true });
        show(redacting.push(name, chunk));
        const wait = options.backpressure?.();
        if (wait) {
          stream.pause();
          void wait.then(() => stream.resume());
        }
      });
      const end = (): void => {
        show(redacting.end(name));
        open--;
        if (open === 0 && exit) finish();
      };
      stream.once("close", end);
    };
    pipe(child.stdout, "stdout");
    pipe(child.stderr, "stderr");

    child.once("error", (error) => {
      exit = exit ?? { code: null, signal: null };
      finish(spawnProblem(error as NodeJS.ErrnoException, options));
    });
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      if (open === 0) finish();
      else setTimeout(() => finish(), DRAIN_MS).unref();
    });
    if (typeof options.stdin === "object" && child.stdin) {
      child.stdin.on("error", () => {
        // The process exited without reading all of its input: its exit status says what happened.
      });
      if (options.stdin.keepOpen) child.stdin.write(options.stdin.text);
      else child.stdin.end(options.stdin.text);
    }
  });
}

/** Why a process could not start, in the operator's words: which directory or program, and what is wrong with it. */
function spawnProblem(
  error: NodeJS.ErrnoException,
  options: Pick<ProcessOptions, "command" | "cwd">,
): string {
  const program = options.command;
  switch (error.code) {
    case "ENOENT":
      return (
        workingDirectoryProblem(options.cwd) ??
        `no such program: ${program}${program.includes("/") ? "" : " (not found on PATH)"}`
      );
    case "EACCES":
      return `permission denied: cannot run ${program}`;
    default:
      return `cannot run ${program}: ${error.message}`;
  }
}

/** Undefined when `cwd` is a directory a process can start in. */
export function workingDirectoryProblem(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory())
      return `the working directory ${cwd} is not a directory`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      return `no such working directory: ${cwd}`;
    if (code === "EACCES")
      return `permission denied: cannot enter the working directory ${cwd}`;
    return `working directory ${cwd}: ${(error as Error).message}`;
  }
}
