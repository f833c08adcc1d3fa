import { describe, expect, it } from 'vitest';
import { overlayStatus } from '#shared/monitor/store-status.ts';
import { resourceProblems, trackResources } from '#shared/resources.ts';

const T = { cpuPercent: 90, memoryPercent: 90, diskPercent: 90, sustainSeconds: 300 };
const S = 1000;

describe('resource tracking', () => {
  it('CPU must stay over the threshold for the sustain time; disk counts at once', () => {
    let track = trackResources({}, [{ node: 'a', cpuPercent: 95, diskPercent: 91 }], T, 0);
    expect(resourceProblems(track, T, 299 * S, () => false).map((p) => p.kind)).toEqual(['disk']);
    track = trackResources(track, [{ node: 'a', cpuPercent: 96 }], T, 300 * S);
    expect(resourceProblems(track, T, 300 * S, () => false).map((p) => [p.kind, p.value])).toEqual([
      ['cpu', 96],
      ['disk', 91],
    ]);
  });

  it('a reading at or below the threshold resets the clock; no reading keeps it', () => {
    let track = trackResources({}, [{ node: 'a', memoryPercent: 95 }], T, 0);
    track = trackResources(track, [], T, 200 * S);
    track = trackResources(track, [{ node: 'a', memoryPercent: 89.9 }], T, 250 * S);
    track = trackResources(track, [{ node: 'a', memoryPercent: 99 }], T, 260 * S);
    expect(resourceProblems(track, T, 500 * S, () => false)).toEqual([]);
    expect(resourceProblems(track, T, 560 * S, () => false)).toHaveLength(1);
  });

  it('an alert already open stays a problem while the reading is over, even with a lost sustain clock', () => {
    const track = trackResources({}, [{ node: 'a', cpuPercent: 95 }], T, 1000 * S); // a fresh track after a restart
    expect(resourceProblems(track, T, 1000 * S, (key) => key === 'a:cpu')).toHaveLength(1);
    expect(resourceProblems(track, T, 1000 * S, () => false)).toEqual([]);
  });
});

describe('the status overlay', () => {
  const window = { id: 'w', reason: 'disk swap', start: 0, end: 3_600_000 };
  it('a window turns any status but a failover under way, a confirmation or a split brain into maintenance', () => {
    expect(overlayStatus({ status: 'primary_down', reasons: ['x'] }, window, []).status).toBe('maintenance');
    for (const status of ['failing_over', 'awaiting_confirm', 'split_brain'] as const)
      expect(overlayStatus({ status, reasons: [] }, window, []).status).toBe(status);
  });
  it('warnings make a healthy store degraded and add to any other status', () => {
    expect(overlayStatus({ status: 'healthy', reasons: [] }, null, ['job sync: late'])).toEqual({
      status: 'degraded',
      reasons: ['job sync: late'],
    });
    expect(overlayStatus({ status: 'primary_down', reasons: ['p'] }, null, ['w'])).toEqual({
      status: 'primary_down',
      reasons: ['p', 'w'],
    });
  });
});
