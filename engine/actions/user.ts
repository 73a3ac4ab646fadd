import { execFile } from "node:child_process";
import path from "node:path";
import { supervised, type SetupProblem } from "./remote.js";

/**
 * `user=NAME`: `runuser -u NAME --` when running as root, else
 * `sudo -n -u NAME --preserve-env --` (never prompting for a password).
 */
export function withUser(
  argv: readonly string[],
  user: string | undefined,
  isRoot: boolean,
): string[] {
  if (!user) return [...argv];
  return isRoot
    ? ["runuser", "-u", user, "--", ...argv]
    : ["sudo", "-n", "--preserve-env", "-u", user, "--", ...argv];
}

/**
 * `user=NAME` when runbook is not root: `sudo -n --preserve-env -u NAME --`
 * runs the supervisor of remote.ts as NAME, with the script on its stdin
 * (kept open while it runs). runbook, an ordinary user, cannot signal NAME's
 * processes: on a timeout or an interrupt, the end of stdin (or the SIGTERM
 * sudo relays) makes the supervisor stop the script's whole group itself.
 */
export function sudoSupervised(o: {
  user: string;
  shell: readonly string[];
  script: string;
  expectedExit?: number | undefined;
}): { command: string; args: string[]; stdin: string; setup: SetupProblem } {
  const s = supervised({
    shell: o.shell,
    script: o.script,
    vars: {},
    expectedExit: o.expectedExit,
  });
  return {
    command: "sudo",
    args: ["-n", "--preserve-env", "-u", o.user, "--", ...s.argv],
    stdin: s.stdin,
    setup: s.setup,
  };
}

/** A block's `cwd=`, relative to where runbook was started. */
export function resolveCwd(cwd: string | undefined, base: string): string {
  return cwd ? path.resolve(base, cwd) : base;
}

/**
 * Undefined when this process can run a command as `user` the way `user=`
 * does, else why not, in one line: `user` is no account of this machine (as
 * the system's name service sees it, with `getent passwd`), or, when not
 * root, `sudo -n` will not run a command as `user` without a password (or
 * will not keep the environment). Asked before the block runs, so a missing
 * sudoers rule is a clear message, never a password prompt, a hang, or an
 * "exit status 1" that looks like the script's own failure. When that
 * cannot be told (no getent), runuser or sudo will say.
 */
export async function userProblem(
  user: string,
  isRoot: boolean,
): Promise<string | undefined> {
  const noAccount = await new Promise<string | undefined>((resolve) => {
    execFile("getent", ["passwd", "--", user], { timeout: 10_000 }, (error) => {
      // getent exits 2 when the key is not found; another failure (no getent) leaves it to runuser or sudo.
      const code: unknown = error?.code;
      resolve(code === 2 ? `no such user: ${user}` : undefined);
    });
  });
  if (noAccount !== undefined || isRoot) return noAccount;
  return sudoProblem(user);
}

/** Why `sudo -n --preserve-env -u USER -- true` fails, or undefined when it runs. */
function sudoProblem(user: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = execFile(
      "sudo",
      ["-n", "--preserve-env", "-u", user, "--", "true"],
      { timeout: 15_000 },
      (error, _stdout, stderr) => {
        if (!error) return resolve(undefined);
        if ((error as NodeJS.ErrnoException).code === "ENOENT")
          return resolve(
            `cannot run as ${user}: runbook is not root and this machine has no sudo`,
          );
        const said =
          stderr
            .split("\n")
            .map((l) => l.replace(/^sudo:\s*/, "").trim())
            .filter((l) => l !== "")
            .at(-1) ?? `exit status ${String(error.code ?? error.signal)}`;
        const fix = /password|not allowed to run|may not run/i.test(said)
          ? "runbook never asks for a password: a sudoers rule with NOPASSWD for this user is needed, or run runbook as root"
          : "user= runs sudo -n --preserve-env -u USER when runbook is not root";
        resolve(`cannot run as ${user}: sudo -n says "${said}"; ${fix}`);
      },
    );
    child.stdin?.end();
  });
}
