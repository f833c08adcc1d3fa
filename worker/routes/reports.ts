/**
 * `GET /api/v1/reports/availability` (viewer): each store's monitor works out its own figures over
 * its own calendar days (shared/report/availability.ts); this route checks the query, picks the
 * stores, asks their monitors a batch at a time and writes JSON or CSV.
 */
import type { Context } from 'hono';
import { availabilityCsv, dayNumber } from '#shared/report/availability.ts';
import { type AvailabilityReport, ReportQuery, type StoreAvailability } from '#shared/schemas/availability.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException } from '../http/api-error.ts';
import type { AppEnv } from '../http/env.ts';
import { monitorStub } from '../monitor/stub.ts';

/** Monitors asked at once: bounded, so a fleet of thousands does not open thousands of calls together. */
const BATCH = 50;

function reportQuery(c: Context<AppEnv>): ReportQuery {
  const q = (name: string) => c.req.query(name);
  const parsed = ReportQuery.safeParse({ from: q('from'), to: q('to'), region: q('region'), format: q('format') });
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new ApiException(400, 'invalid_query', details.map((d) => `${d.path} ${d.message}`).join('; '), details);
}

/** What a store configured but not monitored yet reports: nothing measured, nothing happened. */
function unmeasured(s: StoreConfig): StoreAvailability {
  const base = { id: s.id, name: s.name, region: s.region ?? null, timezone: s.timezone };
  return {
    ...base,
    availability: null,
    monitoredMinutes: 0,
    downMinutes: 0,
    incidents: 0,
    degradedIncidents: 0,
    failovers: [],
  };
}

export async function availabilityReport(c: Context<AppEnv>) {
  const query = reportQuery(c);
  const stores = (await fleetStub(c.env).getConfig())?.stores ?? [];
  const chosen = query.region === undefined ? stores : stores.filter((s) => s.region === query.region);
  if (query.region !== undefined && chosen.length === 0) {
    const regions = [...new Set(stores.flatMap((s) => (s.region ? [s.region] : [])))];
    throw new ApiException(
      400,
      'invalid_query',
      `region "${query.region}" has no store; regions: ${regions.join(', ') || 'none configured'}`,
      [{ path: 'region', message: 'no store in this region' }],
    );
  }
  const [fromDay, toDay] = [dayNumber(query.from), dayNumber(query.to)];
  const rows: StoreAvailability[] = [];
  for (let i = 0; i < chosen.length; i += BATCH) {
    const batch = chosen.slice(i, i + BATCH);
    const answers = await Promise.all(
      batch.map(async (s) => (await monitorStub(c.env, s.id).availability(fromDay, toDay)) ?? unmeasured(s)),
    );
    rows.push(...answers);
  }
  const report: AvailabilityReport = {
    from: query.from,
    to: query.to,
    region: query.region ?? null,
    generatedAt: new Date().toISOString(),
    stores: rows,
  };
  if (query.format === 'json') return c.json(report);
  return c.body(availabilityCsv(report), 200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="availability-${query.from}-${query.to}.csv"`,
  });
}
