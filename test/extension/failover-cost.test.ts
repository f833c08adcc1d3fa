import { describe, expect, it } from 'vitest';
import { byteText, discardedText, lagAtDecisionText } from '#extension/lib/failover-cost.ts';

describe("the popup's words for what a failover cost", () => {
  it('bytes in binary units', () => {
    expect(byteText(0)).toBe('0 B');
    expect(byteText(512)).toBe('512 B');
    expect(byteText(17_715)).toBe('17.3 KiB');
    expect(byteText(16 * 1024 * 1024)).toBe('16 MiB');
  });

  it('lag at decision: seconds, and bytes where the agent gave them', () => {
    expect(lagAtDecisionText({ lagSecondsAtDecision: 0.42, lagBytesAtDecision: 17_715 })).toBe('0.4 s, 17.3 KiB');
    expect(lagAtDecisionText({ lagSecondsAtDecision: 45, lagBytesAtDecision: null })).toBe('45 s');
    expect(lagAtDecisionText({ lagSecondsAtDecision: null })).toBeNull();
  });

  it('what reinstatement discarded, and nothing said when the engine could not tell', () => {
    expect(discardedText({ discardedBytes: 0 })).toBe('nothing discarded');
    expect(discardedText({ discardedBytes: 2048 })).toBe('discarded 2 KiB');
    expect(discardedText({ discardedBytes: null })).toBeNull();
    expect(discardedText({})).toBeNull();
  });
});
