import { describe, expect, it } from 'vitest';
import { nodeRole, nodeState } from '#extension/entrypoints/popup/node-table.tsx';
import { StoreStatus } from '#extension/lib/wire.ts';
import { store } from './support/fixtures.ts';

const node = store('a').nodes[0];
if (!node) throw new Error('the fixture store has no node');

describe('a node in the popup', () => {
  it('says a primary fenced itself, even when it reports its role as unknown', () => {
    expect(nodeState({ ...node, role: 'unknown', reachable: false, selfFenced: true })).toEqual({
      word: 'Fenced itself',
      tone: 'warn',
    });
    expect(nodeRole({ role: 'unknown', selfFenced: true })).toBe('primary');
    expect(nodeRole({ role: 'primary', selfFenced: true })).toBe('primary');
  });

  it('tells a monitor fence (reinstatement) apart from a self-fence, and a plain role from both', () => {
    expect(nodeState({ ...node, reachable: true, needsReinstatement: true }).word).toBe('Reinstate');
    expect(nodeState({ ...node, reachable: true, healthy: true }).word).toBe('Up');
    expect(nodeRole({ role: 'standby' })).toBe('standby');
  });

  it('reads selfFenced from the wire status', () => {
    const s = store('a');
    const wire = { ...s, nodes: [{ ...s.nodes[0], selfFenced: true }] };
    const parsed = StoreStatus.safeParse(wire);
    expect(parsed.success && parsed.data.nodes[0]?.selfFenced).toBe(true);
  });
});
