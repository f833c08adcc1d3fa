/** The Fleet object: one per deployment (tests name their own). */
export function fleetStub(env: Env, name: string = env.FLEET_NAME) {
  return env.FLEET.get(env.FLEET.idFromName(name));
}
