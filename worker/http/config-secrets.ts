/**
 * A config may name only secrets and bindings this Worker has, and never one of the Worker's own
 * credentials: 422 with the path of every such name, and nothing changes.
 */
import { secretReferences } from '#shared/fleet/secret-references.ts';
import { isReservedName } from '#shared/reserved-names.ts';
import type { FleetConfig } from '#shared/schemas/config.ts';
import { formatPath } from '#shared/schemas/issues.ts';
import { ApiException } from './api-error.ts';
import { hasSecret } from './env-secrets.ts';

export function checkConfigSecrets(env: Env, config: FleetConfig): void {
  const refs = secretReferences(config);
  const reserved = refs.filter((ref) => isReservedName(ref.name));
  if (reserved.length > 0)
    throw new ApiException(
      422,
      'invalid_config',
      `the config names ${reserved.length} of the Worker's own credentials; give each channel a secret of its own`,
      reserved.map((ref) => ({
        path: formatPath(ref.path),
        message: `"${ref.name}" is one of the Worker's own credentials and can never be used by a config`,
      })),
    );
  const missing = refs.filter((ref) => !hasSecret(env, ref.name, ref.binding === true));
  if (missing.length > 0)
    throw new ApiException(
      422,
      'invalid_config',
      `the config names ${missing.length} secret(s) or binding(s) this Worker does not have`,
      missing.map((ref) => ({
        path: formatPath(ref.path),
        message: ref.binding
          ? `no send_email binding "${ref.name}" in wrangler.toml`
          : `no Worker secret "${ref.name}" (locally: a line in .dev.vars; deployed: wrangler secret put ${ref.name})`,
      })),
    );
}
