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
