/**
 * Every Worker secret or binding a fleet config names, with its path: the worker refuses a config
 * naming one it does not have (so a typo shows at PUT time, not when the first alert fails) or one
 * of its own credentials.
 */
import { channelSecretNames } from '../alerts/routing.ts';
import type { FleetConfig } from '../schemas/config.ts';

export interface SecretReference {
  path: PropertyKey[];
  name: string;
  binding?: true;
}

export function secretReferences(fleet: FleetConfig): SecretReference[] {
  const refs: SecretReference[] = [];
  fleet.alerts?.channels.forEach((ch, i) => {
    if (ch.type === 'email') refs.push({ path: ['alerts', 'channels', i, 'binding'], name: ch.binding, binding: true });
    for (const ref of channelSecretNames(ch)) refs.push({ path: ['alerts', 'channels', i, ref.field], name: ref.name });
  });
  if (fleet.deadMan?.urlSecret) refs.push({ path: ['deadMan', 'urlSecret'], name: fleet.deadMan.urlSecret });
  fleet.stores.forEach((store, s) => {
    store.jobs?.forEach((job, j) => {
      if (job.tokenSecret) refs.push({ path: ['stores', s, 'jobs', j, 'tokenSecret'], name: job.tokenSecret });
    });
  });
  return refs;
}
