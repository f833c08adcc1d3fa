import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, type BadgeInput, badgeFor } from '#extension/lib/badge-model.ts';
import { STALE_AFTER_MS } from '#extension/lib/freshness.ts';
import { STORE_STATUSES, type StoreStatusName } from '#extension/lib/wire.ts';
import { connection, fleet, SERVER, settings, store, T0 } from './support/fixtures.ts';

function input(overrides: Partial<BadgeInput> = {}): BadgeInput {
  return {
    fleet: fleet([store('a'), store('b')]),
    connection: connection('connected'),
    settings: settings(),
    now: T0 + 1_000,
    ...overrides,
  };
}

function withStatuses(...statuses: StoreStatusName[]): BadgeInput {
  return input({ fleet: fleet(statuses.map((status, i) => store(`s${i}`, { status }))) });
}

describe('one store of each status (with one healthy beside it)', () => {
  const expected: Record<StoreStatusName, { text: string; tone: string }> = {
    healthy: { text: 'OK', tone: 'green' },
    degraded: { text: '1', tone: 'amber' },
    primary_down: { text: '1', tone: 'red' },
    awaiting_confirm: { text: '1', tone: 'amber' },
    failing_over: { text: '1', tone: 'blue' },
    split_brain: { text: '1', tone: 'red' },
    store_unreachable: { text: '1', tone: 'red' },
    maintenance: { text: 'OK', tone: 'green' },
    unknown: { text: '?', tone: 'grey' },
  };
  it.each(STORE_STATUSES)('%s', (status) => {
    const badge = badgeFor(withStatuses(status, 'healthy'));
    expect({ text: badge.text, tone: badge.tone }).toEqual(expected[status]);
    expect(badge.color).toBe(BADGE_COLORS[badge.tone]);
  });
});

it('counts every store needing attention and takes the worst colour', () => {
  expect(badgeFor(withStatuses('failing_over', 'degraded', 'healthy')).tone).toBe('amber');
  expect(badgeFor(withStatuses('failing_over', 'failing_over')).tone).toBe('blue');
  const worst = badgeFor(withStatuses('degraded', 'split_brain', 'failing_over', 'maintenance', 'healthy'));
  expect(worst).toMatchObject({ text: '3', tone: 'red' });
});

it('names the stores needing attention, worst first, in words', () => {
  const badge = badgeFor(
    input({
      fleet: fleet([
        store('a', { name: 'Tianhe', status: 'degraded' }),
        store('b', { name: 'Baiyun', status: 'primary_down' }),
        store('c', { name: 'Panyu', status: 'healthy' }),
      ]),
    }),
  );
  const lines = badge.title.split('\n');
  expect(lines[1]).toBe('2 stores need attention (Live):');
  expect(lines.slice(2)).toEqual(['Baiyun: primary down', 'Tianhe: degraded']);
});

it('unknown does not hide a real problem, but is listed', () => {
  const badge = badgeFor(withStatuses('unknown', 'primary_down'));
  expect(badge).toMatchObject({ text: '1', tone: 'red' });
  expect(badge.title).toContain('Store s0: unknown');
});

it('all fine, some in maintenance: green, and says so', () => {
  const badge = badgeFor(withStatuses('healthy', 'maintenance'));
  expect(badge).toMatchObject({ text: 'OK', tone: 'green' });
  expect(badge.title).toContain('All 2 watched stores fine (Live), 1 in maintenance');
});

describe('never green when it does not know', () => {
  it.each([
    ['offline', connection('offline', { lastError: 'Could not reach https://mw.example.com' }), 'Cannot reach'],
    ['unauthorized', connection('unauthorized'), 'refused the token'],
    ['unconfigured', connection('unconfigured'), 'Not configured'],
  ] as const)('%s', (_name, conn, words) => {
    const badge = badgeFor(input({ connection: conn }));
    expect(badge).toMatchObject({ text: '?', tone: 'grey' });
    expect(badge.title).toContain(words);
  });

  it('no server or token in the settings', () => {
    expect(badgeFor(input({ settings: settings({ token: '' }) })).tone).toBe('grey');
  });

  it('a stream that is open keeps old data fresh (nothing changed on the server)', () => {
    const badge = badgeFor(input({ now: T0 + 10 * STALE_AFTER_MS }));
    expect(badge.tone).toBe('green');
  });

  it('polled data is fresh for two intervals, then stale', () => {
    const polled = input({ connection: connection('connecting'), fleet: fleet([store('a')], { source: 'poll' }) });
    expect(badgeFor({ ...polled, now: T0 + STALE_AFTER_MS }).tone).toBe('green');
    const stale = badgeFor({ ...polled, now: T0 + STALE_AFTER_MS + 1 });
    expect(stale).toMatchObject({ text: '?', tone: 'grey' });
    expect(stale.title).toContain('Stale: last update 2 min ago');
  });

  it('data for another server is no data', () => {
    const badge = badgeFor(input({ fleet: fleet([store('a')], { server: 'https://old.example.com' }) }));
    expect(badge).toMatchObject({ text: '?', tone: 'grey' });
    expect(badge.title).toContain('No data yet');
  });

  it('no store at all', () => {
    expect(badgeFor(input({ fleet: fleet([]) }))).toMatchObject({ text: '?', tone: 'grey' });
  });
});

describe('watch filters', () => {
  const stores = [
    store('gz-1', { region: 'South China', status: 'primary_down' }),
    store('sh-1', { region: 'East China', status: 'degraded' }),
    store('bj-1', { region: 'North China', status: 'healthy' }),
  ];
  const watching = (watch: { stores: string[]; regions: string[] }) =>
    badgeFor(input({ fleet: fleet(stores), settings: settings({ watch }) }));

  it('empty lists watch everything', () => {
    expect(watching({ stores: [], regions: [] })).toMatchObject({ text: '2', tone: 'red' });
  });
  it('by store id', () => {
    expect(watching({ stores: ['sh-1'], regions: [] })).toMatchObject({ text: '1', tone: 'amber' });
  });
  it('by region, without regard to case', () => {
    expect(watching({ stores: [], regions: ['north china'] })).toMatchObject({ text: 'OK', tone: 'green' });
  });
  it('stores and regions add up', () => {
    expect(watching({ stores: ['bj-1'], regions: ['East China'] })).toMatchObject({ text: '1', tone: 'amber' });
  });
  it('a watch list matching nothing is grey, not green', () => {
    const badge = watching({ stores: ['nope'], regions: [] });
    expect(badge).toMatchObject({ text: '?', tone: 'grey' });
    expect(badge.title).toContain('None of the 3 stores is watched');
  });
});

it('the server URL in the badge tooltip when offline is the configured one', () => {
  expect(badgeFor(input({ connection: connection('offline') })).title).toContain(SERVER);
});
