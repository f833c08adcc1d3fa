import { describe, expect, it } from 'vitest';
import {
  arbiterReport,
  client,
  fleetConfig,
  primaryReport,
  release,
  setAgent,
  simulatedMonitor,
  standbyReport,
  storeConfig,
  unique,
  untilHeld,
} from './support.ts';

describe('a config change while a probe round is in flight', () => {
  it('is not undone by the round: the next decisions use the new config, and the next round comes at once', async () => {
    const id = unique('st');
    await Promise.all([
      // The primary answers only when released: the round stays open on it.
      setAgent(`${id}-a`, { mode: 'held', report: primaryReport(`${id}-a`, 1) }),
      setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 1) }),
      setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-a`, 1) }),
      setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: true }, 1) }),
    ]);
    const monitor = await simulatedMonitor(id);
    const api = client();
    const withMode = (mode: string) => fleetConfig([storeConfig(id, { failover: { mode } })]);
    expect((await api.putConfig(withMode('auto'))).status).toBe(200);

    const round = monitor.round(0); // the first round: it learns the primary (and the epoch) when it ends
    await untilHeld(`${id}-a`);
    expect((await api.putConfig(withMode('off'))).status).toBe(200); // an admin turns failover off meanwhile
    await release(`${id}-a`);
    expect((await round)?.failoverMode).toBe('off');

    // The change asked for a round at once; the round in flight must not push it back an interval.
    // That round may be run by the object's real alarm (set for "now") or by this tick, whichever
    // comes first; either way it runs before the simulated clock reaches the next interval. With the
    // request lost, nothing would run until 5 s later (the alarm is then 5 real seconds away).
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) });
    await monitor.round(1);
    expect((await monitor.stub.getStats()).rounds).toBeGreaterThanOrEqual(2);
    expect((await monitor.stub.status())?.failoverMode).toBe('off');
  });
});
