import { describe, expect, it } from 'vitest';
import { withinBound } from '#agent/lease/apply-bound.ts';

describe('the self-fence apply bound', () => {
  it('answers with the fence when it takes effect in time, and never runs the hard stop', async () => {
    let stopped = false;
    const done = await withinBound(Promise.resolve(3), 1000, async () => {
      stopped = true;
      return 'stopped';
    });
    expect(done).toEqual({ inTime: true, value: 3 });
    expect(stopped).toBe(false);
  });

  it('runs the hard stop when the fence has not taken effect by the deadline', async () => {
    const never = new Promise<number>(() => undefined);
    const done = await withinBound(never, 5, async () => 'server stopped');
    expect(done).toEqual({ inTime: false, late: 'server stopped' });
  });

  it('passes a fence that failed in time on to the caller', async () => {
    const failed = Promise.reject(new Error('connection refused'));
    await expect(withinBound(failed, 1000, async () => 'stopped')).rejects.toThrow('connection refused');
  });
});
