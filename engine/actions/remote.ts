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
