import { describe, expect, it } from 'vitest';
import { failoverNotice, storeConditions } from '#shared/alerts/conditions.ts';
import { type AlertState, type Condition, stepAlerts } from '#shared/alerts/engine.ts';
import { alertMessage } from '#shared/alerts/message.ts';
import type { Failover } from '#shared/schemas/status.ts';

const MIN = 60_000;
const down: Condition = { key: 'outage', severity: 'critical', title: 'CRITICAL Tianhe: primary down', text: 'x' };
const base = { reminderMs: 60 * MIN, flapMs: MIN, held: false, undetermined: () => false };

/** Runs the engine over a schedule of (time, conditions) and collects what it sends. */
function run(
  schedule: Array<[number, Condition[]]>,
  opts: Partial<Omit<typeof base, 'held'>> & { held?: (t: number) => boolean } = {},
) {
  let state: AlertState = {};
  const sent: Array<[number, string, string]> = [];
  for (const [t, active] of schedule) {
    const step = stepAlerts(state, active, { ...base, ...opts, held: opts.held?.(t) ?? false, now: t });
    state = step.state;
    for (const s of step.sends) sent.push([t, s.kind, s.condition]);
  }
  return { state, sent };
}
const every = (from: number, to: number, stepMs: number, active: (t: number) => Condition[]) =>
  Array.from({ length: Math.floor((to - from) / stepMs) + 1 }, (_, i): [number, Condition[]] => {
    const t = from + i * stepMs;
    return [t, active(t)];
  });

describe('the alert engine', () => {
  it('sends one open, a reminder per interval, and one resolve after the flap window', () => {
    const { sent } = run([
      ...every(0, 130 * MIN, 5000, () => [down]),
      ...every(130 * MIN + 5000, 132 * MIN, 5000, () => []),
    ]);
    expect(sent).toEqual([
      [0, 'open', 'outage'],
      [60 * MIN, 'reminder', 'outage'],
      [120 * MIN, 'reminder', 'outage'],
      [131 * MIN + 5000, 'resolved', 'outage'],
    ]);
  });

  it('a condition flapping every few seconds stays one alert', () => {
    const { sent } = run(every(0, 10 * MIN, 5000, (t) => (Math.floor(t / 15_000) % 2 === 0 ? [down] : [])));
    expect(sent).toEqual([[0, 'open', 'outage']]);
  });

  it('no reminders when the interval is 0; resolves at once when the flap window is 0', () => {
    const { sent } = run([...every(0, 200 * MIN, MIN, () => [down]), [200 * MIN + 1, []]], {
      reminderMs: 0,
      flapMs: 0,
    });
    expect(sent).toEqual([
      [0, 'open', 'outage'],
      [200 * MIN + 1, 'resolved', 'outage'],
    ]);
  });

  it('holds opens and reminders in a window, sends a held one when the window ends, and drops one that cleared inside', () => {
    const held = (t: number) => t < 30 * MIN;
    const stillOpen = run(
      every(0, 31 * MIN, MIN, () => [down]),
      { held },
    );
    expect(stillOpen.sent).toEqual([[30 * MIN, 'open', 'outage']]);
    const cleared = run([...every(0, 10 * MIN, MIN, () => [down]), ...every(11 * MIN, 40 * MIN, MIN, () => [])], {
      held,
    });
    expect(cleared.sent).toEqual([]);
    expect(cleared.state).toEqual({});
  });

  it('keeps an undetermined condition as it is: no resolve, no reminder, no second open', () => {
    const first = run(every(0, 10 * MIN, MIN, () => [down]));
    const step = stepAlerts(first.state, [], { ...base, now: 90 * MIN, undetermined: (k) => k === 'outage' });
    expect(step.sends).toEqual([]);
    expect(step.state).toEqual(first.state);
    expect(step.changed).toBe(false);
    const back = stepAlerts(step.state, [down], { ...base, now: 91 * MIN });
    expect(back.sends.map((s) => s.kind)).toEqual(['reminder']);
  });

  it('reports a change only when the state really changed (storage writes)', () => {
    const first = stepAlerts({}, [down], { ...base, now: 0 });
    expect(first.changed).toBe(true);
    expect(stepAlerts(first.state, [down], { ...base, now: 5000 }).changed).toBe(false);
    expect(stepAlerts(first.state, [], { ...base, now: 5000 }).changed).toBe(true);
  });
});

describe('what a store alerts on', () => {
  const input = { storeName: 'Tianhe', reasons: ['primary gz-a unreachable for 31 s'], resources: [], jobs: [] };
  it('outage statuses are one critical condition; degraded a warning; healthy and maintenance none', () => {
    for (const status of [
      'primary_down',
      'store_unreachable',
      'split_brain',
      'awaiting_confirm',
      'failing_over',
    ] as const)
      expect(storeConditions({ ...input, status }).conditions.map((c) => [c.key, c.severity])).toEqual([
        ['outage', 'critical'],
      ]);
    expect(storeConditions({ ...input, status: 'degraded' }).conditions.map((c) => c.key)).toEqual(['degraded']);
    expect(storeConditions({ ...input, status: 'healthy' }).conditions).toEqual([]);
  });

  it('while the status is unknown the status conditions are undetermined, jobs and resources are not', () => {
    const { undetermined } = storeConditions({ ...input, status: 'unknown' });
    expect(undetermined('outage')).toBe(true);
    expect(undetermined('degraded')).toBe(true);
    expect(undetermined('job:sync')).toBe(false);
    expect(storeConditions({ ...input, status: 'healthy' }).undetermined('outage')).toBe(false);
  });

  it('a failover that ends is a notice: completed is info, failed critical', () => {
    const f: Failover = {
      id: 'f1',
      epoch: 2,
      from: 'gz-a',
      to: 'gz-b',
      mode: 'auto',
      requestedBy: 'auto',
      reason: 'primary lost',
      state: 'completed',
      detectedAt: null,
      decidedAt: '2026-11-21T10:00:00.000Z',
      completedAt: null,
      lagSecondsAtDecision: 0.4,
      dataLossAllowed: false,
    };
    expect(failoverNotice('Tianhe', f)?.severity).toBe('info');
    expect(failoverNotice('Tianhe', { ...f, state: 'failed' })?.severity).toBe('critical');
    expect(failoverNotice('Tianhe', { ...f, state: 'promoting' })).toBeNull();
  });

  it('messages carry the dedup key, and a resolve says how long it was open', () => {
    const store = { id: 'gz-tianhe', name: 'Tianhe', region: null };
    const open = alertMessage(
      store,
      { kind: 'open', condition: 'outage', severity: 'critical', title: down.title, text: 'x', openedAt: 0 },
      0,
    );
    expect(open).toMatchObject({ key: 'gz-tianhe/outage', kind: 'open', title: 'CRITICAL Tianhe: primary down' });
    const resolved = alertMessage(
      store,
      { kind: 'resolved', condition: 'outage', severity: 'critical', title: down.title, text: 'x', openedAt: 0 },
      42 * MIN,
    );
    expect(resolved.title).toBe('RESOLVED Tianhe: primary down');
    expect(resolved.text).toContain('after 42 min');
  });
});
