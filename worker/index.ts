/** The Worker's entry: HTTP through the Hono app, the watchdog cron, and the Durable Object classes. */
import { app } from './app.ts';
import { fleetStub } from './fleet/stub.ts';

export { Fleet } from './fleet/fleet.ts';
export { StoreMonitor } from './monitor/store-monitor.ts';

export default {
  fetch: app.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      fleetStub(env)
        .rearmMonitors()
        .then(({ rearmed, failed }) => {
          if (rearmed.length > 0) console.warn(`watchdog re-armed ${rearmed.length} monitor(s): ${rearmed.join(', ')}`);
          if (failed.length > 0)
            console.error(`watchdog could not reach ${failed.length} monitor(s): ${failed.join(', ')}`);
        }),
    );
  },
} satisfies ExportedHandler<Env>;
