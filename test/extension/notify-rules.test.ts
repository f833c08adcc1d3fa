import { describe, expect, it } from 'vitest';
import { NOTIFY_HOLD_MS, type NotifyInput, planNotifications } from '#extension/lib/notify-rules.ts';
import type { NotifiedLog } from '#extension/lib/storage-items.ts';
import type { StoreStatus, StoreStatusName } from '#extension/lib/wire.ts';
import { failover, settings, store, T0 } from './support/fixtures.ts';

const base = { settings: settings(), log: {}, now: T0 };

function plan(previous: StoreStatus[], next: StoreStatus[], overrides: Partial<NotifyInput> = {}) {
  return planNotifications({ ...base, previous, next, ...overrides });
}

function kinds(previous: StoreStatus[], next: StoreStatus[], overrides: Partial<NotifyInput> = {}) {
  return plan(previous, next, overrides).notifications.map((n) => `${n.storeId}:${n.kind}`);
}

const x = (status: StoreStatusName, extra: Partial<StoreStatus> = {}) => store('x', { status, ...extra });

describe('transitions that notify', () => {
  it.each(['primary_down', 'split_brain', 'store_unreachable'] as const)('into %s', (status) => {
    const [n] = plan(
      [x('healthy')],
      [x(status, { name: 'Tianhe', reasons: ['edge: primary silent 31 s'] })],
    ).notifications;
    expect(n).toMatchObject({ storeId: 'x', kind: 'red', message: 'edge: primary silent 31 s' });
    expect(n?.title).toMatch(/^Tianhe: (primary down|split brain|unreachable)$/);
  });

  it('from one red status to another', () => {
    expect(kinds([x('primary_down')], [x('split_brain')])).toEqual(['x:red']);
  });

  it('into awaiting_confirm, naming the node to promote', () => {
    const [n] = plan(
      [x('primary_down')],
      [x('awaiting_confirm', { lastFailover: failover({ state: 'awaiting_confirm' }) })],
    ).notifications;
    expect(n).toMatchObject({ kind: 'awaiting', title: 'Store x: failover awaiting confirmation' });
    expect(n?.message).toContain('Promote x-b?');
  });

  it('a failover that completes, and one that fails (with its error)', () => {
    const running = x('failing_over', { lastFailover: failover({ state: 'promoting' }) });
    const done = x('healthy', { lastFailover: failover({ state: 'completed' }) });
    expect(plan([running], [done]).notifications).toEqual([
      { storeId: 'x', kind: 'completed', title: 'Store x: failover completed', message: 'x-a → x-b, epoch 2' },
    ]);
    const failed = x('primary_down', { lastFailover: failover({ state: 'failed', error: 'promote timed out' }) });
    expect(plan([running], [failed]).notifications.map((n) => [n.kind, n.message])).toEqual([
      ['red', 'Store x'],
      ['failed', 'promote timed out'],
    ]);
  });

  it('a new failover that completed where an older one had completed too', () => {
    const old = x('healthy', { lastFailover: failover({ id: 'fo-1', state: 'completed' }) });
    const fresh = x('healthy', { lastFailover: failover({ id: 'fo-2', state: 'completed' }) });
    expect(kinds([old], [fresh])).toEqual(['x:completed']);
  });
});

describe('what does not notify', () => {
  it('recoveries and non-red changes', () => {
    expect(kinds([x('primary_down')], [x('healthy')])).toEqual([]);
    expect(kinds([x('healthy')], [x('degraded')])).toEqual([]);
    expect(kinds([x('healthy')], [x('maintenance')])).toEqual([]);
    expect(kinds([x('primary_down')], [x('failing_over')])).toEqual([]);
  });

  it('a status that stays red', () => {
    expect(kinds([x('primary_down')], [x('primary_down', { reasons: ['still'] })])).toEqual([]);
  });

  it('a failover still running, or one already reported', () => {
    expect(kinds([x('healthy')], [x('failing_over', { lastFailover: failover({ state: 'fencing' }) })])).toEqual([]);
    const done = x('healthy', { lastFailover: failover({ state: 'completed' }) });
    expect(kinds([done], [done])).toEqual([]);
  });

  it('a store seen for the first time (no known previous state)', () => {
    expect(kinds([], [x('primary_down')])).toEqual([]);
  });

  it('unwatched stores', () => {
    const watch = { stores: ['other'], regions: ['North China'] };
    expect(kinds([x('healthy')], [x('primary_down')], { settings: settings({ watch }) })).toEqual([]);
    const watchX = { stores: [], regions: ['south china'] };
    expect(kinds([x('healthy')], [x('primary_down')], { settings: settings({ watch: watchX }) })).toEqual(['x:red']);
  });

  it.each([
    ['red', [x('healthy')], [x('primary_down')]],
    ['awaiting', [x('primary_down')], [x('awaiting_confirm')]],
    ['failover', [x('failing_over')], [x('healthy', { lastFailover: failover({ state: 'completed' }) })]],
  ] as const)('the %s toggle off', (toggle, previous, next) => {
    const notify = { red: true, awaiting: true, failover: true, [toggle]: false };
    expect(kinds([...previous], [...next], { settings: settings({ notify }) })).toEqual([]);
    expect(kinds([...previous], [...next])).toHaveLength(1);
  });
});

describe('flapping', () => {
  /** Feeds a sequence of statuses a few seconds apart, carrying the log like the sender does. */
  function run(steps: Array<[number, StoreStatusName]>): string[] {
    let log: NotifiedLog = {};
    let previous = [x('healthy')];
    const sent: string[] = [];
    for (const [at, status] of steps) {
      const next = [x(status)];
      const result = planNotifications({ ...base, previous, next, log, now: T0 + at });
      sent.push(...result.notifications.map((n) => `${at}:${n.kind}`));
      log = result.log;
      previous = next;
    }
    return sent;
  }

  it('red → healthy → red → healthy → red within a minute notifies once', () => {
    expect(
      run([
        [0, 'primary_down'],
        [10_000, 'healthy'],
        [20_000, 'primary_down'],
        [30_000, 'healthy'],
        [59_999, 'store_unreachable'],
      ]),
    ).toEqual(['0:red']);
  });

  it('notifies again once the minute has passed', () => {
    expect(
      run([
        [0, 'primary_down'],
        [10_000, 'healthy'],
        [NOTIFY_HOLD_MS, 'primary_down'],
      ]),
    ).toEqual(['0:red', '60000:red']);
  });

  it('holds back per store and per kind, not across them', () => {
    const log = { 'x:red': T0 - 1_000 };
    const both = plan(
      [x('healthy'), store('y', { status: 'healthy' })],
      [x('primary_down'), store('y', { status: 'primary_down' })],
      { log },
    );
    expect(both.notifications.map((n) => n.storeId)).toEqual(['y']);
    expect(kinds([x('primary_down')], [x('awaiting_confirm')], { log })).toEqual(['x:awaiting']);
  });

  it('drops log entries older than the hold window', () => {
    const result = plan([], [], { log: { 'x:red': T0 - NOTIFY_HOLD_MS, 'y:red': T0 - 1 } });
    expect(result.log).toEqual({ 'y:red': T0 - 1 });
  });
});
