import { spawn } from "node:child_process";

/** How a tool run ended. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** `missing`: the program is not installed; `timeout`: it was killed at the limit. */
  readonly failure?: "missing" | "timeout" | string;
}

export interface RunToolOptions {
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default 120000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a checking tool (bash -n, shellcheck) directly, without a shell, and
 * collects its output. Only programs that read runbook text as data are run
 * here; never the runbook's own code.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: RunToolOptions,
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = "timeout";
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 120_000);
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    child.on("error", (error: NodeJS.ErrnoException) => {
      failure ??= error.code === "ENOENT" ? "missing" : error.message;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const run = {
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      };
      resolve(failure === undefined ? run : { ...run, failure });
    });
  });
}

/** The environment a tool gets: the caller's PATH and a fixed locale, nothing that could make a shell read a startup file. */
export function toolEnv(
  env: Readonly<Record<string, string | undefined>>,
  locale = "C",
): Record<string, string> {
  return {
    PATH: env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
    LC_ALL: locale,
    ...(env["TMPDIR"] ? { TMPDIR: env["TMPDIR"] } : {}),
  };
}
