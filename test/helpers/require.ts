/**
 * A test that needs something of the machine (root, shellcheck, a real sshd)
 * fails and says how to get it, rather than skipping: CI installs all of it
 * and runs as root, so a missing piece there is a real failure.
 */
export function requireThat(ok: boolean, why: string): void {
  if (!ok) throw new Error(`this test needs ${why}`);
}
