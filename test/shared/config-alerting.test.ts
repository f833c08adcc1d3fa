import { describe, expect, it } from 'vitest';
import { channelsFor } from '#shared/alerts/routing.ts';
import { monitorConfigFor, windowsFor } from '#shared/fleet/monitor-config.ts';
import type { AlertSettings } from '#shared/schemas/alerting.ts';
import type { FleetConfig, StoreConfig } from '#shared/schemas/config.ts';
import type { MaintenanceWindow } from '#shared/schemas/schedules.ts';
import { type Json, parsed, problems, store } from './support/config-fixtures.ts';

/** Two stores in "south", one in "north", one with no region. */
const STORES = [
  store('gz', { region: 'south', timezone: 'Asia/Shanghai' }),
  store('sz', { region: 'south', timezone: 'Asia/Shanghai' }),
  store('bj', { region: 'north', timezone: 'Asia/Shanghai' }),
  store('nyc', { timezone: 'America/New_York' }),
];

const SLACK = { id: 'ops-slack', type: 'slack', urlSecret: 'SLACK_OPS_URL' };
const PAGER = { id: 'pager', type: 'webhook', url: 'https://pager.example/hook', secret: 'PAGER_SECRET' };
const SMS = {
  id: 'duty-sms',
  type: 'sms',
  url: 'https://sms.example/send?key={{secret:SMS_KEY}}',
  body: '{"to":"{{to}}","text":"[{{severity}}] {{store}}: {{title}} {{text}}"}',
  to: ['+8613800000000'],
};

function fleet(patch: Record<string, Json> = {}, stores: Json[] = STORES): Record<string, Json> {
  return { version: 1, stores, ...patch };
}

const paths = (input: unknown) => problems(input).map((d) => d.path);

const withJobs = (jobs: Json[]) => fleet({}, [store('gz', { jobs }), ...STORES.slice(1)]);
const withWindow = (window: Record<string, Json>) => fleet({ maintenance: [{ id: 'w', stores: ['gz'], ...window }] });
const withAlerts = (alerts: Record<string, Json>) => fleet({ alerts });

describe('cron expressions, checked where they are written', () => {
  it.each([
    ['four fields', '0 2 * *', 'must have five fields: minute hour day-of-month month day-of-week'],
    ['six fields (seconds)', '0 0 2 * * *', 'must have five fields: minute hour day-of-month month day-of-week'],
    ['minute 60', '60 2 * * *', expect.stringMatching(/^not a valid cron expression: .*minute/)],
    ['hour 24', '0 24 * * *', expect.stringMatching(/^not a valid cron expression: .*hour/)],
    ['month 13', '0 2 1 13 *', expect.stringMatching(/^not a valid cron expression: .*month/)],
    ['junk', 'at two', 'must have five fields: minute hour day-of-month month day-of-week'],
  ])('a job schedule with %s is rejected at stores[0].jobs[0].schedule', (_what, cron, message) => {
    expect(problems(withJobs([{ id: 'sync', schedule: cron }]))).toEqual([
      { path: 'stores[0].jobs[0].schedule', message },
    ]);
  });

  it.each([
    ['four fields', '0 2 * *'],
    ['minute 60', '60 2 * * *'],
  ])('a maintenance cron with %s is rejected at maintenance[0].cron', (_what, cron) => {
    expect(paths(withWindow({ cron, durationMinutes: 60 }))).toEqual(['maintenance[0].cron']);
  });

  it.each([
    ['31 April', '0 2 31 4 *'],
    ['30 February', '0 0 30 2 *'],
  ])('a schedule on %s, a date that never comes, is rejected rather than never due', (_what, cron) => {
    expect(problems(withJobs([{ id: 'sync', schedule: cron }]))).toEqual([
      { path: 'stores[0].jobs[0].schedule', message: 'never runs: no date matches it' },
    ]);
    expect(paths(withWindow({ cron, durationMinutes: 60 }))).toEqual(['maintenance[0].cron']);
  });

  it('accepts 29 February, which comes every four years', () => {
    parsed(withJobs([{ id: 'leap', schedule: '0 0 29 2 *' }]));
  });

  it('names the job index that is wrong', () => {
    const jobs = [
      { id: 'sync', schedule: '*/10 9-21 * * *' },
      { id: 'snapshot', schedule: '0 2 * * 8' },
    ];
    expect(paths(withJobs(jobs))).toEqual(['stores[0].jobs[1].schedule']);
  });

  it.each(['*/10 9-21 * * *', '0 2 * * *', '30 2 * * 1-5', '0 0 L * *', '@daily', '@weekly'])('accepts %s', (cron) => {
    parsed(withJobs([{ id: 'job', schedule: cron }]));
    parsed(withWindow({ cron, durationMinutes: 30 }));
  });
});

describe('references to channels, stores and regions', () => {
  it('a route naming an unknown channel is rejected at alerts.routes[0].channels[i]', () => {
    expect(problems(withAlerts({ channels: [SLACK], routes: [{ channels: ['ops-slack', 'pager'] }] }))).toEqual([
      { path: 'alerts.routes[0].channels[1]', message: 'no channel "pager"' },
    ]);
    expect(paths(withAlerts({ routes: [{ channels: ['pager'] }] }))).toEqual(['alerts.routes[0].channels[0]']);
  });

  it('a route naming an unknown store or region is rejected at that entry', () => {
    const alerts = {
      channels: [SLACK],
      routes: [{ channels: ['ops-slack'], stores: ['gz', 'xa'], regions: ['west'] }],
    };
    expect(problems(withAlerts(alerts))).toEqual([
      { path: 'alerts.routes[0].stores[1]', message: 'no store "xa"' },
      { path: 'alerts.routes[0].regions[0]', message: 'no store is in region "west"' },
    ]);
  });

  it('a window naming an unknown store or region is rejected at that entry', () => {
    const window = {
      stores: ['gz', 'xa'],
      regions: ['south', 'west'],
      start: '2026-05-01T02:00:00Z',
      end: '2026-05-01T04:00:00Z',
    };
    expect(problems(fleet({ maintenance: [{ id: 'w', ...window }] }))).toEqual([
      { path: 'maintenance[0].stores[1]', message: 'no store "xa"' },
      { path: 'maintenance[0].regions[1]', message: 'no store is in region "west"' },
    ]);
  });

  it('a route may name a region only stores without one would be in: none', () => {
    // The region-less store "nyc" does not make `undefined` a region a route can name.
    expect(paths(withAlerts({ channels: [SLACK], routes: [{ channels: ['ops-slack'], regions: [''] }] }))).toEqual([
      'alerts.routes[0].regions[0]',
    ]);
  });
});

describe('unique ids', () => {
  it('rejects a duplicate channel id at the second one', () => {
    expect(problems(withAlerts({ channels: [SLACK, { ...PAGER, id: 'ops-slack' }] }))).toEqual([
      { path: 'alerts.channels[1].id', message: 'duplicate channel id "ops-slack"' },
    ]);
  });

  it('rejects a duplicate job id within a store, and allows it across stores', () => {
    const jobs = [
      { id: 'sync', schedule: '*/10 9-21 * * *' },
      { id: 'sync', schedule: '0 2 * * *' },
    ];
    expect(problems(withJobs(jobs))).toEqual([{ path: 'stores[0].jobs[1].id', message: 'duplicate job id "sync"' }]);
    const one = [{ id: 'sync', schedule: '0 2 * * *' }];
    parsed(fleet({}, [store('gz', { jobs: one }), store('sz', { jobs: one })]));
  });

  it('rejects a duplicate maintenance window id', () => {
    const w = { id: 'w', stores: ['gz'], cron: '0 2 * * *', durationMinutes: 30 };
    expect(paths(fleet({ maintenance: [w, w] }))).toEqual(['maintenance[1].id']);
  });
});

describe('channels', () => {
  it.each([
    ['body', { body: 'hello {{phone}}' }, 'unknown placeholder {{phone}}'],
    ['url', { url: 'https://sms.example/send?to={{number}}' }, 'unknown placeholder {{number}}'],
    [
      'headers.Authorization',
      { headers: { Authorization: 'Bearer {{secret:sms_key}}' } },
      'unknown placeholder {{secret:sms_key}}',
    ],
  ])('an SMS template with an unknown placeholder is rejected at alerts.channels[0].%s', (field, patch, start) => {
    const [problem, ...more] = problems(withAlerts({ channels: [{ ...SMS, ...patch }] }));
    expect(more).toEqual([]);
    expect(problem?.path).toBe(`alerts.channels[0].${field}`);
    expect(problem?.message).toMatch(new RegExp(`^${start.replace(/[{}]/g, '\\$&')}: use \\{\\{text\\}\\}`));
  });

  it('an SMS channel with every known placeholder and a secret is accepted, with its defaults', () => {
    const config = parsed(withAlerts({ channels: [SMS] }));
    expect(config.alerts?.channels[0]).toEqual({
      ...SMS,
      locale: 'en',
      method: 'POST',
      contentType: 'application/json',
      headers: {},
    });
  });

  it('an email channel gets its binding by default', () => {
    const email = { id: 'mail', type: 'email', from: 'mw@example.com', to: ['ops@example.com'] };
    expect(parsed(withAlerts({ channels: [email] })).alerts?.channels[0]).toEqual({
      ...email,
      locale: 'en',
      binding: 'ALERT_EMAIL',
    });
  });
});

describe('deadMan', () => {
  it('rejects both url and urlSecret, and neither, at deadMan', () => {
    const both = { url: 'https://hc.example/ping/1', urlSecret: 'DEADMAN_URL' };
    expect(problems(fleet({ deadMan: both }))).toEqual([
      { path: 'deadMan', message: 'give exactly one of url or urlSecret' },
    ]);
    expect(paths(fleet({ deadMan: {} }))).toEqual(['deadMan']);
  });

  it.each<Record<string, Json>>([{ url: 'https://hc.example/ping/1' }, { urlSecret: 'DEADMAN_URL' }])(
    'accepts %j',
    (deadMan) => {
      expect(parsed(fleet({ deadMan })).deadMan).toEqual(deadMan);
    },
  );
});

describe('maintenance windows', () => {
  const oneOff = { start: '2026-05-01T02:00:00+08:00', end: '2026-05-01T04:00:00+08:00' };

  it('rejects both start/end and cron at the window', () => {
    expect(problems(withWindow({ ...oneOff, cron: '0 2 * * *', durationMinutes: 60 }))).toEqual([
      { path: 'maintenance[0]', message: 'give either start and end, or cron and durationMinutes' },
    ]);
  });

  it('rejects neither at the window', () => {
    expect(paths(withWindow({}))).toEqual(['maintenance[0]']);
  });

  it.each([
    ['before', '2026-05-01T01:00:00+08:00'],
    ['equal to', '2026-05-01T02:00:00+08:00'],
    ['the same instant in another offset as', '2026-04-30T18:00:00Z'],
  ])('rejects an end %s its start at maintenance[0].end', (_what, end) => {
    expect(problems(withWindow({ ...oneOff, end }))).toEqual([
      { path: 'maintenance[0].end', message: 'must be after start' },
    ]);
  });

  it('rejects half a one-off or half a recurring window at the missing field', () => {
    expect(paths(withWindow({ start: oneOff.start }))).toEqual(['maintenance[0].end']);
    expect(paths(withWindow({ end: oneOff.end }))).toEqual(['maintenance[0].start']);
    expect(paths(withWindow({ cron: '0 2 * * *' }))).toEqual(['maintenance[0].durationMinutes']);
    expect(paths(withWindow({ durationMinutes: 60 }))).toEqual(['maintenance[0].cron']);
  });

  it.each([
    ['no stores or regions', {}],
    ['empty lists', { stores: [], regions: [] }],
  ])('rejects a window with %s at maintenance[0].stores', (_what, selectors) => {
    expect(problems(fleet({ maintenance: [{ id: 'w', ...oneOff, ...selectors }] }))).toEqual([
      { path: 'maintenance[0].stores', message: 'name at least one store or region' },
    ]);
  });

  it('rejects a time without an offset there alone, with no "end must be after start" read in local time', () => {
    expect(paths(withWindow({ ...oneOff, start: '2026-05-01T02:00:00' }))).toEqual(['maintenance[0].start']);
    expect(paths(withWindow({ ...oneOff, end: '2026-05-01T01:00:00' }))).toEqual(['maintenance[0].end']);
  });

  it('says which half is missing even when the half given is empty', () => {
    expect(paths(withWindow({ start: '' })).sort()).toEqual(['maintenance[0].end', 'maintenance[0].start']);
    expect(paths(withWindow({ cron: '' })).sort()).toEqual(['maintenance[0].cron', 'maintenance[0].durationMinutes']);
  });
});

describe('a valid config with every new section', () => {
  const input = fleet({
    alerts: { channels: [SLACK, PAGER], routes: [{ channels: ['ops-slack'] }] },
    maintenance: [{ id: 'nightly', regions: ['south'], cron: '0 23 * * *', durationMinutes: 120 }],
    deadMan: { urlSecret: 'DEADMAN_URL' },
  });

  it('is accepted with the alerting defaults filled', () => {
    const config = parsed(input);
    expect(config.alerts).toEqual({
      channels: [SLACK, PAGER].map((c) => ({ ...c, locale: 'en' })),
      routes: [{ channels: ['ops-slack'], minSeverity: 'warning' }],
      reminderMinutes: 60,
      flapSeconds: 60,
    });
    expect(config.maintenance).toEqual([
      { id: 'nightly', regions: ['south'], cron: '0 23 * * *', durationMinutes: 120, reason: 'planned maintenance' },
    ]);
  });

  it('fills job grace (300 s) and resource thresholds (90/90/90 %, 300 s)', () => {
    const config = parsed(fleet({}, [store('gz', { jobs: [{ id: 'sync', schedule: '*/10 9-21 * * *' }] })]));
    expect(config.stores[0]?.jobs).toEqual([{ id: 'sync', schedule: '*/10 9-21 * * *', graceSeconds: 300 }]);
    expect(config.defaults.resources).toEqual({
      cpuPercent: 90,
      memoryPercent: 90,
      diskPercent: 90,
      sustainSeconds: 300,
    });
  });

  it('accepts an empty alerts section, filling every default', () => {
    expect(parsed(withAlerts({})).alerts).toEqual({ channels: [], routes: [], reminderMinutes: 60, flapSeconds: 60 });
  });
});

describe('monitorConfigFor: what reaches each store', () => {
  const byName = (config: FleetConfig, id: string): StoreConfig => {
    const s = config.stores.find((x) => x.id === id);
    if (!s) throw new Error(`no store ${id}`);
    return s;
  };
  const SMS_CH = { ...SMS, id: 'sms' };
  const config = parsed(
    fleet({
      alerts: {
        channels: [SLACK, PAGER, SMS_CH],
        routes: [
          { channels: ['ops-slack'], minSeverity: 'warning' },
          { channels: ['pager'], stores: ['gz'], minSeverity: 'critical' },
          { channels: ['sms', 'ops-slack'], regions: ['south'], minSeverity: 'info' },
          { channels: ['pager'], stores: ['bj'], regions: ['south'] },
        ],
        reminderMinutes: 15,
        flapSeconds: 0,
      },
      maintenance: [
        {
          id: 'gz-upgrade',
          stores: ['gz'],
          start: '2026-05-01T02:00:00+08:00',
          end: '2026-05-01T04:00:00+08:00',
          reason: 'PG 17',
        },
        { id: 'south-nightly', regions: ['south'], cron: '0 23 * * *', durationMinutes: 120 },
        { id: 'bj-only', stores: ['bj'], cron: '0 3 * * 0', durationMinutes: 30 },
      ],
    }),
  );
  const routed = (id: string) =>
    monitorConfigFor(config, byName(config, id)).alerts.channels.map((c) => [c.channel.id, c.minSeverity]);

  it('picks routes by store id and by region, each channel at the lowest severity of its routes', () => {
    expect(routed('gz')).toEqual([
      ['ops-slack', 'info'],
      ['pager', 'warning'],
      ['sms', 'info'],
    ]);
    expect(routed('sz')).toEqual([
      ['ops-slack', 'info'],
      ['pager', 'warning'],
      ['sms', 'info'],
    ]);
    expect(routed('bj')).toEqual([
      ['ops-slack', 'warning'],
      ['pager', 'warning'],
    ]);
  });

  it('a route with no selector covers every store, also one with no region', () => {
    expect(routed('nyc')).toEqual([['ops-slack', 'warning']]);
  });

  it('gives channels in the order the config lists them, whole', () => {
    const gz = monitorConfigFor(config, byName(config, 'gz'));
    expect(gz.alerts.channels.map((c) => c.channel)).toEqual(config.alerts?.channels);
    expect(gz.alerts.reminderMinutes).toBe(15);
    expect(gz.alerts.flapSeconds).toBe(0);
  });

  it('a store no route covers gets no channels', () => {
    const only: AlertSettings = {
      channels: config.alerts?.channels ?? [],
      routes: [{ channels: ['pager'], stores: ['gz'], minSeverity: 'warning' }],
      reminderMinutes: 60,
      flapSeconds: 60,
    };
    expect(channelsFor(only, byName(config, 'sz'))).toEqual([]);
    expect(channelsFor(undefined, byName(config, 'sz'))).toEqual([]);
  });

  it('windowsFor turns ISO times into ms and keeps only the windows covering the store', () => {
    expect(monitorConfigFor(config, byName(config, 'gz')).maintenance).toEqual([
      {
        id: 'gz-upgrade',
        reason: 'PG 17',
        start: Date.parse('2026-04-30T18:00:00Z'),
        end: Date.parse('2026-04-30T20:00:00Z'),
      },
      { id: 'south-nightly', reason: 'planned maintenance', cron: '0 23 * * *', durationMinutes: 120 },
    ]);
    expect(monitorConfigFor(config, byName(config, 'sz')).maintenance.map((w) => w.id)).toEqual(['south-nightly']);
    expect(monitorConfigFor(config, byName(config, 'bj')).maintenance.map((w) => w.id)).toEqual(['bj-only']);
    expect(monitorConfigFor(config, byName(config, 'nyc')).maintenance).toEqual([]);
    expect(windowsFor(undefined, byName(config, 'gz'))).toEqual([]);
  });

  it('windowsFor matches a region only for a store in it', () => {
    const regional: MaintenanceWindow[] = [
      { id: 'r', regions: ['south'], reason: 'x', cron: '0 1 * * *', durationMinutes: 5 },
    ];
    expect(windowsFor(regional, byName(config, 'nyc'))).toEqual([]);
  });

  it('merges a store resource override over the defaults, field by field', () => {
    const tuned = parsed(
      fleet({ defaults: { resources: { diskPercent: 80 } } }, [store('gz', { resources: { cpuPercent: 95 } })]),
    );
    expect(monitorConfigFor(tuned, byName(tuned, 'gz')).resources).toEqual({
      cpuPercent: 95,
      memoryPercent: 90,
      diskPercent: 80,
      sustainSeconds: 300,
    });
  });

  it('with no alerts section, a store gets no channels and the default timings', () => {
    const plain = parsed(fleet());
    expect(monitorConfigFor(plain, byName(plain, 'gz')).alerts).toEqual({
      channels: [],
      reminderMinutes: 60,
      flapSeconds: 60,
    });
  });
});
