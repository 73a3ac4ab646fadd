import type { ShellAction } from "../model/index.js";
import type { ActionContext, ActionResult } from "./context.js";
import { processActionResult } from "./failure-message.js";
import { runProcess, type ProcessOptions } from "./process.js";
import { remoteInvocation } from "./remote.js";
import { resolveCwd, sudoSupervised, userProblem, withUser } from "./user.js";

/** The argv of a shell: `sh -e`, or `bash -euo pipefail`. */
export function shellArgv(shell: "sh" | "bash"): string[] {
  return shell === "sh" ? ["/bin/sh", "-e"] : ["bash", "-euo", "pipefail"];
}

/** Runs an sh/bash block: locally, as another user, or on a host over ssh. */
export async function runShell(
  action: ShellAction,
  ctx: ActionContext,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<ActionResult> {
  const result = await runScript({
    shell: action.shell,
    script: action.code,
    options: action.options,
    ctx,
    extraEnv,
    expectedExit: action.options.exit,
    ...(ctx.onProcessGroup ? { onSpawn: ctx.onProcessGroup } : {}),
  });
  return processActionResult(result, {
    expectedExit: action.options.exit,
    timeoutMs: action.options.timeoutMs,
    capture: action.options.capture !== undefined,
  });
}

export interface ScriptOptions {
  readonly shell: "sh" | "bash";
  readonly script: string;
  readonly options: {
    readonly user?: string;
    readonly on?: string;
    readonly cwd?: string;
    readonly timeoutMs?: number;
    readonly interactive?: boolean;
    readonly capture?: string;
  };
  readonly ctx: ActionContext;
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Keep stdout (up to this many characters) for capture or checks. @default 1 MiB when capturing */
  readonly keepStdout?: number;
  /** Do not show the output (checks show their result instead). */
  readonly quiet?: boolean;
  /** The exit status of success: on any other, what the script left running is stopped (see runProcess). */
  readonly expectedExit?: number;
  /** Told the process group id once the script runs (an action's is journaled; a check's, which changes nothing, is not). */
  readonly onSpawn?: (pgid: number) => void;
}

export type ScriptResult = Awaited<ReturnType<typeof runProcess>>;

/** Runs a script with the step's environment; keeps stdout when asked (capture, checks). */
export async function runScript(o: ScriptOptions): Promise<ScriptResult> {
  const { ctx } = o;
  const env = { ...ctx.env, ...o.extraEnv };
  const keep = o.keepStdout ?? (o.options.capture ? 1 << 20 : 0);
  const onOutput: ProcessOptions["onOutput"] = (stream, text) => {
    if (!o.quiet) ctx.output(stream, text);
  };
  const base = {
    env,
    secrets: ctx.secrets,
    onOutput,
    signal: ctx.signal,
    backpressure: ctx.backpressure,
    keepStdout: keep,
    ...(o.options.timeoutMs !== undefined
      ? { timeoutMs: o.options.timeoutMs }
      : {}),
    ...(o.expectedExit !== undefined ? { expectedExit: o.expectedExit } : {}),
    ...(o.onSpawn ? { onSpawn: o.onSpawn } : {}),
  };

  if (o.options.on !== undefined) {
    const remote = remoteInvocation({
      target: ctx.host(o.options.on),
      shell: [...shellArgv(o.shell), "-s"],
      script: o.script,
      vars: remoteVars(ctx, o.extraEnv),
      user: o.options.user,
      cwd: o.options.cwd,
      expectedExit: o.expectedExit,
    });
    const result = await runProcess({
      ...base,
      onOutput: (stream, text) =>
        onOutput(stream, remote.setup.filter(stream, text)),
      command: "ssh",
      args: remote.args,
      cwd: ctx.cwd,
      // Kept open while the script runs: closing it (or ssh dying) stops the script's group on the host.
      stdin: { text: remote.stdin, keepOpen: true },
    });
    for (const stream of ["stdout", "stderr"] as const) {
      const rest = remote.setup.flush(stream);
      if (rest) onOutput(stream, rest);
    }
    const problem = remote.setup.reason;
    return problem === undefined || result.timedOut || result.interrupted
      ? result
      : {
          ...result,
          spawnError: `${problem} (host ${o.options.on})`,
          stdout: "",
        };
  }
  const noUser = o.options.user
    ? await userProblem(o.options.user, ctx.isRoot)
    : undefined;
  if (noUser)
    return {
      timedOut: false,
      interrupted: false,
      spawnError: noUser,
      durationMs: 0,
      stdout: "",
    };
  const cwd = resolveCwd(o.options.cwd, ctx.cwd);
  if (o.options.user && !ctx.isRoot && !o.options.interactive) {
    const sudo = sudoSupervised({
      user: o.options.user,
      shell: [...shellArgv(o.shell), "-s"],
      script: o.script,
      expectedExit: o.expectedExit,
    });
    const result = await runProcess({
      ...base,
      onOutput: (stream, text) =>
        onOutput(stream, sudo.setup.filter(stream, text)),
      command: sudo.command,
      args: sudo.args,
      cwd,
      stdin: { text: sudo.stdin, keepOpen: true },
    });
    for (const stream of ["stdout", "stderr"] as const)
      onOutput(stream, sudo.setup.flush(stream));
    return sudo.setup.reason === undefined ||
      result.timedOut ||
      result.interrupted
      ? result
      : { ...result, spawnError: sudo.setup.reason, stdout: "" };
  }
  const [command = "/bin/sh", ...args] = withUser(
    [...shellArgv(o.shell), "-c", o.script],
    o.options.user,
    ctx.isRoot,
  );
  return runProcess({
    ...base,
    command,
    args,
    cwd,
    stdin: o.options.interactive ? "inherit" : "ignore",
  });
}

/** The variables a remote script gets: the run's variables and RUNBOOK_*, not the local environment. */
export function remoteVars(
  ctx: ActionContext,
  extra: Readonly<Record<string, string>> | undefined,
): Map<string, string> {
  const vars = new Map(ctx.vars);
  for (const [k, v] of Object.entries(ctx.env))
    if (k.startsWith("RUNBOOK_")) vars.set(k, v);
  for (const [k, v] of Object.entries(extra ?? {})) vars.set(k, v);
  return vars;
}
