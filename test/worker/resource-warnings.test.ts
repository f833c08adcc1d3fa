import { describe, expect, it } from 'vitest';
import { setAgent, standbyReport, watchedStore } from './support.ts';

async function watched(resources: Record<string, number> = {}) {
  const { id, monitor } = await watchedStore({ defaults: { resources } });
  const standbyUses = (figures: Record<string, number>) =>
    setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 1, {}, { resources: figures }) });
  return { id, monitor, standbyUses };
}

describe('resource warnings from the agents’ reports', () => {
  it('CPU above the threshold degrades the store only once it is sustained, and clears when it drops', async () => {
    const { id, monitor, standbyUses } = await watched({ sustainSeconds: 60 });
    await standbyUses({ cpuPercent: 97, memoryPercent: 40, diskPercent: 50 });
    expect((await monitor.rounds(11))?.status).toBe('healthy'); // 55 s: a spike, not yet sustained
    const sustained = await monitor.rounds(2);
    expect(sustained?.status).toBe('degraded');
    expect(sustained?.reasons).toContain(`${id}-b: CPU at 97 % (threshold 90 %)`);
    await standbyUses({ cpuPercent: 30, memoryPercent: 40, diskPercent: 50 });
    expect((await monitor.round())?.status).toBe('healthy');
  });

  it('a dip below the threshold restarts the sustain clock', async () => {
    const { monitor, standbyUses } = await watched({ sustainSeconds: 60 });
    await standbyUses({ memoryPercent: 95 });
    await monitor.rounds(8);
    await standbyUses({ memoryPercent: 80 });
    await monitor.round();
    await standbyUses({ memoryPercent: 95 });
    expect((await monitor.rounds(8))?.status).toBe('healthy');
    expect((await monitor.rounds(5))?.status).toBe('degraded');
  });

  it('a full disk counts at once, against its own threshold', async () => {
    const { id, monitor, standbyUses } = await watched({ diskPercent: 85 });
    await standbyUses({ diskPercent: 88 });
    const status = await monitor.round();
    expect(status?.status).toBe('degraded');
    expect(status?.reasons).toContain(`${id}-b: disk at 88 % (threshold 85 %)`);
  });
});
