/**
 * The reasons a monitor gives for a primary that does not serve: in words that match the cause,
 * with a time that holds still from round to round.
 */
import { describe, expect, it } from 'vitest';
import {
  client,
  fleetConfig,
  healthyStore,
  primaryReport,
  setAgent,
  simulatedMonitor,
  standbyReport,
  storeConfig,
  unique,
} from './support.ts';

async function storeAtEpoch(epoch: number) {
  const id = unique('st');
  await healthyStore(id, epoch);
  const monitor = await simulatedMonitor(id);
  expect((await client().putConfig(fleetConfig([storeConfig(id)]))).status).toBe(200);
  await monitor.round(0);
  expect(await monitor.rounds(3)).toMatchObject({ status: 'healthy', epoch });
  return { id, monitor };
}

describe('why the primary does not serve', () => {
  it('a primary left at an older epoch reads as an epoch mismatch, the same text every round', async () => {
    const { id, monitor } = await storeAtEpoch(2);
    // The standby follows epoch 2; the primary answers healthy, but at epoch 1.
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) });
    await setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-a`, 1) });
    await setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 2) });
    const first = await monitor.rounds(2);
    expect(first?.status, JSON.stringify(first?.reasons)).toBe('primary_down');
    const reason = `primary ${id}-a reports epoch 1, below the store's epoch 2, and no other node serves at it`;
    expect(first?.reasons[0]).toBe(reason);
    expect(first?.reasons.join('\n')).not.toMatch(/unhealthy/);
    for (let i = 0; i < 3; i++) expect((await monitor.round(1000))?.reasons[0]).toBe(reason);
  });

  it('an unhealthy primary says since when, and that time does not move', async () => {
    const { id, monitor } = await storeAtEpoch(1);
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1, { healthy: false }) });
    const first = (await monitor.rounds(2))?.reasons[0];
    expect(first).toMatch(new RegExp(`^primary ${id}-a reports its database unhealthy since 2026-11-21T10:00:`));
    for (let i = 0; i < 3; i++) expect((await monitor.round(1000))?.reasons[0]).toBe(first);
  });
});
