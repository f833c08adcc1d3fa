import { describe, expect, it } from 'vitest';
import { addWords, wordsFor } from '#extension/lib/ui-catalog.ts';
import { ZH_CN } from '#extension/lib/ui-catalog-zh.ts';
import { contrastRatio } from '#shared/design/contrast.ts';
import { DARK, designCss, faviconHref, LIGHT } from '#shared/design/tokens.ts';
import { statusPageWords } from '#shared/i18n/status-page-catalog.ts';
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
  it('every status has a public word, an operator word and a tone, in each language', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const [pub, op] = [PUBLIC_WORDS[locale], OPERATOR_WORDS[locale]];
      for (const s of STORE_STATUSES) {
        expect(pub[s]).not.toBe('');
        expect(op[s]).not.toBe('');
        expect(TONES).toContain(STATUS_TONE[s]);
      }
      expect(op.healthy).toBe(pub.healthy);
      expect(op.awaiting_confirm).not.toBe(pub.awaiting_confirm);
    }
    expect(PUBLIC_WORDS.en.healthy).toBe('Operational');
  });

  it("the popup and the public page say a store's status in the same words (issue 17), in both languages", () => {
    addWords('zh-CN', ZH_CN); // what the extension fetches from /i18n/zh-CN.json
    for (const locale of ['en', 'zh-CN'] as const) {
      const [page, popup] = [statusPageWords(locale), wordsFor(locale)];
      for (const s of STORE_STATUSES) {
        expect(page(`status.${s}`)).toBe(PUBLIC_WORDS[locale][s]);
        expect(popup(`status.${s}`)).toBe(OPERATOR_WORDS[locale][s]);
      }
    }
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
