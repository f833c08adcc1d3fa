/**
 * What the browser tests assert about a rendered page (issue 17), measured in Chromium itself:
 * horizontal overflow, figures that wrap, the contrast of every status pill, raw ISO timestamps,
 * and whether a control sits above the fold.
 */
import type { Locator, Page } from 'playwright-core';
import { contrastRatio } from '#shared/design/contrast.ts';

// The harness is type-checked without the DOM library: what runs in the page is passed as text.

/** How far the page is wider than its viewport, in CSS pixels (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/**
 * The texts of figures, pills and times that break over more than one line: an inline element
 * with more than one line box, or a block or inline-block taller than 1.6 lines.
 */
export function wrappedFigures(page: Page, selector = '.figure, .pill, time'): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const wrapped = [];
    for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0) continue;
      const style = getComputedStyle(el);
      if (style.display === 'inline') {
        if (el.getClientRects().length > 1) wrapped.push(el.textContent);
        continue;
      }
      const line = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.5;
      const padding = Number.parseFloat(style.paddingTop) + Number.parseFloat(style.paddingBottom);
      if (rect.height > line * 1.6 + padding) wrapped.push(el.textContent);
    }
    return wrapped;
  })()`);
}

export interface PillContrast {
  text: string;
  ratio: number;
}

/** Every visible status pill's text against its own background, as WCAG contrast ratios. */
export async function pillContrasts(page: Page, selector = '.pill'): Promise<PillContrast[]> {
  const colours = await page.evaluate<Array<{ text: string; fg: string; bg: string }>>(`(() =>
    [...document.querySelectorAll(${JSON.stringify(selector)})]
      .filter((el) => el.getBoundingClientRect().width > 0)
      .map((el) => {
        const style = getComputedStyle(el);
        return { text: el.textContent, fg: style.color, bg: style.backgroundColor };
      }))()`);
  return colours.map((c) => ({ text: c.text, ratio: Math.round(contrastRatio(c.fg, c.bg) * 100) / 100 }));
}

const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

/** A raw ISO timestamp anywhere in the page's text (shown or not), or null. */
export async function rawIsoTime(page: Page): Promise<string | null> {
  return ISO.exec((await page.locator('body').textContent()) ?? '')?.[0] ?? null;
}

/** True when the whole control is inside the viewport without scrolling. */
export async function aboveTheFold(page: Page, control: Locator): Promise<boolean> {
  const box = await control.boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}
