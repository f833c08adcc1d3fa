import { describe, expect, it } from 'vitest';
import { nodeRoleWords } from '#extension/lib/status-words.ts';
import { StoreStatus } from '#extension/lib/wire.ts';
import { store } from './support/fixtures.ts';

describe('a node in the popup', () => {
  it('says a primary fenced itself, even when it reports its role as unknown', () => {
    expect(nodeRoleWords({ role: 'unknown', selfFenced: true })).toBe(
      'primary, fenced itself (no writes until a lease)',
    );
    expect(nodeRoleWords({ role: 'primary', selfFenced: true })).toMatch(/^primary, fenced itself/);
  });

  it('tells a monitor fence (reinstatement) apart from a self-fence, and a plain role from both', () => {
    expect(nodeRoleWords({ role: 'unknown', needsReinstatement: true })).toBe('unknown, needs reinstatement');
    expect(nodeRoleWords({ role: 'standby' })).toBe('standby');
  });

  it('reads selfFenced from the wire status', () => {
    const s = store('a');
    const wire = { ...s, nodes: [{ ...s.nodes[0], selfFenced: true }] };
    const parsed = StoreStatus.safeParse(wire);
    expect(parsed.success && parsed.data.nodes[0]?.selfFenced).toBe(true);
  });
});
