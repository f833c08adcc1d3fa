import { describe, expect, it } from 'vitest';
import type { StoreStatus } from '#shared/schemas/status.ts';
import { renderMetrics } from '#worker/views/prometheus.ts';
import { setAgent, watchedStore } from './support.ts';

const SAMPLE = /^[a-z_]+\{[^}]*\} -?[0-9.e+-]+$/;

describe('GET /metrics', () => {
  it('exposes status, nodes, lag, counters and failovers in the Prometheus text format', async () => {
    const { id, monitor, api } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'http500' });
    await monitor.round();
    await monitor.round(1000);

    const res = await api.call('/metrics', { token: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const line of samples) expect(line).toMatch(SAMPLE);
    const store = `store="${id}",region="South China"`;
    expect(samples).toContain(`mirrorwatch_store_status{${store},status="degraded"} 1`);
    expect(samples).toContain(`mirrorwatch_store_status{${store},status="healthy"} 0`);
    expect(samples).toContain(`mirrorwatch_node_reachable{store="${id}",node="${id}-a",role="primary"} 1`);
    expect(samples).toContain(`mirrorwatch_node_reachable{store="${id}",node="${id}-b",role="unknown"} 0`);
    expect(samples).toContain(`mirrorwatch_probes_total{${store}} 24`);
    const rows = samples.find((l) => l.startsWith(`mirrorwatch_sqlite_rows_written_total{${store}} `));
    expect(Number(rows?.split(' ').at(-1))).toBeGreaterThan(0); // at least the config and the first status
    expect(samples).toContain(`mirrorwatch_failovers_total{${store},outcome="completed"} 0`);
    expect(text).toContain('# TYPE mirrorwatch_probes_total counter');
    expect(text).not.toMatch(/127\.0\.0\.1|token/);
  });

  it('escapes label values', () => {
    const status = {
      id: 'st',
      name: 'x',
      region: 'South "China"\\North',
      status: 'healthy',
      since: '2026-11-21T00:00:00.000Z',
      primary: null,
      epoch: 0,
      lagSeconds: null,
      nodes: [],
      arbiter: null,
      reasons: [],
      lastFailover: null,
      checkedAt: null,
    } satisfies StoreStatus;
    expect(renderMetrics([status])).toContain('region="South \\"China\\"\\\\North"');
  });
});
