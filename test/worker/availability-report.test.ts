import { parse } from 'csv-parse/sync';
import { describe, expect, inject, it } from 'vitest';
import { AvailabilityReport } from '#shared/schemas/availability.ts';
import { controlClient } from '#sim/control-client.ts';
import { client, fleetConfig, simulatedMonitor, watchedStore } from './support.ts';

const sim = inject('sim');
const control = controlClient(sim.url, sim.controlToken);
const ID = 'fo-22'; // this file's own simulated store (see test/support/global-setup.ts)
const DAY = '2026-11-21';

function simConfig(name: string) {
  const base = `${sim.url}/stores/${ID}`;
  return {
    id: ID,
    name,
    region: 'South China',
    timezone: 'Asia/Shanghai',
    activeEndpoint: `${base}/active`,
    arbiter: { url: `${base}/arbiter` },
    nodes: [
      { id: `${ID}-a`, url: `${base}/nodes/${ID}-a`, priority: 100 },
      { id: `${ID}-b`, url: `${base}/nodes/${ID}-b`, priority: 50 },
    ],
    failover: { mode: 'auto', thresholdSeconds: 5 },
  };
}

describe('availability report', () => {
  it('counts the outage, its minutes down and the failover with detection time, RTO and data-loss bound, in JSON and CSV', async () => {
    // 02:00 UTC is 10:00 in Shanghai: the whole story falls on the store's local 21 November.
    const monitor = await simulatedMonitor(ID, Date.UTC(2026, 10, 21, 2, 0, 0));
    const api = client();
    const name = 'Guangzhou "Tianhe", north';
    expect((await api.putConfig(fleetConfig([simConfig(name)]))).status).toBe(200);
    await monitor.round(0);
    await monitor.rounds(12 * 3); // three healthy minutes
    await control.inject(ID, 'crash');
    let status = await monitor.round();
    for (let i = 0; i < 60 && status?.lastFailover?.state !== 'completed'; i++) status = await monitor.round(1000);
    expect(status?.lastFailover?.state, JSON.stringify(status)).toBe('completed');
    await monitor.rounds(12 * 2); // two minutes on the promoted standby

    const res = await api.call(`/api/v1/reports/availability?from=${DAY}&to=${DAY}`, { token: 'viewer' });
    expect(res.status).toBe(200);
    const report = AvailabilityReport.parse(await res.json());
    expect(report).toMatchObject({ from: DAY, to: DAY, region: null });
    expect(report.stores).toHaveLength(1);
    const store = report.stores[0];
    expect(store).toMatchObject({ id: ID, name, region: 'South China', timezone: 'Asia/Shanghai', incidents: 1 });
    expect(store?.availability).toBeGreaterThan(50);
    expect(store?.availability).toBeLessThan(100);
    expect(store?.downMinutes).toBeGreaterThan(0);
    expect(store?.monitoredMinutes).toBeGreaterThanOrEqual(5);
    expect(store?.failovers).toHaveLength(1);
    const failover = store?.failovers[0];
    expect(failover).toMatchObject({ state: 'completed', mode: 'auto', from: `${ID}-a`, to: `${ID}-b` });
    expect(failover?.outageStartedAt).not.toBeNull();
    expect(failover?.detectedAt).not.toBeNull();
    expect(failover?.decisionSeconds).toBeGreaterThanOrEqual(0);
    // From the detection (or the outage's start) to the promoted standby serving.
    const rto = (Date.parse(failover?.completedAt ?? '') - Date.parse(failover?.detectedAt ?? '')) / 1000;
    expect(failover?.rtoSeconds).toBe(rto);
    expect(rto).toBeGreaterThan(failover?.decisionSeconds ?? 0);
    expect(typeof failover?.lagSecondsAtDecision).toBe('number');
    expect(failover?.dataLossAllowed).toBe(false);

    // The day before and the day after (in Shanghai) have nothing.
    const before = AvailabilityReport.parse(
      await (await api.call('/api/v1/reports/availability?from=2026-11-19&to=2026-11-20', { token: 'viewer' })).json(),
    );
    expect(before.stores[0]).toMatchObject({ availability: null, incidents: 0, failovers: [] });

    const csv = await api.call(`/api/v1/reports/availability?from=${DAY}&to=${DAY}&format=csv&region=South%20China`, {
      token: 'viewer',
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`availability-${DAY}-${DAY}.csv`);
    const rows: Array<Record<string, string>> = parse(await csv.text(), { columns: true });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      store: ID,
      name,
      region: 'South China',
      from: DAY,
      to: DAY,
      incidents: '1',
      failovers: '1',
      failovers_completed: '1',
      failovers_allowing_data_loss: '0',
    });
    expect(Number(rows[0]?.availability_percent)).toBeCloseTo(store?.availability ?? 0, 3);
    expect(Number(rows[0]?.max_rto_seconds)).toBe(failover?.rtoSeconds);
    expect(Number(rows[0]?.down_minutes)).toBe(store?.downMinutes);
  });

  it('a CSV cell a spreadsheet would run as a formula is written as text', async () => {
    const { api } = await watchedStore({ store: { name: '=HYPERLINK("x")', region: '+86 south' } });
    const csv = await api.call(`/api/v1/reports/availability?from=${DAY}&to=${DAY}&format=csv`, { token: 'viewer' });
    const [row] = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
    expect(row).toMatchObject({ name: `'=HYPERLINK("x")`, region: "'+86 south" });
    expect(Number(row?.availability_percent)).toBe(100);
  });

  it('answers 400 with what is wrong for bad parameters, 401 without a token', async () => {
    const { api } = await watchedStore();
    const cases: Array<[string, RegExp]> = [
      ['', /from .*YYYY-MM-DD/],
      ['?from=2026-11-21', /to .*YYYY-MM-DD/],
      ['?from=2026-02-30&to=2026-03-01', /from is not a calendar date/],
      ['?from=21/11/2026&to=2026-11-21', /from must be a date as YYYY-MM-DD/],
      ['?from=2026-11-21&to=2026-11-20', /to must be on or after from/],
      ['?from=2025-01-01&to=2026-11-21', /at most 400 days/],
      [`?from=${DAY}&to=${DAY}&format=xml`, /format must be json or csv/],
      [`?from=${DAY}&to=${DAY}&region=Atlantis`, /region "Atlantis" has no store; regions: South China/],
    ];
    for (const [query, message] of cases) {
      const res = await api.call(`/api/v1/reports/availability${query}`, { token: 'viewer' });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_query');
      expect(body.error.message, query).toMatch(message);
    }
    expect((await api.call(`/api/v1/reports/availability?from=${DAY}&to=${DAY}`)).status).toBe(401);
  });
});
