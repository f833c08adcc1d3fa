/** Installs the design language shared with the status page (shared/design/tokens.ts) into a page. */
import { designCss } from '#shared/design/tokens.ts';

export function applyDesign(doc: Document = document): void {
  const style = doc.createElement('style');
  style.textContent = designCss();
  // First in <head>: each page's own stylesheet builds on the tokens and may override them.
  doc.head.prepend(style);
}
