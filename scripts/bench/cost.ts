/**
 * The monthly cost model on Cloudflare's Workers Paid plan, per store, from what the scale run
 * measured (rounds per store-hour, probes per round, rows the monitors inserted) and what the code
 * does on a fixed schedule (stated with each line). Prices as published on developers.cloudflare.com
 * (Durable Objects pricing, Workers pricing), checked on PRICES.checked.
 */

export const PRICES = {
  checked: '2026-11-21',
  sources: [
    'https://developers.cloudflare.com/durable-objects/platform/pricing/',
    'https://developers.cloudflare.com/workers/platform/pricing/',
  ],
  /** Workers Paid subscription, per account and month. */
  base: 5,
  requests: { included: 1_000_000, perMillion: 0.15 },
  /** GB-s at 128 MB per active object. */
  duration: { included: 400_000, perMillion: 12.5 },
  rowsWritten: { included: 50_000_000, perMillion: 1.0 },
  rowsRead: { included: 25_000_000_000, perMillion: 0.001 },
  storage: { includedGB: 5, perGBMonth: 0.2 },
} as const;

export const HOURS_PER_MONTH = 730;
const GB_PER_OBJECT = 0.128;

export interface CostInputs {
  /** Measured: probe rounds (= alarms) per store-hour, probes per round. */
  roundsPerHour: number;
  probesPerRound: number;
  /** Measured: rows the monitor's SQL wrote per store-hour (minute rollups, events, probe log…). */
  sqlRowsPerHour: number;
  /** Measured: bytes of one minute rollup row. */
  minuteRowBytes: number;
  /** Assumed: wall time a round keeps its object active (the slowest probe's round trip). */
  roundWallSeconds: number;
}

export interface Line {
  what: string;
  perStoreHour: number;
  basis: string;
}

export interface CostModel {
  requests: Line[];
  rowsWritten: Line[];
  requestsPerStoreHour: number;
  rowsWrittenPerStoreHour: number;
  rowsPerProbe: { sql: number; billed: number };
  rowsReadPerStoreHour: number;
  gbSecondsPerStoreHour: number;
  storageGBPerStore: number;
  /** Per store and month at a fleet size: everything, the $5 and the included usage shared out. */
  perStoreMonth(stores: number): { total: number; lines: Record<string, number> };
  /** Per store and month once every included allowance is used up (the slope). */
  marginalPerStoreMonth: number;
}

const over = (used: number, included: number, perUnit: number) => Math.max(0, used - included) * perUnit;

export function costModel(x: CostInputs): CostModel {
  const perMinute = 60;
  const requests: Line[] = [
    { what: 'alarm (one per probe round)', perStoreHour: x.roundsPerHour, basis: 'measured' },
    { what: 'status refresh to the Fleet (RPC)', perStoreHour: 3600 / 60, basis: 'code: once a minute (REFRESH_MS)' },
    {
      what: 'public history to the Fleet (RPC)',
      perStoreHour: 3600 / 600,
      basis: 'code: at most every 10 min (UPTIME_EVERY_MS)',
    },
    {
      what: 'watchdog ensure() from the Fleet (RPC)',
      perStoreHour: perMinute,
      basis: 'wrangler.toml: cron every minute',
    },
  ];
  const probesPerHour = x.roundsPerHour * x.probesPerRound;
  const rowsWritten: Line[] = [
    { what: 'setAlarm() (billed as one row written)', perStoreHour: x.roundsPerHour, basis: 'measured rounds' },
    { what: 'monitor SQL writes', perStoreHour: x.sqlRowsPerHour, basis: 'measured' },
    {
      what: 'minute rollups pruned after 48 h (deletes are rows written)',
      perStoreHour: perMinute,
      basis: 'code: one a minute once 48 h old',
    },
    { what: 'public history row in the Fleet', perStoreHour: 6, basis: 'code: at most every 10 min' },
  ];
  const sum = (lines: Line[]) => lines.reduce((n, l) => n + l.perStoreHour, 0);
  const requestsPerStoreHour = sum(requests);
  const rowsWrittenPerStoreHour = sum(rowsWritten);
  // Every 10 min the public history reads 26 h of minute rollups and up to 90 days.
  const rowsReadPerStoreHour = 6 * (26 * 60 + 90) + perMinute * 2;
  const gbSecondsPerStoreHour = x.roundsPerHour * x.roundWallSeconds * GB_PER_OBJECT;
  // 48 h of minute rollups and 400 days, with a third more for SQLite's pages and indexes.
  const storageGBPerStore = ((48 * 60 * x.minuteRowBytes + 400 * 400) * 1.33) / 1e9;
  const month = (perHour: number) => perHour * HOURS_PER_MONTH;
  const P = PRICES;
  const perStoreMonth = (stores: number) => {
    const lines = {
      'Workers Paid base': P.base,
      requests: over(month(requestsPerStoreHour) * stores, P.requests.included, P.requests.perMillion / 1e6),
      duration: over(month(gbSecondsPerStoreHour) * stores, P.duration.included, P.duration.perMillion / 1e6),
      'rows written': over(
        month(rowsWrittenPerStoreHour) * stores,
        P.rowsWritten.included,
        P.rowsWritten.perMillion / 1e6,
      ),
      'rows read': over(month(rowsReadPerStoreHour) * stores, P.rowsRead.included, P.rowsRead.perMillion / 1e6),
      storage: over(storageGBPerStore * stores, P.storage.includedGB, P.storage.perGBMonth),
    };
    const perStore = Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v / stores]));
    return { total: Object.values(perStore).reduce((a, b) => a + b, 0), lines: perStore };
  };
  const marginalPerStoreMonth =
    (month(requestsPerStoreHour) * P.requests.perMillion) / 1e6 +
    (month(gbSecondsPerStoreHour) * P.duration.perMillion) / 1e6 +
    (month(rowsWrittenPerStoreHour) * P.rowsWritten.perMillion) / 1e6 +
    (month(rowsReadPerStoreHour) * P.rowsRead.perMillion) / 1e6 +
    storageGBPerStore * P.storage.perGBMonth;
  return {
    requests,
    rowsWritten,
    requestsPerStoreHour,
    rowsWrittenPerStoreHour,
    rowsPerProbe: {
      sql: (x.sqlRowsPerHour + perMinute + 6) / probesPerHour,
      billed: rowsWrittenPerStoreHour / probesPerHour,
    },
    rowsReadPerStoreHour,
    gbSecondsPerStoreHour,
    storageGBPerStore,
    perStoreMonth,
    marginalPerStoreMonth,
  };
}
