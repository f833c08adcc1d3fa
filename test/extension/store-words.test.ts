import { describe, expect, it } from 'vitest';
import { countdown } from '#extension/lib/relative-time.ts';
import {
  confirmDeadline,
  fleetSummary,
  humanizeTimes,
  readable,
  refusalReasons,
  requestedText,
  rowWhy,
} from '#extension/lib/store-words.ts';
import { failover, store, T0 } from './support/fixtures.ts';

const at = (ms: number) => new Date(T0 + ms).toISOString();
const RAW_ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

describe('server texts in the popup carry no raw ISO time', () => {
  it('"since" counts up, "until" and "before" count down, a bare time is relative', () => {
    expect(humanizeTimes(`primary x-a unreachable since ${at(-95_000)}`, T0)).toBe(
      'primary x-a unreachable for 1 min 35 s',
    );
    expect(humanizeTimes(`awaits confirmation (until ${at(250_000)})`, T0)).toBe(
      'awaits confirmation (4 min 10 s left)',
    );
    expect(humanizeTimes(`confirm before ${at(30_000)}.`, T0)).toBe('confirm 30 s left.');
    expect(humanizeTimes(`confirm before ${at(-1000)}`, T0)).toBe('confirm time is up');
    expect(humanizeTimes(`seen at ${at(-3 * 3600_000)}`, T0)).toBe('seen at 3 h ago');
    expect(humanizeTimes('nothing to change', T0)).toBe('nothing to change');
  });

  it('countdowns are precise to the second under ten minutes, coarser after', () => {
    expect([0, 45_000, 60_000, 250_000, 12 * 60_000, 3_900_000, 72 * 3600_000].map((ms) => countdown(ms))).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '4 min 10 s',
      '12 min',
      '1 h 5 min',
      '3 d',
    ]);
  });
});

describe('each row says why', () => {
  it('healthy: its primary and lag', () => {
    expect(rowWhy(store('x', { lagSeconds: 0.34 }), T0)).toBe('lag 0.3 s · primary x-a');
    expect(rowWhy(store('x', { lagSeconds: null }), T0)).toBe('primary x-a');
  });

  it('the figure behind a warning: disk, lag', () => {
    expect(rowWhy(store('x', { status: 'degraded', reasons: ['x-a: disk at 95 % (threshold 90 %)'] }), T0)).toBe(
      'disk 95 %',
    );
    expect(rowWhy(store('x', { status: 'degraded', reasons: ['standby lag 45 s exceeds the 30 s limit'] }), T0)).toBe(
      'lag 45 s',
    );
  });

  it('a confirmation: to whom, and the time left', () => {
    const s = store('x', {
      status: 'awaiting_confirm',
      lastFailover: failover({ state: 'awaiting_confirm', to: 'x-b' }),
      reasons: [`failover fo-1 to x-b awaits an operator's confirmation (until ${at(90_000)})`],
    });
    expect(confirmDeadline(s)).toBe(T0 + 90_000);
    expect(rowWhy(s, T0)).toBe('confirm → x-b · 1 min 30 s left');
  });

  it("a confirmation's deadline comes from confirmBy when the server sends it, before any reason text", () => {
    const s = store('x', {
      status: 'awaiting_confirm',
      confirmBy: at(120_000),
      reasons: [`failover fo-1 to x-b awaits an operator's confirmation (until ${at(90_000)})`],
    });
    expect(confirmDeadline(s)).toBe(T0 + 120_000);
    expect(confirmDeadline({ ...s, status: 'healthy' })).toBeNull();
  });

  it('otherwise the first reason, without its details and with its times in words', () => {
    const why = rowWhy(
      store('x', {
        status: 'primary_down',
        reasons: [`primary x-a unreachable from the edge (timeout) since ${at(-5000)}`],
      }),
      T0,
    );
    expect(why).toBe('primary x-a unreachable for 5 s');
    const maintenance = `maintenance window "disk" (swap at 10.0.0.3) until ${at(3_600_000)}: automatic failover and alerts are held`;
    expect(rowWhy(store('x', { status: 'maintenance', reasons: [maintenance] }), T0)).toBe('planned · 1 h left');
    expect(rowWhy(store('x', { status: 'unknown', reasons: [] }), T0)).toBe('no data yet');
    expect(why).not.toMatch(RAW_ISO);
  });

  it('"6 of 8 fine": maintenance is fine, anything needing someone is not', () => {
    const fleet = [
      store('a'),
      store('b', { status: 'maintenance' }),
      store('c', { status: 'degraded' }),
      store('d', { status: 'unknown' }),
    ];
    expect(fleetSummary(fleet).text).toBe('2 of 4 fine');
    expect(fleetSummary([store('a'), store('b')]).text).toBe('All 2 fine');
  });
});

describe('who asked, and why a request was refused, said once', () => {
  it('never "manual by auto"', () => {
    expect(requestedText(failover({ mode: 'auto', requestedBy: 'auto' }))).toBe('Automatic, by the monitor');
    expect(requestedText(failover({ mode: 'manual', requestedBy: 'auto', state: 'completed' }))).toBe(
      'Proposed by the monitor, confirmed by an operator',
    );
    expect(requestedText(failover({ mode: 'manual', requestedBy: 'operator:alice' }))).toBe('By alice');
    expect(requestedText(failover({ mode: 'manual', requestedBy: 'operator:operator' }))).toBe('By an operator');
    expect(readable('lost; confirmed by operator:admin: ok', T0)).toBe('lost; confirmed by an operator: ok');
    for (const mode of ['auto', 'manual', 'hook'] as const) {
      expect(requestedText(failover({ mode, requestedBy: 'auto' }))).not.toMatch(/\b(auto|manual) by auto\b/);
    }
  });

  it('"failover refused: a; b" becomes its reasons, without the doubled prefix', () => {
    expect(refusalReasons('failover refused: cooldown running; standby lag 45 s', [])).toEqual([
      'cooldown running',
      'standby lag 45 s',
    ]);
    expect(refusalReasons('failover refused: x', ['cooldown running'])).toEqual(['cooldown running']);
    expect(refusalReasons('failover refused', [])).toEqual([]);
  });
});
