import { describe, expect, it } from 'vitest';
import { contrastRatio } from '#shared/design/contrast.ts';
import { DARK, designCss, faviconHref, LIGHT } from '#shared/design/tokens.ts';
import { STORE_STATUSES } from '#shared/schemas/status.ts';
import { isFine, OPERATOR_WORDS, PUBLIC_WORDS, STATUS_TONE, TONES, worstTone } from '#shared/status-words.ts';

describe.each([
  ['light', LIGHT],
  ['dark', DARK],
])('the %s theme passes WCAG AA', (_, t) => {
  it.each(TONES)('the %s pill: its text on its background, 4.5 or more', (tone) => {
    expect(contrastRatio(t.tones[tone].fg, t.tones[tone].bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('text and muted text on the page and on cards', () => {
    for (const back of [t.bg, t.surface]) {
      expect(contrastRatio(t.fg, back)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(t.muted, back)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(t.accent, back)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('the primary and danger buttons', () => {
    expect(contrastRatio(t.onAccent, t.accent)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(t.onDanger, t.danger)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(TONES.filter((x) => x !== 'muted'))('a solid %s mark stands out from the page (3:1, non-text)', (tone) => {
    expect(contrastRatio(t.tones[tone].solid, t.bg)).toBeGreaterThanOrEqual(3);
  });
});

describe('the status words', () => {
  it('every status has a public word, an operator word and a tone', () => {
    for (const s of STORE_STATUSES) {
      expect(PUBLIC_WORDS[s]).toMatch(/^[A-Z]/);
      expect(OPERATOR_WORDS[s]).toMatch(/^[A-Z]/);
      expect(TONES).toContain(STATUS_TONE[s]);
    }
    expect(OPERATOR_WORDS.healthy).toBe(PUBLIC_WORDS.healthy);
    expect(OPERATOR_WORDS.awaiting_confirm).not.toBe(PUBLIC_WORDS.awaiting_confirm);
  });

  it('the worst tone wins; nothing known is muted', () => {
    expect(worstTone([])).toBe('muted');
    expect(worstTone(['unknown'])).toBe('muted');
    expect(worstTone(['healthy', 'unknown'])).toBe('ok');
    expect(worstTone(['healthy', 'maintenance'])).toBe('info');
    expect(worstTone(['healthy', 'degraded', 'failing_over'])).toBe('warn');
    expect(worstTone(['degraded', 'store_unreachable', 'healthy'])).toBe('bad');
  });

  it('fine means nobody needs to act', () => {
    expect(STORE_STATUSES.filter(isFine)).toEqual(['healthy', 'maintenance']);
  });
});

describe('the shared stylesheet', () => {
  it('defines every tone in light and dark, and the favicon follows the tone', () => {
    const css = designCss();
    for (const tone of TONES) expect(css.match(new RegExp(`--${tone}-fg:`, 'g'))).toHaveLength(2);
    expect(decodeURIComponent(faviconHref('bad'))).toContain(LIGHT.tones.bad.solid);
    expect(faviconHref('ok')).not.toBe(faviconHref('bad'));
  });
});
