import { describe, expect, it } from 'vitest';
import { probeHttp, probeTcp } from '#worker/monitor/probe.ts';
import { agentUrl, primaryReport, setAgent, standIns, unique } from './support.ts';

const clock = () => Date.now();

describe('HTTP probe', () => {
  it('a healthy agent is a successful probe with its parsed report and a latency', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'report', report: primaryReport(name, 3) });
    const outcome = await probeHttp(agentUrl(name), 1000, clock);
    expect(outcome.ok).toBe(true);
    expect(outcome.report).toMatchObject({ node: name, role: 'primary', epoch: 3 });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outcome.error).toBeNull();
  });

  it('unknown fields in a report are ignored', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'report', report: { ...primaryReport(name), vendor: { sybase: true } } });
    expect((await probeHttp(agentUrl(name), 1000, clock)).ok).toBe(true);
  });

  it('a refused connection fails with a reason', async () => {
    const outcome = await probeHttp(standIns().refusedUrl, 1000, clock);
    expect(outcome).toMatchObject({ ok: false, report: null });
    expect(outcome.error).toMatch(/^connection failed/);
  });

  it('a hanging agent fails at the timeout', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'hang' });
    const outcome = await probeHttp(agentUrl(name), 200, clock);
    expect(outcome).toMatchObject({ ok: false, error: 'timeout after 200 ms' });
  });

  it('an HTTP 500 fails and says so', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'http500' });
    expect(await probeHttp(agentUrl(name), 1000, clock)).toMatchObject({ ok: false, error: 'HTTP 500 from the agent' });
  });

  it('garbage instead of JSON fails as invalid JSON', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'garbage' });
    const outcome = await probeHttp(agentUrl(name), 1000, clock);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^invalid JSON/);
  });

  it('a report that fails the schema fails and names the field', async () => {
    const name = unique('agent');
    await setAgent(name, { mode: 'report', report: { ...primaryReport(name), role: 'boss', epoch: -1 } });
    const outcome = await probeHttp(agentUrl(name), 1000, clock);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^invalid report: role: .*; epoch: /);
  });
});

describe('TCP probe', () => {
  it('an open database port succeeds', async () => {
    expect(await probeTcp(standIns().tcpOpen, 1000, clock)).toMatchObject({ ok: true, error: null });
  });

  it('a closed port fails with the port in the reason', async () => {
    const target = standIns().tcpRefused;
    const outcome = await probeTcp(target, 1000, clock);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain(`port ${target.split(':')[1]}`);
  });
});
