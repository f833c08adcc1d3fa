import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionBody, type Harness, json, probe, sendAction, startHarness } from '#harness/sim-harness.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const S = 'gz-tianhe';
const A = 'gz-tianhe-a';
const B = 'gz-tianhe-b';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stores: 8 });
});
afterAll(() => h.close());
afterEach(async () => {
  await h.control.inject(S, 'reset', { initial: true }); // back to epoch 1, a primary: each test starts alike
  await h.control.clearActions();
});

async function reportOf(node: string): Promise<AgentReport> {
  return AgentReport.parse(json(await probe(`${h.nodeUrl(S, node)}/health`)));
}

/** The primary A crashes, B is promoted at the next epoch, A comes back fenced. Returns the new epoch. */
async function failedOverAndBack(): Promise<number> {
  const epoch = (await h.control.store(S)).epoch + 1;
  await h.control.inject(S, 'crash', { node: A });
  const promote = actionBody({ store: S, node: B, epoch });
  expect(await sendAction(h.nodeUrl(S, B), promote.raw, { key: promote.key })).toMatchObject({ status: 200 });
  await h.control.inject(S, 'restore', { node: A });
  expect(await reportOf(A)).toMatchObject({ fenced: true, epoch: epoch - 1 });
  return epoch;
}

describe('the simulator honours reinstate (contract section 8)', () => {
  it('rebuilds the fenced old primary as a streaming standby of the primary, reporting what it discarded', async () => {
    const epoch = await failedOverAndBack();
    const { raw, key } = actionBody({ store: S, node: A, epoch, action: 'reinstate' }, { primary: B });
    const answer = await sendAction(h.nodeUrl(S, A), raw, { key });
    expect(answer).toMatchObject({ kind: 'answer', status: 200 });
    expect(json(answer)).toMatchObject({ action: 'reinstate', state: 'completed' });
    const report = await reportOf(A);
    expect(report).toMatchObject({ role: 'standby', epoch, replication: { state: 'streaming' } });
    expect(report.fenced).toBeUndefined();
    // What the crashed primary had that B never received: B's last streaming lag at the promotion.
    expect(report.reinstatement?.epoch).toBe(epoch);
    expect(report.reinstatement?.discardedBytes).toBeGreaterThan(0);
  });

  it('refuses to reinstate the serving primary, or to follow a node that is not the primary', async () => {
    const epoch = await failedOverAndBack();
    const primary = actionBody({ store: S, node: B, epoch, action: 'reinstate' }, { primary: B });
    const refused = await sendAction(h.nodeUrl(S, B), primary.raw, { key: primary.key });
    expect(refused).toMatchObject({ status: 409 });
    expect(json(refused)).toMatchObject({ error: { code: 'is_primary' } });
    const wrong = actionBody({ store: S, node: A, epoch, action: 'reinstate' }, { primary: A });
    const answer = await sendAction(h.nodeUrl(S, A), wrong.raw, { key: wrong.key });
    expect(json(answer)).toMatchObject({ error: { code: 'wrong_primary' } });
    expect(await reportOf(A)).toMatchObject({ fenced: true });
  });

  it('the demo fault `reinstate` does the same rebuild by hand', async () => {
    const epoch = await failedOverAndBack();
    await h.control.inject(S, 'reinstate', { node: A });
    expect(await reportOf(A)).toMatchObject({ role: 'standby', epoch, reinstatement: { epoch } });
  });
});
