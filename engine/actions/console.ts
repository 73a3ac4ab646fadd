import type { ConsoleAction } from "../model/index.js";
import { matchTranscript } from "../../checks/transcript.js";
import type { ActionContext, ActionResult } from "./context.js";
import { runProcess } from "./process.js";
import { randomBytes } from "node:crypto";
import { failureMessage, spawnFailure } from "./failure-message.js";
import { remoteInvocation } from "./remote.js";
import { remoteVars } from "./shell.js";
import { resolveCwd, sudoSupervised, userProblem, withUser } from "./user.js";

/**
 * Runs a console transcript in one bash session (so `cd` and variables carry
 * over), here or on its `on=` host, each command's stdout and stderr
 * together, and compares what each printed with the lines under it.
 */
export async function runConsole(
  action: ConsoleAction,
  ctx: ActionContext,
): Promise<ActionResult> {
  // Printable (the output filter drops control characters) and unguessable by the commands.
  const MARK = `RUNBOOK-END-${randomBytes(6).toString("hex")}`;
  const script = action.commands
    .map(
      (c, i) => `{ ${c.command}\n} 2>&1; printf '\\n${MARK}:%s:${i}\\n' "$?"`,
    )
    .join("\n");
  let buffer = "";
  const outputs: string[] = [];
  const statuses: number[] = [];
  const on = action.options.on;
  // On a host, the transcript goes on ssh's stdin to a supervisor there, as a sh block's script does (remote.ts).
  const remote =
    on === undefined
      ? undefined
      : remoteInvocation({
          target: ctx.host(on),
          shell: ["bash", "-s"],
          script,
          vars: remoteVars(ctx, undefined),
          user: action.options.user,
          cwd: action.options.cwd,
        });
  const noUser =
    on === undefined && action.options.user
      ? await userProblem(action.options.user, ctx.isRoot)
      : undefined;
  if (noUser)
    return { kind: "failed", message: spawnFailure(noUser), durationMs: 0 };
  // As another user without being root, a supervisor under sudo can stop the transcript's group (user.ts).
  const sudo =
    on === undefined && action.options.user && !ctx.isRoot
      ? sudoSupervised({
          user: action.options.user,
          shell: ["bash", "-s"],
          script,
        })
      : undefined;
  const viaStdin = remote
    ? { ...remote, command: "ssh" }
    : sudo
      ? { ...sudo, args: sudo.args }
      : undefined;
  const [command = "bash", ...args] = viaStdin
    ? [viaStdin.command, ...viaStdin.args]
    : withUser(["bash", "-c", script], action.options.user, ctx.isRoot);
  const onText = (text: string): void => {
    buffer += text;
    for (
      let at = buffer.indexOf(`\n${MARK}:`);
      at >= 0;
      at = buffer.indexOf(`\n${MARK}:`)
    ) {
      const end = buffer.indexOf("\n", at + 1 + MARK.length);
      if (end < 0) break;
      const [, status] = buffer.slice(at + 1, end).split(":");
      const out = buffer.slice(0, at);
      outputs.push(out);
      statuses.push(Number(status));
      ctx.output(
        "info",
        `$ ${action.commands[outputs.length - 1]?.command ?? ""}\n`,
      );
      if (out) ctx.output("stdout", `${out}\n`);
      buffer = buffer.slice(end + 1);
    }
  };
  const result = await runProcess({
    command,
    args,
    env: ctx.env,
    cwd: remote ? ctx.cwd : resolveCwd(action.options.cwd, ctx.cwd),
    stdin: viaStdin ? { text: viaStdin.stdin, keepOpen: true } : "ignore",
    secrets: ctx.secrets,
    signal: ctx.signal,
    backpressure: ctx.backpressure,
    ...(action.options.timeoutMs !== undefined
      ? { timeoutMs: action.options.timeoutMs }
      : {}),
    ...(ctx.onProcessGroup ? { onSpawn: ctx.onProcessGroup } : {}),
    onOutput: (stream, text) =>
      onText(viaStdin ? viaStdin.setup.filter(stream, text) : text),
  });
  if (viaStdin) onText(viaStdin.setup.flush("stdout"));
  if (
    viaStdin?.setup.reason !== undefined &&
    !result.timedOut &&
    !result.interrupted
  )
    return {
      kind: "failed",
      message: spawnFailure(viaStdin.setup.reason, on),
      durationMs: result.durationMs,
    };
  const durationMs = result.durationMs;
  if (buffer) ctx.output("stdout", buffer);
  if (result.spawnError || result.interrupted || result.timedOut) {
    return {
      kind: result.interrupted ? "interrupted" : "failed",
      message: failureMessage({
        ...result,
        expectedExit: 0,
        timeoutMs: action.options.timeoutMs,
      }),
      durationMs,
    };
  }
  for (const [i, c] of action.commands.entries()) {
    const out = outputs[i];
    if (out === undefined)
      return {
        kind: "failed",
        message: `line ${c.at.line}: \`${c.command}\` did not finish (exit status ${result.exitCode ?? "?"})`,
        durationMs,
      };
    const lines = out.replace(/\n+$/, "").split("\n");
    if (!matchTranscript(c.expected, lines)) {
      return {
        kind: "failed",
        message: `line ${c.at.line}: \`${c.command}\` printed ${JSON.stringify(lines.slice(0, 5).join("\n"))}${lines.length > 5 ? "…" : ""}, expected ${JSON.stringify(c.expected.slice(0, 5).join("\n"))}`,
        durationMs,
      };
    }
  }
  return { kind: "ok", durationMs };
}
