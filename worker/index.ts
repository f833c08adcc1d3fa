/** The Worker's entry: HTTP through the Hono app, the watchdog cron, and the Durable Object classes. */
import { app } from './app.ts';
import { pingDeadMan } from './dead-man.ts';
import { fleetStub } from './fleet/stub.ts';

export { Fleet } from './fleet/fleet.ts';
export { StoreMonitor } from './monitor/store-monitor.ts';

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(
      fleetStub(env)
        .rearmMonitors()
        .then(async (run) => {
          const { rearmed, failed } = run;
          if (rearmed.length > 0) console.warn(`watchdog re-armed ${rearmed.length} monitor(s): ${rearmed.join(', ')}`);
          if (failed.length > 0)
            console.error(`watchdog could not reach ${failed.length} monitor(s): ${failed.join(', ')}`);
          const ping = await pingDeadMan(env, run, controller.scheduledTime);
          if (!ping.pinged && run.deadMan) console.error(`dead-man ping not sent: ${ping.why}`);
          else if (ping.pinged && ping.status >= 400) console.error(`dead-man ping answered HTTP ${ping.status}`);
        }),
    );
  },
} satisfies ExportedHandler<Env>;
