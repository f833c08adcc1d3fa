/**
 * No word a person reads in the popup or options page bypasses the catalogs (issue 18): each page
 * source is parsed (TypeScript's own parser) and every text between tags, every attribute a screen
 * reader or a hover shows, and every string literal that reads as words is reported, unless it is
 * a catalog key given to `t`. What may stay as it is: the product's name and an example URL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = 'extension/entrypoints';
const ALLOWED = /\bmirrorwatch\b/g;
/** Attributes whose text people read (or hear). Every other attribute is for the code. */
const READ = new Set(['placeholder', 'aria-label', 'title', 'alt', 'label']);

const sources = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.tsx'))
  .map((f) => ({ file: join(ROOT, f), text: readFileSync(join(ROOT, f), 'utf8') }));

/** English words in a text, less the product's name and URLs; a sentence needs two of them. */
function isWords(text: string, sentence: boolean): boolean {
  const rest = text.replace(/https?:\/\/\S+/g, '').replace(ALLOWED, '');
  return (sentence ? /[A-Za-z]{2,}[,.:;!?)]*\s+\(?[A-Za-z]{2,}/ : /[A-Za-z]{2,}/).test(rest);
}

/** Each English text a page source shows as it is: "file: text". */
function bareWords(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    // A key given to the catalog, e.g. t('detail.why'): what it shows is in the catalog.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^(?:t|w|words)$/.test(node.expression.text))
      return;
    if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(source);
      if (!READ.has(name)) return;
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) {
        if (isWords(init.text, false)) found.push(`${file}: ${init.text}`);
        return;
      }
    }
    if (ts.isJsxText(node) && isWords(node.text, false)) found.push(`${file}: ${node.text.trim()}`);
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isWords(node.text, true))
      found.push(`${file}: ${node.text}`);
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
      if (isWords(parts, false)) found.push(`${file}: ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the pages’ words', () => {
  it('finds the sources', () => {
    expect(sources.map((s) => s.file)).toContain(join(ROOT, 'popup/store-detail.tsx'));
    expect(sources.length).toBeGreaterThan(10);
  });

  it('notices a word written straight into a page (the check can fail)', () => {
    const page = `const MODE = { auto: 'automatic failover' };
      const x = <><h3>Nodes</h3><input placeholder="Note (optional)" />{ok ? \`For \${d}\` : t('a.b')}</>;`;
    expect(bareWords('x.tsx', page)).toEqual([
      'x.tsx: automatic failover',
      'x.tsx: Nodes',
      'x.tsx: Note (optional)',
      `x.tsx: \`For \${d}\``,
    ]);
    const fine = `import { t } from './x.ts';
      const x = <h3 class="btn quiet" id="detail-title">{t('detail.why', { s: 'a b' })} mirrorwatch ↗</h3>;`;
    expect(bareWords('x.tsx', fine)).toEqual([]);
  });

  it('has every word of the popup and options pages in the catalogs', () => {
    expect(sources.flatMap((s) => bareWords(s.file, s.text))).toEqual([]);
  });
});
