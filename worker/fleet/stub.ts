import { ID_PATTERN } from '#shared/schemas/config.ts';

/** The Fleet object: one per deployment (tests name their own). */
export function fleetStub(env: Env, name: string = env.FLEET_NAME) {
  return env.FLEET.get(env.FLEET.idFromName(name));
}

/**
 * Whether `storeId` names a store of the fleet config. Routes ask before they reach a monitor: an
 * unauthenticated caller must not wake (and so create) a Durable Object for any id it makes up.
 */
export async function isFleetStore(env: Env, storeId: string): Promise<boolean> {
  return ID_PATTERN.test(storeId) && (await fleetStub(env).hasStore(storeId));
}
