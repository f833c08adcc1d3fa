/**
 * The fleet in Prometheus text exposition format (version 0.0.4): per-store status as a one-hot
 * enum, per-node reachability and probe latency, replication lag, failovers by outcome, last-check
 * times and probe counters. Pure: StoreStatus in, text out.
 */
import { STORE_STATUSES, type StoreStatus } from '#shared/schemas/status.ts';

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;
const seconds = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 1000);

class Exposition {
  private readonly families = new Map<string, { help: string; type: string; lines: string[] }>();

  add(name: string, type: 'gauge' | 'counter', help: string, labels: Labels, value: number | null | undefined) {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const family = this.families.get(name) ?? { help, type, lines: [] };
    family.lines.push(`${name}${labelText(labels)} ${value}`);
    this.families.set(name, family);
  }

  text(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`, ...f.lines);
    return `${out.join('\n')}\n`;
  }
}

export function renderMetrics(stores: StoreStatus[]): string {
  const m = new Exposition();
  for (const s of stores) {
    const store = { store: s.id, region: s.region ?? '' };
    for (const status of STORE_STATUSES) {
      m.add(
        'mirrorwatch_store_status',
        'gauge',
        'Current status of the store (1 for the status in force).',
        { ...store, status },
        s.status === status ? 1 : 0,
      );
    }
    m.add(
      'mirrorwatch_store_status_since_seconds',
      'gauge',
      'Unix time the current status began.',
      store,
      seconds(s.since),
    );
    m.add('mirrorwatch_store_epoch', 'gauge', 'The store epoch (fencing generation).', store, s.epoch);
    m.add(
      'mirrorwatch_store_replication_lag_seconds',
      'gauge',
      'Replication lag of the standby, seconds.',
      store,
      s.lagSeconds,
    );
    m.add(
      'mirrorwatch_store_last_check_timestamp_seconds',
      'gauge',
      'Unix time of the last probe round.',
      store,
      seconds(s.checkedAt),
    );
    if (s.arbiter)
      m.add(
        'mirrorwatch_arbiter_reachable',
        'gauge',
        'The arbiter answers the edge.',
        store,
        s.arbiter.reachable ? 1 : 0,
      );
    for (const n of s.nodes) {
      const node = { store: s.id, node: n.id, role: n.role };
      m.add(
        'mirrorwatch_node_reachable',
        'gauge',
        'The node answers the edge (1) or not (0).',
        node,
        n.reachable ? 1 : 0,
      );
      m.add('mirrorwatch_node_healthy', 'gauge', 'The node reports its database healthy.', node, n.healthy ? 1 : 0);
      m.add(
        'mirrorwatch_node_probe_latency_seconds',
        'gauge',
        'Latency of the last successful health probe.',
        node,
        n.latencyMs === null ? null : n.latencyMs / 1000,
      );
      m.add(
        'mirrorwatch_node_replication_lag_seconds',
        'gauge',
        'Replication lag the node reports.',
        node,
        n.lagSeconds,
      );
    }
    if (s.counters) {
      m.add(
        'mirrorwatch_probe_rounds_total',
        'counter',
        'Probe rounds since the monitor started.',
        store,
        s.counters.rounds,
      );
      m.add('mirrorwatch_probes_total', 'counter', 'Probes sent since the monitor started.', store, s.counters.probes);
      if (s.counters.rowsWritten !== undefined)
        m.add(
          'mirrorwatch_sqlite_rows_written_total',
          'counter',
          'SQLite rows the monitor wrote since it started (billed by Cloudflare).',
          store,
          s.counters.rowsWritten,
        );
      for (const [outcome, count] of Object.entries(s.counters.failovers)) {
        m.add(
          'mirrorwatch_failovers_total',
          'counter',
          'Failovers recorded, by outcome.',
          { ...store, outcome },
          count,
        );
      }
    }
  }
  return m.text();
}
