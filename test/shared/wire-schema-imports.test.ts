/**
 * The wire schemas are what the extension, the agent and outside clients load; they must stay light:
 * zod and common.ts, never the config (and through it schedules, croner and the alert settings).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCHEMAS = resolve(ROOT, 'shared/schemas');
const WIRE = ['status.ts', 'api.ts', 'stream.ts', 'report.ts', 'action.ts'];
const ALLOWED_FILES = new Set([...WIRE, 'common.ts'].map((f) => resolve(SCHEMAS, f)));
const ALLOWED_PACKAGES = new Set(['zod']);

/** Every module a file reaches through its imports (type-only ones too: they still couple the files). */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (spec.startsWith('#shared/')) visit(resolve(ROOT, 'shared', spec.slice('#shared/'.length)));
      else if (spec.startsWith('#')) files.add(spec);
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('wire schemas depend on nothing heavier than common.ts', () => {
  for (const wire of WIRE) {
    it(`${wire} reaches only wire schemas, common.ts and zod`, () => {
      const { files, packages } = importGraph(resolve(SCHEMAS, wire));
      expect([...files].filter((f) => !ALLOWED_FILES.has(f)).map((f) => f.replace(`${ROOT}/`, ''))).toEqual([]);
      expect([...packages].filter((p) => !ALLOWED_PACKAGES.has(p))).toEqual([]);
    });
  }

  it('the scan sees a heavy import: config.ts reaches croner', () => {
    const { packages, files } = importGraph(resolve(SCHEMAS, 'config.ts'));
    expect(packages).toContain('croner');
    expect(files).toContain(resolve(SCHEMAS, 'schedules.ts'));
  });
});
