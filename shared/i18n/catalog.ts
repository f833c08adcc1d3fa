/**
 * Message catalogs: one per surface, each a record of keys to texts per locale, with `{name}`
 * placeholders. `catalogProblems` is what each surface's test runs, so a key missing in one language
 * or a placeholder spelt differently between languages fails the build rather than a reader.
 */
import type { Locale } from './locale.ts';

export type Params = Record<string, string | number>;

/** Replaces each `{name}` with its parameter; an unknown name is left as it is, to be seen. */
export function fill(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** Every key missing in a language, empty, or with placeholders that differ from English's. */
export function catalogProblems(catalogs: Record<Locale, Record<string, string>>): string[] {
  const problems: string[] = [];
  const keys = new Set(Object.values(catalogs).flatMap((c) => Object.keys(c)));
  for (const key of [...keys].sort()) {
    const reference = catalogs.en[key];
    for (const [locale, catalog] of Object.entries(catalogs)) {
      const text = catalog[key];
      if (text === undefined || text.trim() === '') {
        problems.push(`${locale}: "${key}" is missing`);
      } else if (reference !== undefined && placeholders(text).join() !== placeholders(reference).join()) {
        problems.push(
          `${locale}: "${key}" has placeholders {${placeholders(text).join('}, {')}}, en has {${placeholders(reference).join('}, {')}}`,
        );
      }
    }
  }
  return problems;
}
