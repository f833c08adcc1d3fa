import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, probe, startHarness } from '#harness/sim-harness.ts';
import { AgentReport } from '#shared/schemas/report.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stores: 8 });
});
afterAll(() => h.close());

async function report(url: string): Promise<AgentReport> {
  const answer = await probe(`${url}/health`);
  expect(answer).toMatchObject({ kind: 'answer', status: 200 });
  return AgentReport.parse(json(answer));
}

describe('simulated reports follow the contract', () => {
  it('every node, arbiter and active endpoint of every store answers a valid AgentReport', async () => {
    let checked = 0;
    for (const spec of h.specs) {
      const base = `${h.server.url}/stores/${spec.id}`;
      for (const node of spec.nodes) {
        const r = await report(`${base}/nodes/${node.id}`);
        expect(r.node).toBe(node.id);
        expect(r.epoch).toBe(spec.epoch);
        checked++;
      }
      const active = await report(`${base}/active`);
      expect(active).toMatchObject({ node: spec.nodes[0]?.id, role: 'primary' });
      if (spec.arbiter) {
        const arb = await report(`${base}/arbiter`);
        expect(arb.role).toBe('arbiter');
        expect(arb.sees).toEqual(Object.fromEntries(spec.nodes.map((n) => [n.id, true])));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it('a primary has no replication block; a standby streams with lag figures', async () => {
    const primary = await report(h.nodeUrl('gz-tianhe', 'gz-tianhe-a'));
    expect(primary.role).toBe('primary');
    expect(primary.replication).toBeUndefined();
    const standby = await report(h.nodeUrl('gz-tianhe', 'gz-tianhe-b'));
    expect(standby).toMatchObject({ role: 'standby', healthy: true });
    expect(standby.replication).toMatchObject({ state: 'streaming', primaryReachable: true });
    expect(standby.replication?.lagSeconds).toBeGreaterThan(0);
    expect(standby.replication?.lagSeconds).toBeLessThan(2);
    expect(standby.resources?.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('a DR copy lags more than the local standby', async () => {
    const spec = h.specs.find((s) => s.nodes.some((n) => n.id.endsWith('-dr')));
    if (!spec) throw new Error('the demo fleet should have a store with a DR node');
    const dr = await report(h.nodeUrl(spec.id, `${spec.id}-dr`));
    expect(dr.replication?.lagSeconds).toBeGreaterThanOrEqual(1);
  });

  it('unknown stores, nodes and routes answer 404 JSON errors', async () => {
    for (const path of ['/stores/nope/nodes/x/health', '/stores/gz-tianhe/nodes/nope/health', '/stores/gz-tianhe/x']) {
      const answer = await probe(`${h.server.url}${path}`);
      expect(answer).toMatchObject({ kind: 'answer', status: 404 });
      expect(json(answer)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('health answers only GET, actions only POST', async () => {
    const post = await probe(`${h.nodeUrl('gz-tianhe', 'gz-tianhe-a')}/health`, { method: 'POST', body: '{}' });
    expect(post).toMatchObject({ kind: 'answer', status: 405 });
    const get = await probe(`${h.nodeUrl('gz-tianhe', 'gz-tianhe-a')}/actions`);
    expect(get).toMatchObject({ kind: 'answer', status: 405 });
  });
});
