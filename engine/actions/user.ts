import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * `user=NAME`: `runuser -u NAME --` when running as root, else
 * `sudo -n -u NAME --preserve-env --` (never prompting for a password).
 */
export function withUser(argv: readonly string[], user: string | undefined, isRoot: boolean): string[] {
  if (!user) return [...argv];
  return isRoot ? ['runuser', '-u', user, '--', ...argv] : ['sudo', '-n', '--preserve-env', '-u', user, '--', ...argv];
}

/** A block's `cwd=`, relative to where runbook was started. */
export function resolveCwd(cwd: string | undefined, base: string): string {
  return cwd ? path.resolve(base, cwd) : base;
}

/**
 * Undefined when `user` is an account of this machine (as the system's name
 * service sees it, with `getent passwd`), else why not; undefined too when
 * that cannot be told (no getent), and runuser or sudo will say.
 */
export function userProblem(user: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('getent', ['passwd', '--', user], { timeout: 10_000 }, (error) => {
      // getent exits 2 when the key is not found; another failure (no getent) leaves it to runuser or sudo.
      const code: unknown = error?.code;
      resolve(code === 2 ? `no such user: ${user}` : undefined);
    });
  });
}
