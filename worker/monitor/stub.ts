/** One StoreMonitor per store id. */
export function monitorStub(env: Env, storeId: string) {
  return env.STORE_MONITOR.get(env.STORE_MONITOR.idFromName(storeId));
}
