import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, probe, startHarness } from '#harness/sim-harness.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const S = 'gz-tianhe';
const A = 'gz-tianhe-a';
const B = 'gz-tianhe-b';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stores: 8 });
});
afterAll(() => h.close());
afterEach(() => h.control.inject(S, 'reset', { initial: true }));

const health = (who: string, timeoutMs = 2000) => probe(`${h.server.url}/stores/${S}/${who}/health`, {}, timeoutMs);

function standbyFromModel(state: Awaited<ReturnType<Harness['control']['store']>>) {
  const report = state.nodes.find((n) => n.id === B)?.report;
  if (!report) throw new Error('the standby should be up');
  return report;
}

describe('crash and restore', () => {
  it('a crashed primary resets its connections, and the active endpoint with it', async () => {
    await h.control.inject(S, 'crash', { node: A });
    expect(await health(`nodes/${A}`)).toMatchObject({ kind: 'reset' });
    expect(await health('active')).toMatchObject({ kind: 'reset' });
    expect(await health(`nodes/${B}`)).toMatchObject({ kind: 'answer', status: 200 });

    const standby = AgentReport.parse(json(await health(`nodes/${B}`)));
    expect(standby.replication).toMatchObject({ state: 'disconnected', primaryReachable: false });
    const arbiter = AgentReport.parse(json(await health('arbiter')));
    expect(arbiter.sees).toEqual({ [A]: false, [B]: true });

    await h.control.inject(S, 'restore', { node: A });
    expect(await health(`nodes/${A}`)).toMatchObject({ kind: 'answer', status: 200 });
    expect(AgentReport.parse(json(await health('active'))).node).toBe(A);
    expect(h.logs.some((l) => l.includes(`fault crash: ${S}/${A} crashed`))).toBe(true);
  });

  it('crash without a node takes the primary; a crashed arbiter resets too', async () => {
    const state = await h.control.inject(S, 'crash');
    expect(state.nodes.find((n) => n.id === A)?.down).toBe(true);
    await h.control.inject(S, 'crash', { node: 'arbiter' });
    expect(await health('arbiter')).toMatchObject({ kind: 'reset' });
  });
});

describe('wan-cut', () => {
  it('hangs every endpoint for the edge while the pair keeps replicating inside', async () => {
    await h.control.inject(S, 'wan-cut');
    const results = await Promise.all([health(`nodes/${A}`, 150), health(`nodes/${B}`, 150), health('active', 150)]);
    expect(results.map((r) => r.kind)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(await health('arbiter', 150)).toMatchObject({ kind: 'timeout' });

    const standby = standbyFromModel(await h.control.store(S));
    expect(standby.replication).toMatchObject({ state: 'streaming', primaryReachable: true });

    // Other stores are not affected.
    expect(await probe(`${h.server.url}/stores/sz-futian/active/health`)).toMatchObject({ status: 200 });
    await h.control.inject(S, 'wan-restore');
    expect(await health(`nodes/${A}`)).toMatchObject({ kind: 'answer', status: 200 });
  });

  it('in reset mode refuses at once instead of hanging', async () => {
    await h.control.inject(S, 'wan-cut', { mode: 'reset' });
    expect(await health(`nodes/${B}`)).toMatchObject({ kind: 'reset' });
    expect((await h.control.store(S)).wanCut).toBe('reset');
  });
});

describe('partition, lag and heal', () => {
  it('partition: the standby is disconnected, the arbiter still sees both', async () => {
    await h.control.inject(S, 'partition');
    const standby = AgentReport.parse(json(await health(`nodes/${B}`)));
    expect(standby.replication).toMatchObject({ state: 'disconnected', primaryReachable: false });
    const arbiter = AgentReport.parse(json(await health('arbiter')));
    expect(arbiter.sees).toEqual({ [A]: true, [B]: true });
    expect(AgentReport.parse(json(await health('active'))).role).toBe('primary');

    await h.control.inject(S, 'heal');
    expect(standbyFromModel(await h.control.store(S)).replication?.state).toBe('streaming');
  });

  it('lag sets the standby lag, and heal clears it', async () => {
    await h.control.inject(S, 'lag', { seconds: 45 });
    const lagging = AgentReport.parse(json(await health(`nodes/${B}`)));
    expect(lagging.replication).toMatchObject({ state: 'streaming', lagSeconds: 45 });
    expect(lagging.replication?.lagBytes).toBeGreaterThan(0);
    await h.control.inject(S, 'heal');
    expect(standbyFromModel(await h.control.store(S)).replication?.lagSeconds).toBeLessThan(2);
  });

  it('disk fills a node’s disk in its reports (the primary by default), and heal clears it', async () => {
    await h.control.inject(S, 'disk', { percent: 96 });
    expect(AgentReport.parse(json(await health(`nodes/${A}`))).resources?.diskPercent).toBe(96);
    expect(AgentReport.parse(json(await health(`nodes/${B}`))).resources?.diskPercent).toBeLessThan(90);
    await h.control.inject(S, 'heal');
    expect(AgentReport.parse(json(await health(`nodes/${A}`))).resources?.diskPercent).toBeLessThan(90);
  });

  it('a standby that loses its stream keeps reporting the lag it had', async () => {
    await h.control.inject(S, 'lag', { seconds: 12 });
    await h.control.inject(S, 'crash', { node: A });
    const standby = standbyFromModel(await h.control.store(S));
    expect(standby.replication).toMatchObject({ state: 'disconnected', lagSeconds: 12 });
  });
});

describe('broken answers', () => {
  it('http500 answers a JSON 500; garbage answers invalid JSON', async () => {
    await h.control.inject(S, 'http500', { node: B });
    expect(await health(`nodes/${B}`)).toMatchObject({ kind: 'answer', status: 500 });
    await h.control.inject(S, 'garbage', { node: A });
    const garbage = await health('active');
    expect(garbage).toMatchObject({ kind: 'answer', status: 200 });
    expect(() => json(garbage)).toThrow();
    await h.control.inject(S, 'restore');
    expect(await health(`nodes/${B}`)).toMatchObject({ kind: 'answer', status: 200 });
  });
});

describe('fault requests', () => {
  it('refuses unknown faults, unknown nodes and unknown stores with JSON errors', async () => {
    const post = (path: string, body: string) =>
      probe(`${h.server.url}/control/stores/${path}/faults`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-control-token' },
        body,
      });
    expect(await post(S, '{"fault":"meteor"}')).toMatchObject({ status: 400 });
    expect(await post(S, '{"fault":"lag"}')).toMatchObject({ status: 400 });
    expect(await post(S, '{not json')).toMatchObject({ status: 400 });
    expect(await post(S, '{"fault":"crash","node":"gz-tianhe-z"}')).toMatchObject({ status: 404 });
    expect(await post('nowhere', '{"fault":"crash"}')).toMatchObject({ status: 404 });
    const answer = await post(S, '{"fault":"meteor"}');
    expect(json(answer)).toMatchObject({ error: { code: 'invalid_fault' } });
  });
});
