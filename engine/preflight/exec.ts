import {
  runProcess,
  remoteInvocation,
  shellArgv,
  userProblem,
  withUser,
} from "../actions/index.js";
import type { Place } from "./types.js";

/**
 * ssh options for everything preflight runs on a host. BatchMode: never a
 * password or passphrase prompt. StrictHostKeyChecking=yes and
 * UpdateHostKeys=no: an unknown host key is reported, never accepted, and
 * known_hosts is never written (a preflight changes nothing, not even there).
 */
export const PREFLIGHT_SSH_OPTIONS = [
  "-T",
  "-o",
  "BatchMode=yes",
  "-o",
  "ConnectTimeout=10",
  "-o",
  "StrictHostKeyChecking=yes",
  "-o",
  "UpdateHostKeys=no",
] as const;

/** Options of {@link runAt}. */
export interface RunAtOptions {
  readonly shell: "sh" | "bash";
  readonly script: string;
  readonly place: Place;
  /** The ssh target of `place.on` (`root@10.0.1.5`, an alias of ~/.ssh/config). */
  readonly target?: string;
  /** The environment of a local script (the caller's, plus the run's variables). */
  readonly env: Readonly<Record<string, string>>;
  /** What a remote script gets as `export` lines: the run's variables, never the local environment. */
  readonly remoteVars: Readonly<Record<string, string>>;
  /** Working directory (`cwd=`). */
  readonly cwd: string;
  readonly remoteCwd?: string;
  readonly timeoutMs: number;
  readonly secrets: readonly string[];
  readonly signal: AbortSignal;
  readonly isRoot: boolean;
}

export interface RunAtResult {
  readonly exitCode?: number;
  /** Raw stdout (never shown as is: may hold a secret). */
  readonly stdout: string;
  /** Masked stderr. */
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Could not start (no such program, no such user, bad working directory). */
  readonly spawnError?: string;
}

/**
 * Runs a script where a step's block would run: on this machine, as
 * `user=` (runuser as root, else `sudo -n`), or on an `on=` host through the
 * system OpenSSH client with the script on stdin, as the run does, in a
 * process group of its own that a timeout stops whole.
 */
export async function runAt(o: RunAtOptions): Promise<RunAtResult> {
  let stderr = "";
  const common = {
    secrets: o.secrets,
    signal: o.signal,
    timeoutMs: o.timeoutMs,
    keepStdout: 1 << 20,
    expectedExit: 0,
    onOutput: (stream: "stdout" | "stderr", text: string) => {
      if (stream === "stderr" && stderr.length < 1 << 16) stderr += text;
    },
  };
  let result;
  if (o.place.on !== undefined) {
    const remote = remoteInvocation({
      target: o.target ?? o.place.on,
      shell: [...shellArgv(o.shell), "-s"],
      script: o.script,
      vars: o.remoteVars,
      user: o.place.user,
      cwd: o.remoteCwd,
      sshOptions: PREFLIGHT_SSH_OPTIONS,
    });
    result = await runProcess({
      ...common,
      onOutput: (stream: "stdout" | "stderr", text: string) =>
        common.onOutput(stream, remote.setup.filter(stream, text)),
      command: "ssh",
      args: remote.args,
      env: o.env,
      cwd: o.cwd,
      stdin: { text: remote.stdin, keepOpen: true },
    });
    common.onOutput("stderr", remote.setup.flush("stderr"));
    if (remote.setup.reason !== undefined && !result.timedOut)
      result = {
        ...result,
        spawnError: `${remote.setup.reason} (host ${o.place.on})`,
      };
  } else {
    const noUser = o.place.user
      ? await userProblem(o.place.user, o.isRoot)
      : undefined;
    if (noUser)
      return { stdout: "", stderr: "", timedOut: false, spawnError: noUser };
    const [command = "/bin/sh", ...args] = withUser(
      [...shellArgv(o.shell), "-c", o.script],
      o.place.user,
      o.isRoot,
    );
    result = await runProcess({
      ...common,
      command,
      args,
      env: o.env,
      cwd: o.cwd,
      stdin: "ignore",
    });
  }
  return {
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    stdout: result.stdout,
    stderr: stderr.trim(),
    timedOut: result.timedOut,
    ...(result.spawnError !== undefined
      ? { spawnError: result.spawnError }
      : {}),
  };
}

/** The last meaningful line of an error output, for a one-line reason. */
export function lastLine(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^Warning: Permanently added/.test(l));
  return lines.at(-1) ?? "";
}
