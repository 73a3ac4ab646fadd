import type { PsqlAction } from "../model/index.js";
import type { ActionContext, ActionResult } from "./context.js";
import { databaseEnv } from "./database-env.js";
import { processActionResult, spawnFailure } from "./failure-message.js";
import { runProcess } from "./process.js";
import { userProblem, withUser } from "./user.js";

/**
 * `\set name 'value'` for psql: inside single quotes psql reads `''` as a
 * quote and C-style backslash escapes, so every value stays data.
 */
export function psqlSetLines(vars: ReadonlyMap<string, string>): string {
  let out = "";
  for (const [name, value] of vars) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const quoted = value
      .replace(/\\/g, "\\\\")
      .replace(/'/g, "''")
      .replace(/\n/g, "\\n")
      .replace(/\r/g, "\\r")
      .replace(/\t/g, "\\t");
    out += `\\set ${name} '${quoted}'\n`;
  }
  return out;
}

/**
 * Feeds a psql block to the real psql binary with ON_ERROR_STOP, the
 * connection in PG* variables and the run's variables as `\set` lines on
 * stdin: never in argv, never in a file.
 */
export async function runPsql(
  action: PsqlAction,
  db: string,
  ctx: ActionContext,
): Promise<ActionResult> {
  const noUser = action.options.user
    ? await userProblem(action.options.user, ctx.isRoot)
    : undefined;
  if (noUser)
    return { kind: "failed", message: spawnFailure(noUser), durationMs: 0 };
  const database = ctx.connections.database(db);
  const env = { ...ctx.env, ...databaseEnv(database.url) };
  const argv = withUser(
    ["psql", "-X", "-w", "-v", "ON_ERROR_STOP=1", "--pset=pager=off"],
    action.options.user,
    ctx.isRoot,
  );
  const [command = "psql", ...args] = argv;
  const result = await runProcess({
    command,
    args,
    env,
    cwd: ctx.cwd,
    stdin: { text: `${psqlSetLines(ctx.vars)}${action.code}\n` },
    secrets: ctx.secrets,
    signal: ctx.signal,
    backpressure: ctx.backpressure,
    ...(action.options.timeoutMs !== undefined
      ? { timeoutMs: action.options.timeoutMs }
      : {}),
    keepStdout: action.options.capture ? 1 << 20 : 0,
    expectedExit: action.options.exit,
    ...(ctx.onProcessGroup ? { onSpawn: ctx.onProcessGroup } : {}),
    onOutput: (stream, text) => ctx.output(stream, text),
  });
  return processActionResult(result, {
    expectedExit: action.options.exit,
    timeoutMs: action.options.timeoutMs,
    capture: action.options.capture !== undefined,
  });
}
