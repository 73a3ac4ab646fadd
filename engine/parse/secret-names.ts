/**
 * SPEC 1.1: a param is secret when declared so or when its name ends in
 * password, secret, token or key (case-insensitive; `monkey` counts too).
 */
export function isSecretName(name: string): boolean {
  return /(?:password|secret|token|key)$/i.test(name);
}
