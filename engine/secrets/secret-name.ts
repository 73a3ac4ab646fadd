/**
 * The SPEC's rule for secrets by name: any param whose name ends in
 * `password`, `secret`, `token` or `key`, ignoring case.
 */
const SECRET_NAME = /(?:password|secret|token|key)$/i;

/**
 * Whether a param is a secret because of its name (SPEC 1.1), whatever its
 * `secret:` flag says.
 *
 * The rule is applied literally, as a suffix test: `db_password`, `apiToken`,
 * `API_KEY` and `ssh_key` are secrets, and so are `monkey` and `turkey`.
 * Masking a harmless value is cheap; a clever word-boundary rule that missed
 * `sshkey` would leak it.
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
