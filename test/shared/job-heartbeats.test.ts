import { describe, expect, it } from 'vitest';
import {
  applyJobEvent,
  describeSlot,
  isProblem,
  JOB_STATES,
  type JobEvent,
  type JobHealth,
  type JobRecord,
  jobHealth,
  newJobRecord,
} from '#shared/schedules/heartbeat.ts';
import { Job, type Job as JobConfig } from '#shared/schemas/schedules.ts';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const DAY = 86_400_000;
const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

const job = (schedule: string, extra: Partial<JobConfig> = {}): JobConfig =>
  Job.parse({ id: 'job', schedule, ...extra });

/** A record built the way the monitor builds it: heartbeat by heartbeat. */
function record(since: string, ...events: Array<[JobEvent, string, string?]>): JobRecord {
  return events.reduce(
    (r, [event, at, message]) => applyJobEvent(r, event, t(at), message ?? null),
    newJobRecord(t(since)),
  );
}

const summary = (h: JobHealth) => ({ state: h.state, expectedAt: h.expectedAt });

/**
 * recheckAt is a promise: nothing changes before it without a heartbeat, and (when not null)
 * something does at it. Sampled across the whole interval, and 40 days on when it is null.
 */
function expectRecheckHonest(j: JobConfig, zone: string, r: JobRecord, now: number): JobHealth {
  const h = jobHealth(j, zone, r, now);
  const until = h.recheckAt ?? now + 40 * DAY;
  expect(until).toBeGreaterThan(now);
  for (let i = 1; i <= 24; i++) {
    const at = now + Math.floor(((until - 1 - now) * i) / 24);
    expect(summary(jobHealth(j, zone, r, at)), `at ${new Date(at).toISOString()}`).toEqual(summary(h));
  }
  if (h.recheckAt !== null) expect(summary(jobHealth(j, zone, r, h.recheckAt))).not.toEqual(summary(h));
  return h;
}

describe('a sync every 10 minutes from 09:00 to 21:50, Asia/Shanghai (UTC+8)', () => {
  const sync = job('*/10 9-21 * * *'); // grace 300 s by default
  // The 21:50 run of 1 January local (13:50Z) is the last of the day; the next slot is 09:00 on the 2nd (01:00Z).
  const lastOfDay = record(
    '2026-01-01T00:00:00Z',
    ['start', '2026-01-01T13:50:02Z'],
    ['success', '2026-01-01T13:51:30Z'],
  );

  it('is never late overnight, across local midnight (16:00Z)', () => {
    for (let at = t('2026-01-01T13:55:00Z'); at < t('2026-01-02T01:05:00Z'); at += 5 * MIN) {
      expect(jobHealth(sync, SH, lastOfDay, at).state, new Date(at).toISOString()).toBe('ok');
    }
  });

  it('waits for 09:00 local and says so, rechecking at 09:05', () => {
    expect(expectRecheckHonest(sync, SH, lastOfDay, t('2026-01-01T16:30:00Z'))).toEqual({
      state: 'ok',
      reason: null,
      expectedAt: t('2026-01-02T01:00:00Z'),
      recheckAt: t('2026-01-02T01:05:00Z'),
    });
  });

  it('is late at 09:00 + grace the next day when the 09:00 run never reports, not a millisecond before', () => {
    expect(jobHealth(sync, SH, lastOfDay, t('2026-01-02T01:04:59.999Z')).state).toBe('ok');
    expect(expectRecheckHonest(sync, SH, lastOfDay, t('2026-01-02T01:05:00Z'))).toEqual({
      state: 'late',
      reason: 'run due 09:00 (Asia/Shanghai) has not reported after 5 min grace',
      expectedAt: t('2026-01-02T01:00:00Z'),
      recheckAt: t('2026-01-02T01:15:00Z'),
    });
  });

  it('stays late, naming the newest missed slot, as later slots pass', () => {
    const h = jobHealth(sync, SH, lastOfDay, t('2026-01-02T02:07:00Z'));
    expect(h.state).toBe('late');
    expect(h.reason).toBe('run due 10:00 (Asia/Shanghai) has not reported after 5 min grace');
    expect(h.expectedAt).toBe(t('2026-01-02T02:00:00Z'));
  });

  it('is not late when the 09:00 run started early, at 08:59:30', () => {
    const early = applyJobEvent(lastOfDay, 'start', t('2026-01-02T00:59:30Z'), null);
    expect(jobHealth(sync, SH, early, t('2026-01-02T01:05:00Z')).state).toBe('running');
    const done = applyJobEvent(early, 'success', t('2026-01-02T01:02:00Z'), null);
    expect(expectRecheckHonest(sync, SH, done, t('2026-01-02T01:05:00Z'))).toEqual({
      state: 'ok',
      reason: null,
      expectedAt: t('2026-01-02T01:10:00Z'),
      recheckAt: t('2026-01-02T01:15:00Z'),
    });
  });

  it("does not count the previous slot's run for the next slot", () => {
    // The 09:00 run reported at 09:03; the 09:10 slot wants a heartbeat from 09:05 on.
    const r = record('2026-01-01T00:00:00Z', ['start', '2026-01-02T01:00:10Z'], ['success', '2026-01-02T01:03:00Z']);
    expect(jobHealth(sync, SH, r, t('2026-01-02T01:14:59.999Z')).state).toBe('ok');
    expect(jobHealth(sync, SH, r, t('2026-01-02T01:15:00Z'))).toMatchObject({
      state: 'late',
      expectedAt: t('2026-01-02T01:10:00Z'),
    });
    // A run that starts five minutes early for 09:10 does count for it.
    const early = applyJobEvent(r, 'start', t('2026-01-02T01:05:00Z'), null);
    expect(jobHealth(sync, SH, early, t('2026-01-02T01:15:00Z')).state).toBe('running');
  });

  it('with grace longer than half the gap, an early start counts only from half-way between slots', () => {
    const slow = job('*/10 9-21 * * *', { graceSeconds: 480 });
    // The 09:00 run reported at 09:03: within 8 min of 09:10, but nearer 09:00, so it is 09:00's run.
    const r = record('2026-01-01T00:00:00Z', ['start', '2026-01-02T01:00:10Z'], ['success', '2026-01-02T01:03:00Z']);
    expect(jobHealth(slow, SH, r, t('2026-01-02T01:18:00Z'))).toMatchObject({
      state: 'late',
      expectedAt: t('2026-01-02T01:10:00Z'),
      reason: 'run due 09:10 (Asia/Shanghai) has not reported after 8 min grace',
    });
    const halfway = applyJobEvent(r, 'start', t('2026-01-02T01:05:00Z'), null);
    expect(jobHealth(slow, SH, halfway, t('2026-01-02T01:18:00Z')).state).toBe('running');
  });

  it('after an early start, waits for the slot after the one it answered', () => {
    const early = applyJobEvent(lastOfDay, 'start', t('2026-01-02T00:59:30Z'), null);
    expect(expectRecheckHonest(sync, SH, early, t('2026-01-02T00:59:40Z'))).toEqual({
      state: 'running',
      reason: null,
      expectedAt: t('2026-01-02T01:10:00Z'),
      recheckAt: t('2026-01-02T01:15:00Z'),
    });
  });

  it('counts a success alone for a job that sends no start', () => {
    const r = record('2026-01-01T00:00:00Z', ['success', '2026-01-02T01:04:00Z']);
    expect(jobHealth(sync, SH, r, t('2026-01-02T01:05:00Z')).state).toBe('ok');
  });

  it('keeps its recheck promise through a busy day', () => {
    let r = newJobRecord(t('2026-01-01T00:00:00Z'));
    for (let slot = t('2026-01-02T01:00:00Z'); slot <= t('2026-01-02T13:50:00Z'); slot += 70 * MIN) {
      r = applyJobEvent(r, 'start', slot + 20_000, null);
      expectRecheckHonest(sync, SH, r, slot + 30_000);
      r = applyJobEvent(r, 'success', slot + 4 * MIN, null);
      expectRecheckHonest(sync, SH, r, slot + 4 * MIN);
    }
  });
});

describe('nightly jobs in America/New_York across DST (grace 10 min)', () => {
  const at2 = job('0 2 * * *', { graceSeconds: 600 });
  const at230 = job('30 2 * * *', { graceSeconds: 600 });
  const since = '2026-03-01T00:00:00Z';

  describe('spring forward, 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z)', () => {
    // Saturday's runs (02:00 and 02:30 EST, 07:00Z and 07:30Z) reported on time.
    const saturday = record(since, ['success', '2026-03-07T07:35:00Z']);

    it.each([
      ['0 2 * * *', at2],
      ['30 2 * * *', at230],
    ])('%s is due at 03:00 EDT, the first minute that exists', (_cron, j) => {
      expect(jobHealth(j, NY, saturday, t('2026-03-08T06:00:00Z')).state).toBe('ok');
      expect(jobHealth(j, NY, saturday, t('2026-03-08T07:09:59.999Z')).state).toBe('ok');
      expect(expectRecheckHonest(j, NY, saturday, t('2026-03-08T07:10:00Z'))).toMatchObject({
        state: 'late',
        reason: 'run due 03:00 (America/New_York) has not reported after 10 min grace',
        expectedAt: t('2026-03-08T07:00:00Z'),
      });
    });

    it('a run at 03:00 EDT is on time, and the next night is due at 02:30 EDT (06:30Z)', () => {
      const ran = applyJobEvent(saturday, 'success', t('2026-03-08T07:01:00Z'), null);
      expect(expectRecheckHonest(at230, NY, ran, t('2026-03-08T12:00:00Z'))).toEqual({
        state: 'ok',
        reason: null,
        expectedAt: t('2026-03-09T06:30:00Z'),
        recheckAt: t('2026-03-09T06:40:00Z'),
      });
      expect(jobHealth(at230, NY, ran, t('2026-03-09T06:40:00Z')).reason).toBe(
        'run due 02:30 (America/New_York) has not reported after 10 min grace',
      );
    });
  });

  describe('fall back, 2026-11-01: 02:00 EDT becomes 01:00 EST, 01:00-02:00 happens twice', () => {
    const saturday = record(since, ['success', '2026-10-31T06:03:00Z']); // 02:03 EDT, the 02:00 run
    const saturday230 = record(since, ['success', '2026-10-31T06:33:00Z']); // 02:33 EDT, the 02:30 run

    it('0 2 * * * is due at 02:00 EST (07:00Z), 25 hours after the last', () => {
      expect(expectRecheckHonest(at2, NY, saturday, t('2026-10-31T12:00:00Z'))).toMatchObject({
        state: 'ok',
        expectedAt: t('2026-11-01T07:00:00Z'),
        recheckAt: t('2026-11-01T07:10:00Z'),
      });
      expect(jobHealth(at2, NY, saturday, t('2026-11-01T07:10:00Z'))).toMatchObject({
        state: 'late',
        reason: 'run due 02:00 (America/New_York) has not reported after 10 min grace',
      });
      // A run an hour early (the instant a naive clock would call 02:00 EDT) is not this slot's run.
      const early = applyJobEvent(saturday, 'success', t('2026-11-01T06:00:00Z'), null);
      expect(jobHealth(at2, NY, early, t('2026-11-01T07:10:00Z')).state).toBe('late');
      const onTime = applyJobEvent(saturday, 'success', t('2026-11-01T07:02:00Z'), null);
      expect(jobHealth(at2, NY, onTime, t('2026-11-01T07:10:00Z')).state).toBe('ok');
    });

    it('30 2 * * * is due at 02:30 EST (07:30Z)', () => {
      expect(jobHealth(at230, NY, saturday230, t('2026-11-01T07:39:59.999Z')).state).toBe('ok');
      expect(jobHealth(at230, NY, saturday230, t('2026-11-01T07:40:00Z'))).toMatchObject({
        state: 'late',
        expectedAt: t('2026-11-01T07:30:00Z'),
        reason: 'run due 02:30 (America/New_York) has not reported after 10 min grace',
      });
    });

    it('30 1 * * * runs once, at the first 01:30 (EDT): the repeated 01:30 EST expects nothing', () => {
      const j = job('30 1 * * *', { graceSeconds: 600 });
      const ran = record(since, ['success', '2026-11-01T05:31:00Z']);
      expect(expectRecheckHonest(j, NY, ran, t('2026-11-01T05:31:00Z'))).toMatchObject({
        state: 'ok',
        expectedAt: t('2026-11-02T06:30:00Z'),
      });
      expect(jobHealth(j, NY, ran, t('2026-11-01T06:45:00Z')).state).toBe('ok');
    });
  });
});

describe('a job added after a slot', () => {
  const nightly = job('0 2 * * *', { graceSeconds: 600 });

  it('is pending, not late, for the slot before it was added', () => {
    const added = newJobRecord(t('2026-04-10T06:05:00Z')); // 02:05 EDT, after the 02:00 slot
    expect(expectRecheckHonest(nightly, NY, added, t('2026-04-10T06:30:00Z'))).toEqual({
      state: 'pending',
      reason: null,
      expectedAt: t('2026-04-11T06:00:00Z'),
      recheckAt: t('2026-04-11T06:10:00Z'),
    });
  });

  it('is late for its first slot when that never reports', () => {
    const added = newJobRecord(t('2026-04-10T06:05:00Z'));
    expect(jobHealth(nightly, NY, added, t('2026-04-11T06:10:00Z'))).toMatchObject({
      state: 'late',
      expectedAt: t('2026-04-11T06:00:00Z'),
    });
  });

  it('added at the very instant of a slot, is held to that slot', () => {
    const added = newJobRecord(t('2026-04-10T06:00:00Z'));
    expect(expectRecheckHonest(nightly, NY, added, t('2026-04-10T06:01:00Z'))).toMatchObject({
      state: 'pending',
      expectedAt: t('2026-04-10T06:00:00Z'),
      recheckAt: t('2026-04-10T06:10:00Z'),
    });
    expect(jobHealth(nightly, NY, added, t('2026-04-10T06:09:59.999Z')).state).toBe('pending');
    expect(jobHealth(nightly, NY, added, t('2026-04-10T06:10:00Z')).state).toBe('late');
  });

  it('with a schedule that never fires, stays pending with nothing to recheck', () => {
    // The schema now rejects it; a config saved before that may still hold one.
    const never: JobConfig = { id: 'never', schedule: '0 0 30 2 *', graceSeconds: 300 };
    expect(expectRecheckHonest(never, 'UTC', newJobRecord(0), t('2026-04-10T00:00:00Z'))).toEqual({
      state: 'pending',
      reason: null,
      expectedAt: null,
      recheckAt: null,
    });
  });
});

describe('failed, then recovered', () => {
  const nightly = job('0 2 * * *', { graceSeconds: 600 });
  const failed = record(
    '2026-04-01T00:00:00Z',
    ['start', '2026-04-10T06:00:05Z'],
    ['fail', '2026-04-10T06:07:00Z', 'pg_dump: disk full'],
  );

  it('is failed with the message, until a heartbeat changes it, even past the next slot', () => {
    expect(expectRecheckHonest(nightly, NY, failed, t('2026-04-10T06:08:00Z'))).toEqual({
      state: 'failed',
      reason: 'run failed at 02:07 (America/New_York): pg_dump: disk full',
      expectedAt: null,
      recheckAt: null,
    });
    expect(jobHealth(nightly, NY, failed, t('2026-04-12T12:00:00Z')).state).toBe('failed');
  });

  it('leaves failed on a later start (running) and a later success (ok, message cleared)', () => {
    const retry = applyJobEvent(failed, 'start', t('2026-04-10T06:30:00Z'), null);
    expect(jobHealth(nightly, NY, retry, t('2026-04-10T06:31:00Z')).state).toBe('running');
    const ok = applyJobEvent(retry, 'success', t('2026-04-10T06:40:00Z'), null);
    expect(ok.lastMessage).toBeNull();
    expect(jobHealth(nightly, NY, ok, t('2026-04-10T06:41:00Z'))).toMatchObject({ state: 'ok', reason: null });
    const direct = applyJobEvent(failed, 'success', t('2026-04-10T06:20:00Z'), 'retried by hand');
    expect(direct.lastMessage).toBe('retried by hand');
    expect(jobHealth(nightly, NY, direct, t('2026-04-10T06:21:00Z')).state).toBe('ok');
  });

  it('says just "failed at" when the job sent no message', () => {
    const r = record('2026-04-01T00:00:00Z', ['fail', '2026-04-10T06:07:00Z']);
    expect(jobHealth(nightly, NY, r, t('2026-04-10T06:08:00Z')).reason).toBe('run failed at 02:07 (America/New_York)');
  });
});

describe('running and overrun with maxRunSeconds', () => {
  const nightly = job('0 2 * * *', { graceSeconds: 600, maxRunSeconds: 1800 });
  const started = record('2026-04-01T00:00:00Z', ['start', '2026-04-10T06:00:00Z']);

  it('is running up to maxRunSeconds inclusive, rechecking the millisecond after', () => {
    expect(expectRecheckHonest(nightly, NY, started, t('2026-04-10T06:01:00Z'))).toEqual({
      state: 'running',
      reason: null,
      expectedAt: t('2026-04-11T06:00:00Z'),
      recheckAt: t('2026-04-10T06:30:00.001Z'),
    });
    expect(jobHealth(nightly, NY, started, t('2026-04-10T06:30:00Z')).state).toBe('running');
  });

  it('is overrun past it, with how long and the limit, until the run ends', () => {
    expect(expectRecheckHonest(nightly, NY, started, t('2026-04-10T06:45:00Z'))).toEqual({
      state: 'overrun',
      reason: 'run started 02:00 (America/New_York) has not finished after 45 min (limit 30 min)',
      expectedAt: null,
      recheckAt: null,
    });
    const done = applyJobEvent(started, 'success', t('2026-04-10T06:50:00Z'), null);
    expect(jobHealth(nightly, NY, done, t('2026-04-10T06:51:00Z')).state).toBe('ok');
    const broke = applyJobEvent(started, 'fail', t('2026-04-10T06:50:00Z'), 'killed');
    expect(jobHealth(nightly, NY, broke, t('2026-04-10T06:51:00Z')).state).toBe('failed');
  });

  it('without maxRunSeconds a run is running however long it takes, until a slot is missed', () => {
    const unlimited = job('0 2 * * *', { graceSeconds: 600 });
    expect(jobHealth(unlimited, NY, started, t('2026-04-10T20:00:00Z')).state).toBe('running');
    expect(jobHealth(unlimited, NY, started, t('2026-04-11T06:10:00Z'))).toEqual({
      state: 'late',
      reason:
        'run due 02:00 (America/New_York) has not reported after 10 min grace; the run started 02:00 (America/New_York) is still running',
      expectedAt: t('2026-04-11T06:00:00Z'),
      recheckAt: t('2026-04-12T06:10:00Z'),
    });
  });

  it('a late slot behind a running run rechecks at the overrun, which then wins', () => {
    const sync = job('*/10 * * * *', { graceSeconds: 120, maxRunSeconds: 1500 });
    const r = record('2026-04-01T00:00:00Z', ['start', '2026-04-10T06:00:00Z']);
    const h = expectRecheckHonest(sync, 'UTC', r, t('2026-04-10T06:12:00Z'));
    expect(h).toMatchObject({
      state: 'late',
      expectedAt: t('2026-04-10T06:10:00Z'),
      recheckAt: t('2026-04-10T06:22:00Z'),
    });
    expect(expectRecheckHonest(sync, 'UTC', r, t('2026-04-10T06:22:00Z'))).toMatchObject({
      state: 'late',
      expectedAt: t('2026-04-10T06:20:00Z'),
      recheckAt: t('2026-04-10T06:25:00.001Z'),
    });
    expect(jobHealth(sync, 'UTC', r, t('2026-04-10T06:25:00.001Z')).state).toBe('overrun');
  });
});

describe('applyJobEvent', () => {
  const base = newJobRecord(1000);

  it('records each event time and the message and node of the latest event', () => {
    const r = applyJobEvent(applyJobEvent(base, 'start', 2000, 'go', 'a'), 'fail', 3000, 'boom', 'b');
    expect(r).toEqual({
      since: 1000,
      lastStart: 2000,
      lastSuccess: null,
      lastFail: 3000,
      lastMessage: 'boom',
      lastNode: 'b',
      nodeRuns: [],
    });
  });

  it('a skipped heartbeat changes nothing: it is no run', () => {
    const r = applyJobEvent(base, 'success', 2000, 'done', 'a');
    expect(applyJobEvent(r, 'skipped', 3000, 'standby at epoch 2', 'b')).toEqual(r);
  });

  it('does not move a time backwards nor take the message of an older, reordered event', () => {
    const r = applyJobEvent(applyJobEvent(base, 'success', 5000, 'fresh'), 'success', 4000, 'stale');
    expect(r).toEqual({ ...base, lastSuccess: 5000, lastMessage: 'fresh' });
    const older = applyJobEvent(r, 'start', 3000, 'late delivery');
    expect(older).toEqual({ ...r, lastStart: 3000 });
  });

  it('does not change the record it was given', () => {
    applyJobEvent(base, 'start', 2000, null);
    expect(base).toEqual(newJobRecord(1000));
  });

  it('in the same millisecond, an end outranks a start and a fail outranks a success', () => {
    const nightly = job('0 2 * * *');
    const quick = applyJobEvent(applyJobEvent(base, 'start', 7000, null), 'success', 7000, null);
    expect(jobHealth(nightly, 'UTC', quick, 8000).state).toBe('ok');
    const both = applyJobEvent(quick, 'fail', 7000, 'x');
    expect(jobHealth(nightly, 'UTC', both, 8000).state).toBe('failed');
  });
});

describe('helpers', () => {
  it('isProblem is true for late, failed and overrun only', () => {
    expect(JOB_STATES.filter(isProblem)).toEqual(['late', 'failed', 'overrun']);
  });

  it('describeSlot uses the 24-hour local clock, midnight as 00:00', () => {
    expect(describeSlot(t('2026-01-01T16:00:00Z'), SH)).toBe('00:00 (Asia/Shanghai)');
    expect(describeSlot(t('2026-01-01T13:50:00Z'), SH)).toBe('21:50 (Asia/Shanghai)');
    expect(describeSlot(t('2026-03-08T07:00:00Z'), NY)).toBe('03:00 (America/New_York)');
  });

  it('describes grace in seconds when it is not whole minutes', () => {
    const j = job('0 * * * *', { graceSeconds: 90 });
    expect(jobHealth(j, 'UTC', newJobRecord(0), t('2026-04-10T06:01:30Z')).reason).toBe(
      'run due 06:00 (UTC) has not reported after 90 s grace',
    );
  });
});
