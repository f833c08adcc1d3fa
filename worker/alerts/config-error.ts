/**
 * A channel that cannot be sent as configured (a secret not set, a secret that is not a URL, a
 * template that does not render): sending again will not help, a person must fix the config.
 */
export class AlertConfigError extends Error {
  override name = 'AlertConfigError';
}

/** Reads a Worker secret by NAME at send time; undefined when it is not set. */
export type SecretLookup = (name: string) => string | undefined;

export function requireSecret(secret: SecretLookup, name: string): string {
  const value = secret(name);
  if (value === undefined || value === '') {
    throw new AlertConfigError(`the Worker secret ${name} is not set (wrangler secret put ${name})`);
  }
  return value;
}

/** A URL read from a secret, checked here so a malformed one never reaches fetch, whose errors quote it. */
export function requireUrlSecret(secret: SecretLookup, name: string): string {
  const value = requireSecret(secret, name);
  if (!isHttpUrl(value)) throw new AlertConfigError(`the Worker secret ${name} is not an http(s) URL`);
  return value;
}

export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
