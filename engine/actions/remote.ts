/** Quotes a word for a POSIX shell: 'it'\''s'. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines that give a remote script the variables a local one gets from its environment. */
export function exportLines(vars: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string {
  const entries = vars instanceof Map ? [...vars] : Object.entries(vars);
  return entries
    .filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => `export ${name}=${shQuote(value)}\n`)
    .join('');
}

/**
 * The ssh command line for `on=HOST`: the system OpenSSH client, never asking
 * for a password (BatchMode), the script read by the remote shell from stdin.
 */
export function sshArgs(target: string, remoteCommand: string): string[] {
  return ['-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', '--', target, remoteCommand];
}

/**
 * The remote command that runs a script sent on stdin (`script` bytes long)
 * with `inner` (`bash -euo pipefail -s`, behind `runuser`/`sudo` for user=)
 * so that a timeout or an interrupt leaves nothing of it on the host (SPEC 3).
 *
 * OpenSSH without a terminal does not signal the remote command when the
 * connection goes: a `sleep` would live on. So a small POSIX sh wrapper reads
 * the script off the connection, feeds it to `inner` through a pipe, in a
 * session of its own (`setsid`, where the host has it), and keeps reading the
 * connection: when that ends (runbook closed it, or ssh was killed), it stops
 * the whole group, SIGTERM then SIGKILL after 2 seconds. runbook keeps ssh's
 * stdin open while the script runs. One line, in single quotes: any login
 * shell passes it to sh unchanged. The script is never in a command line or
 * a file.
 */
export function supervisedRemoteCommand(inner: string, scriptBytes: number): string {
  const wrapper = [
    'exec 3<&0',
    `s=$(head -c ${scriptBytes})`,
    'if command -v setsid >/dev/null 2>&1; then g=setsid; else g=; fi',
    `printf '%s\\n' "$s" | $g ${inner} &`,
    'job=$!',
    's=',
    '(while IFS= read -r _; do :; done <&3; kill -TERM -$job 2>/dev/null || kill -TERM $job 2>/dev/null; sleep 2; kill -KILL -$job 2>/dev/null || kill -KILL $job 2>/dev/null) >/dev/null 2>&1 &',
    'watch=$!',
    'wait $job; st=$?',
    'kill $watch 2>/dev/null',
    'exit $st',
  ].reduce((line, part) => (line === '' ? part : `${line}${line.endsWith('&') ? ' ' : '; '}${part}`), '');
  return `sh -c ${shQuote(wrapper)}`;
}
