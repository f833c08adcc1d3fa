import { describe, expect, it } from 'vitest';
import { primaryGate, staleStart } from '#shared/primary-gate.ts';
import { slotOf } from '#shared/schedules/heartbeat.ts';
import { doubledSlot, MAX_NODE_RUNS, type NodeRun, noteNodeRun } from '#shared/schedules/job-slots.ts';
import { Job } from '#shared/schemas/schedules.ts';
import { arbiterReport, primaryReport, standbyReport } from './support/observations.ts';

const t = (iso: string) => Date.parse(iso);
// The seeds' sync: every 10 minutes from 09:00 to 21:50 in Shanghai (01:00 to 13:50 UTC).
const sync = Job.parse({ id: 'sync', schedule: '*/10 9-21 * * *', graceSeconds: 120 });
const ZONE = 'Asia/Shanghai';

describe('the slot a run belongs to', () => {
  it('is the slot it starts in, or the next one when it starts within that slot’s tolerance', () => {
    expect(slotOf(sync, ZONE, t('2026-11-21T01:00:03Z'))).toBe(t('2026-11-21T01:00:00Z'));
    expect(slotOf(sync, ZONE, t('2026-11-21T01:07:59Z'))).toBe(t('2026-11-21T01:00:00Z'));
    expect(slotOf(sync, ZONE, t('2026-11-21T01:08:30Z'))).toBe(t('2026-11-21T01:10:00Z')); // 90 s early
    // 08:59 local, before the day's first slot: it counts for 09:00, not for 21:50 the night before.
    expect(slotOf(sync, ZONE, t('2026-11-21T00:59:00Z'))).toBe(t('2026-11-21T01:00:00Z'));
    expect(slotOf(sync, ZONE, t('2026-11-21T00:30:00Z'))).toBe(t('2026-11-20T13:50:00Z'));
  });

  it('past the midpoint, is the open slot before it (a late run) rather than the next one', () => {
    // Every minute, a long grace: a run 35 s into a minute fits both a late run and an early one.
    const minutely = Job.parse({ id: 'sync', schedule: '* * * * *', graceSeconds: 3600 });
    const at = t('2026-11-21T01:09:35Z');
    expect(slotOf(minutely, ZONE, at, [])).toBe(t('2026-11-21T01:09:00Z'));
    // Once 01:09 has run (on any node), a run at 01:09:35 is the next slot's early run.
    const ran = [{ slot: t('2026-11-21T01:09:00Z'), node: 'a', run: 'r1' }];
    expect(slotOf(minutely, ZONE, at, ran)).toBe(t('2026-11-21T01:10:00Z'));
    // A failover between them: a's late run and b's on-time run are two slots, not one run twice.
    const first = slotOf(minutely, ZONE, at, []) ?? 0;
    const runs = noteNodeRun([], { slot: first, node: 'a', run: 'r1' });
    const second = slotOf(minutely, ZONE, t('2026-11-21T01:10:00.2Z'), runs) ?? 0;
    expect(doubledSlot(noteNodeRun(runs, { slot: second, node: 'b', run: 'r2' }))).toBeNull();
    // Past the slot's grace, the early reading wins even when the slot before never ran.
    expect(slotOf(sync, ZONE, t('2026-11-21T01:08:30Z'), [])).toBe(t('2026-11-21T01:10:00Z'));
  });
});

describe('which node ran which slot', () => {
  const at = (hhmm: string) => t(`2026-11-21T${hhmm}:00Z`);
  const runs = (...entries: Array<[string, string, string | null]>): NodeRun[] =>
    entries.reduce<NodeRun[]>((acc, [hhmm, node, run]) => noteNodeRun(acc, { slot: at(hhmm), node, run }), []);

  it('one node per slot is fine, however the primary moves between slots', () => {
    expect(doubledSlot(runs(['01:00', 'a', 'r1'], ['01:10', 'b', 'r2'], ['01:20', 'b', 'r3']))).toBeNull();
    expect(doubledSlot([])).toBeNull();
  });

  it('a slot run on two nodes is doubled, naming both, until a later slot runs on one', () => {
    const twice = runs(['01:00', 'a', 'r1'], ['01:00', 'b', 'r2']);
    expect(doubledSlot(twice)).toEqual({ slot: at('01:00'), nodes: ['a', 'b'] });
    const healed = noteNodeRun(twice, { slot: at('01:10'), node: 'b', run: 'r3' });
    expect(doubledSlot(healed)).toBeNull();
  });

  it('a run’s end in the next slot is the same run, not a second one', () => {
    // a started 09:00 and ended after 09:08; b ran 09:10 after a failover.
    const r = runs(['01:00', 'a', 'r1'], ['01:10', 'a', 'r1'], ['01:10', 'b', 'r2']);
    expect(r).toHaveLength(2);
    expect(doubledSlot(r)).toBeNull();
  });

  it('runs without an id count once per node and slot', () => {
    const r = runs(['01:00', 'a', null], ['01:00', 'a', null]);
    expect(r).toHaveLength(1);
    expect(doubledSlot(noteNodeRun(r, { slot: at('01:00'), node: 'b', run: null }))?.nodes).toEqual(['a', 'b']);
  });

  it('keeps only the newest runs, so the stored record stays small', () => {
    let r: NodeRun[] = [];
    for (let i = 0; i < MAX_NODE_RUNS + 10; i++) r = noteNodeRun(r, { slot: i * 600_000, node: 'a', run: `r${i}` });
    expect(r).toHaveLength(MAX_NODE_RUNS);
    expect(r[0]?.run).toBe('r10');
  });
});

describe('whether a primary-only job may run on this node', () => {
  it('only the healthy, unfenced primary serves; every other answer says why not', () => {
    const gate = (r: Parameters<typeof primaryGate>[1]) => {
      const g = primaryGate('gz-tianhe', r);
      return [g.serving, g.reason];
    };
    expect(gate(primaryReport('a', 4))).toEqual([true, 'serving primary at epoch 4']);
    expect(gate(standbyReport('b', 4))).toEqual([false, 'standby at epoch 4']);
    expect(gate(primaryReport('a', 4, { fenced: true }))).toEqual([
      false,
      'fenced primary at epoch 4: it no longer serves',
    ]);
    expect(gate(primaryReport('a', 4, { healthy: false }))).toEqual([
      false,
      'the database does not answer (last seen primary)',
    ]);
    expect(gate(primaryReport('a', 4, { role: 'unknown' }))[0]).toBe(false);
    expect(gate(arbiterReport({ a: true, b: true }, 4))[0]).toBe(false);
    expect(primaryGate('gz-tianhe', standbyReport('b', 7))).toMatchObject({ store: 'gz-tianhe', node: 'b', epoch: 7 });
  });
});

describe('the monitor’s second opinion on a start', () => {
  it('refuses only a run’s start from a node behind the store’s epoch', () => {
    expect(staleStart('start', 'a', 2, 3)).toBe(
      'node "a" follows epoch 2 but the store is at epoch 3: it is not the primary',
    );
    expect(staleStart('start', 'a', 3, 3)).toBeNull();
    expect(staleStart('start', 'a', 4, 3)).toBeNull(); // ahead: the monitor has not seen the promotion yet
    expect(staleStart('skipped', 'a', 2, 3)).toBeNull();
    expect(staleStart('success', 'a', 2, 3)).toBeNull(); // a run already going is reported, not refused
    expect(staleStart('start', null, null, 3)).toBeNull(); // a job that names no node
    expect(staleStart('start', 'a', 0, null)).toBeNull(); // no epoch known yet
  });
});
