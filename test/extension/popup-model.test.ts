import { describe, expect, it, vi } from 'vitest';
import type { BackgroundClient } from '#extension/lib/background-client.ts';
import { CONFIRM_REASON, DEFAULT_MAX_LAG_SECONDS } from '#extension/lib/failover-form.ts';
import type { FailoverResponse, StateResponse } from '#extension/lib/messages.ts';
import { createPopupModel } from '#extension/lib/popup-model.ts';
import type { StoreStatus } from '#extension/lib/wire.ts';
import { connection, failover, fleet, SERVER, store, T0 } from './support/fixtures.ts';

function stateOf(stores: StoreStatus[], overrides: Partial<Extract<StateResponse, { ok: true }>['state']> = {}) {
  return {
    ok: true as const,
    state: {
      fleet: fleet(stores),
      connection: connection('connected'),
      settings: {
        serverUrl: SERVER,
        configured: true,
        watch: { stores: [], regions: [] },
        notify: { red: true, awaiting: true, failover: true },
      },
      ...overrides,
    },
  };
}

function setup(
  stores: StoreStatus[],
  answer: FailoverResponse = { ok: true, failover: failover({ state: 'fencing' }) },
) {
  const client = {
    getState: vi.fn<BackgroundClient['getState']>(async () => stateOf(stores)),
    refresh: vi.fn<BackgroundClient['refresh']>(async () => ({ ok: true as const })),
    failover: vi.fn<BackgroundClient['failover']>(async () => answer),
  };
  return { client, model: createPopupModel(client, T0 + 60_000) };
}

const refused = (status: number, message: string, details: string[] = []): FailoverResponse => ({
  ok: false,
  error: { code: 'x', message, status, details: details.map((m) => ({ path: 'p', message: m })) },
});

describe('the list', () => {
  it('sorts the stores worst first, then by name', async () => {
    const { model } = setup([
      store('h', { name: 'Healthy', status: 'healthy' }),
      store('d', { name: 'Degraded', status: 'degraded' }),
      store('s', { name: 'Split', status: 'split_brain' }),
      store('m', { name: 'Maint', status: 'maintenance' }),
      store('p', { name: 'Down B', status: 'primary_down' }),
      store('q', { name: 'Down A', status: 'primary_down' }),
      store('w', { name: 'Waiting', status: 'awaiting_confirm' }),
    ]);
    await model.load();
    expect(model.stores.value.map((s) => s.name)).toEqual([
      'Split',
      'Down A',
      'Down B',
      'Waiting',
      'Degraded',
      'Maint',
      'Healthy',
    ]);
  });

  it('says where the data comes from', async () => {
    const { model, client } = setup([store('a')]);
    await model.load();
    expect(model.header.value).toBe('Live');
    client.getState.mockResolvedValueOnce(
      stateOf([store('a')], { connection: connection('connecting'), fleet: fleet([store('a')], { source: 'poll' }) }),
    );
    await model.load();
    expect(model.header.value).toBe('Polling');
    expect(model.updated.value).toBe('60 s ago');
    client.getState.mockResolvedValueOnce(stateOf([store('a')], { connection: connection('unauthorized') }));
    await model.load();
    expect(model.header.value).toBe('Unauthorized');
    expect(model.statusPage.value).toBe(`${SERVER}/status`);
  });

  it('an unconfigured extension says so', async () => {
    const { model, client } = setup([]);
    const unconfigured = stateOf([], { connection: connection('unconfigured') });
    unconfigured.state.settings.configured = false;
    client.getState.mockResolvedValueOnce(unconfigured);
    await model.load();
    expect(model.header.value).toBe('Not configured — open options');
  });

  it('shows watched stores only, and counts the others', async () => {
    const { model, client } = setup([]);
    const state = stateOf([store('a'), store('b'), store('c')]);
    state.state.settings.watch = { stores: ['b'], regions: [] };
    client.getState.mockResolvedValueOnce(state);
    await model.load();
    expect(model.stores.value.map((s) => s.id)).toEqual(['b']);
    expect(model.hiddenCount.value).toBe(2);
  });
});

describe('failing over', () => {
  it('never offers the current primary as a target, even when a stale report calls it a standby', async () => {
    const base = store('a');
    const nodes = base.nodes.map((n) => ({ ...n, role: 'standby' as const }));
    const { model } = setup([store('a', { primary: 'a-a', nodes })]);
    await model.load();
    model.select('a');
    expect(model.form.targets.value.map((n) => n.id)).toEqual(['a-b']);
  });

  it('needs a reason, then sends the store, reason and chosen target', async () => {
    const { model, client } = setup([store('a')]);
    await model.load();
    model.select('a');
    expect(model.form.confirming.value).toBe(false);
    expect(model.form.targets.value.map((n) => n.id)).toEqual(['a-b']);
    await model.form.submit();
    expect(client.failover).not.toHaveBeenCalled();
    expect(model.form.outcome.value).toMatchObject({ kind: 'error', message: expect.stringContaining('reason') });

    model.form.reason.value = '  switchover for maintenance ';
    model.form.target.value = 'a-b';
    await model.form.submit();
    expect(client.failover).toHaveBeenCalledWith({ store: 'a', reason: 'switchover for maintenance', target: 'a-b' });
    expect(model.form.outcome.value).toEqual({
      kind: 'accepted',
      message: 'Failover requested: x-a → x-b, fencing the old primary.',
    });
  });

  it('a 409 lists every reason; one about lag offers the data-loss acknowledgement', async () => {
    const { model, client } = setup(
      [store('a')],
      refused(409, 'failover refused', ['standby lag 45 s exceeds the 30 s limit', 'cooldown running']),
    );
    await model.load();
    model.select('a');
    expect(model.form.showDataLoss.value).toBe(false);
    model.form.reason.value = 'primary flapping';
    await model.form.submit();
    expect(model.form.outcome.value).toEqual({
      kind: 'refused',
      message: 'failover refused',
      reasons: ['standby lag 45 s exceeds the 30 s limit', 'cooldown running'],
    });
    expect(model.form.showDataLoss.value).toBe(true);

    model.form.allowDataLoss.value = true;
    client.failover.mockResolvedValueOnce({ ok: true, failover: null });
    await model.form.submit();
    expect(client.failover).toHaveBeenLastCalledWith({ store: 'a', reason: 'primary flapping', allowDataLoss: true });
    expect(model.form.outcome.value).toEqual({ kind: 'accepted', message: 'Failover requested.' });
  });

  it('lag over the limit shows the acknowledgement at once; unchecked it is not sent', async () => {
    const behind = store('a', { lagSeconds: DEFAULT_MAX_LAG_SECONDS + 15 });
    const { model, client } = setup([behind]);
    await model.load();
    model.select('a');
    expect(model.form.showDataLoss.value).toBe(true);
    model.form.reason.value = 'r';
    await model.form.submit();
    expect(client.failover).toHaveBeenCalledWith({ store: 'a', reason: 'r' });
  });

  it('a viewer token gets the 403 message', async () => {
    const { model } = setup([store('a')], refused(403, 'operator role required'));
    await model.load();
    model.select('a');
    model.form.reason.value = 'r';
    await model.form.submit();
    expect(model.form.outcome.value).toEqual({
      kind: 'forbidden',
      message: 'This token may only view, not operate (operator role required).',
    });
  });

  it('awaiting confirmation: the same request confirms, reason optional, no target', async () => {
    const waiting = store('a', { status: 'awaiting_confirm', lastFailover: failover({ state: 'awaiting_confirm' }) });
    const { model, client } = setup([waiting], { ok: true, failover: failover({ state: 'fencing' }) });
    await model.load();
    model.select('a');
    expect(model.form.confirming.value).toBe(true);
    model.form.target.value = 'a-b';
    await model.form.submit();
    expect(client.failover).toHaveBeenCalledWith({ store: 'a', reason: CONFIRM_REASON });
    expect(model.form.outcome.value).toMatchObject({ kind: 'accepted', message: expect.stringMatching(/^Confirmed/) });
  });

  it('choosing another store resets the form', async () => {
    const { model } = setup([store('a'), store('b')], refused(409, 'no', ['lag too high']));
    await model.load();
    model.select('a');
    model.form.reason.value = 'r';
    await model.form.submit();
    model.select(null);
    expect(model.lastViewedId.value).toBe('a');
    model.select('b');
    expect(model.form.reason.value).toBe('');
    expect(model.form.outcome.value).toEqual({ kind: 'idle' });
    expect(model.selected.value?.id).toBe('b');
  });
});
