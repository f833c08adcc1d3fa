/**
 * The Worker's own credentials and bindings. A fleet config may name Worker secrets (alert
 * channels, `{{secret:…}}` templates, job tokens, the dead-man URL), but never one of these: an
 * admin able to PUT a config could otherwise have a token or a master key sent to any URL.
 */
export const RESERVED_SECRET_NAMES: ReadonlySet<string> = new Set([
  'ADMIN_TOKEN',
  'OPERATOR_TOKEN',
  'VIEWER_TOKEN',
  'WEBHOOK_SECRET',
  'HOOK_SECRET',
  'FLEET_NAME',
  'FLEET',
  'STORE_MONITOR',
]);

export const isReservedName = (name: string): boolean => RESERVED_SECRET_NAMES.has(name);
