/**
 * The extension validates the wire with guard.ts instead of the shared zod schemas (bundle size).
 * This proves the two agree: equal inferred types (checked by `tsc` in `npm test`), and the same
 * verdict and output on the same fixtures.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { FailoverMessage } from '#extension/lib/messages.ts';
import * as wire from '#extension/lib/wire.ts';
import * as sharedApi from '#shared/schemas/api.ts';
import * as sharedStatus from '#shared/schemas/status.ts';
import * as sharedStream from '#shared/schemas/stream.ts';
import { failover, store } from './support/fixtures.ts';

it('infers the same types as the shared schemas', () => {
  expectTypeOf<wire.StoreStatusName>().toEqualTypeOf<sharedStatus.StoreStatusName>();
  expectTypeOf<wire.FailoverState>().toEqualTypeOf<sharedStatus.FailoverState>();
  expectTypeOf<wire.Failover>().toEqualTypeOf<sharedStatus.Failover>();
  expectTypeOf<wire.NodeStatus>().toEqualTypeOf<sharedStatus.NodeStatus>();
  expectTypeOf<wire.StoreStatus>().toEqualTypeOf<sharedStatus.StoreStatus>();
  expectTypeOf<wire.ServerMessage>().toEqualTypeOf<sharedStream.ServerMessage>();
  expectTypeOf<wire.ApiError>().toEqualTypeOf<sharedApi.ApiError>();
  expectTypeOf<Omit<FailoverMessage, 'type' | 'store'>>().toEqualTypeOf<sharedApi.FailoverRequest>();
  expect(wire.STORE_STATUSES).toEqual(sharedStatus.STORE_STATUSES);
  expect(wire.FailoverState.safeParse('fencing').success).toBe(true);
});

const full = store('full', {
  status: 'awaiting_confirm',
  lastFailover: failover({
    state: 'awaiting_confirm',
    error: null,
    detectedAt: null,
    promotedAt: '2026-11-21T05:00:10.000Z',
    activeEndpointAt: null,
    lagBytesAtDecision: 17_715,
    reinstatedAt: '2026-11-21T05:10:00.000Z',
    discardedBytes: 0,
  }),
  activeEndpoint: { reachable: false },
  failoverMode: 'manual',
  counters: { rounds: 120, probes: 480, failovers: { completed: 1, failed: 0, aborted: 2 } },
  nodes: [
    {
      id: 'n',
      role: 'standby',
      reachable: false,
      healthy: false,
      latencyMs: null,
      lastSeenAt: null,
      epoch: null,
      lagSeconds: null,
      error: 'connection refused',
      needsReinstatement: true,
    },
  ],
});

const at = (since: unknown) => ({ ...store('t'), since });

const storeCases: Array<[string, unknown]> = [
  ['a plain store', store('a')],
  ['every optional field', full],
  ['unknown keys (dropped by both)', { ...store('a'), surprise: 1, nodes: [{ ...full.nodes[0], extra: true }] }],
  ['negative lag', store('a', { lagSeconds: -1 })],
  ['no region, no primary, no arbiter', store('a', { region: null, primary: null, arbiter: null })],
  ['a wrong status', { ...store('a'), status: 'on_fire' }],
  ['a missing name', { ...store('a'), name: undefined }],
  ['a null reasons', { ...store('a'), reasons: null }],
  ['a fractional epoch', { ...store('a'), epoch: 1.5 }],
  ['an infinite lag', { ...store('a'), lagSeconds: Number.POSITIVE_INFINITY }],
  ['a NaN latency', { ...store('a'), nodes: [{ ...full.nodes[0], latencyMs: Number.NaN }] }],
  ['a node role "witness"', { ...store('a'), nodes: [{ ...full.nodes[0], role: 'witness' }] }],
  ['a store failover mode "hook"', { ...store('a'), failoverMode: 'hook' }],
  ['counters missing a failover count', { ...full, counters: { rounds: 1, probes: 2, failovers: { completed: 0 } } }],
  ['a failover state "paused"', { ...store('a'), lastFailover: { ...failover(), state: 'paused' } }],
  ['a string epoch in a node', { ...store('a'), nodes: [{ ...full.nodes[0], epoch: '3' }] }],
  ['since with Z', at('2026-03-01T11:00:00Z')],
  ['since with milliseconds', at('2026-03-01T11:00:00.123456Z')],
  ['since with an offset', at('2026-03-01T19:00:00+08:00')],
  ['since on a leap day', at('2028-02-29T00:00:00Z')],
  ['since in the year 50', at('0050-01-01T00:00:00Z')],
  ['since without a zone', at('2026-03-01T11:00:00')],
  ['since without seconds', at('2026-03-01T11:00Z')],
  ['since with a compact offset', at('2026-03-01T19:00:00+0800')],
  ['since on 30 February', at('2026-02-30T00:00:00Z')],
  ['since on 29 February of a common year', at('2027-02-29T00:00:00Z')],
  ['since at hour 24', at('2026-03-01T24:00:00Z')],
  ['since as a date only', at('2026-03-01')],
  ['since as a number', at(1_772_000_000_000)],
  ['since with a space', at('2026-03-01 11:00:00Z')],
];

describe('StoreStatus: same verdict, same output', () => {
  it.each(storeCases)('%s', (_name, value) => {
    const ours = wire.StoreStatus.safeParse(value);
    const theirs = sharedStatus.StoreStatus.safeParse(value);
    expect(ours.success).toBe(theirs.success);
    if (ours.success && theirs.success) expect(ours.data).toEqual(theirs.data);
  });

  it('the fixtures cover both verdicts', () => {
    const verdicts = storeCases.map(([, v]) => sharedStatus.StoreStatus.safeParse(v).success);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(5);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(5);
  });
});

describe('ServerMessage: same verdict, same output', () => {
  it.each([
    ['a snapshot', { type: 'snapshot', at: 'x', stores: [store('a'), full] }],
    ['an empty snapshot', { type: 'snapshot', at: 'x', stores: [] }],
    ['a store delta', { type: 'store', at: 'x', store: full }],
    ['a removal', { type: 'removed', at: 'x', id: 'a' }],
    ['an error', { type: 'error', code: 'c', message: 'm' }],
    ['a pong (not a server message)', { type: 'pong' }],
    ['no type', { at: 'x', stores: [] }],
    ['a snapshot without stores', { type: 'snapshot', at: 'x' }],
    ['a snapshot with one bad store', { type: 'snapshot', at: 'x', stores: [store('a'), { id: 'b' }] }],
    ['a delta without at', { type: 'store', store: store('a') }],
    ['a removal with a numeric id', { type: 'removed', at: 'x', id: 1 }],
    ['an array', [{ type: 'removed', at: 'x', id: 'a' }]],
    ['null', null],
  ])('%s', (_name, value) => {
    const ours = wire.ServerMessage.safeParse(value);
    const theirs = sharedStream.ServerMessage.safeParse(value);
    expect(ours.success).toBe(theirs.success);
    if (ours.success && theirs.success) expect(ours.data).toEqual(theirs.data);
  });
});

describe('ApiError: same verdict', () => {
  it.each([
    { error: { code: 'failover_refused', message: 'refused', details: [{ path: 'target', message: 'lag 45 s' }] } },
    { error: { code: 'forbidden', message: 'operator role required' } },
    { error: { code: 'x' } },
    { error: { code: 'x', message: 'y', details: [{ path: 1, message: 'z' }] } },
    { message: 'not the contract' },
  ])('%j', (value) => {
    expect(wire.ApiError.safeParse(value).success).toBe(sharedApi.ApiError.safeParse(value).success);
  });
});
