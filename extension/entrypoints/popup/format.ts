/** Small display helpers shared by the popup's components. */
import { PAGE_ENGLISH } from '../../lib/page-catalog.ts';
import type { Words } from '../../lib/ui-catalog.ts';

export function lagText(lag: number | null | undefined, w: Words = PAGE_ENGLISH): string {
  if (lag === null || lag === undefined) return w('lag.unknown');
  return w('lag.s', { s: lag < 10 ? Math.round(lag * 10) / 10 : Math.round(lag) });
}
