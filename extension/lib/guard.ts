/**
 * A small validator for the extension's boundaries, shaped like zod (`safeParse`, `Infer`).
 *
 * Why not zod: the shared classic-zod schemas cost about 30 KB gzipped in a bundle and even
 * `zod/mini` about 10 KB, while the whole background must stay under 15 KB. This covers exactly
 * what the extension parses: objects (unknown keys dropped, or refused with `strictObject`),
 * arrays, records, literals, enums, unions, nullable and optional values, and ISO date-times as
 * zod's `z.iso.datetime({ offset: true })` accepts them. The first problem found is reported as
 * "path: message".
 */

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };
export type Parsed<T> = { success: true; data: T } | { success: false; error: string };

export interface Schema<T> {
  check(value: unknown, path: string): Outcome<T>;
  safeParse(value: unknown): Parsed<T>;
}
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}
export interface LiteralSchema<T extends string | boolean> extends Schema<T> {
  readonly literal: T;
}
export type Shape = Record<string, Schema<unknown>>;
export interface ObjectSchema<S extends Shape> extends Schema<ObjectOf<S>> {
  readonly shape: S;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

function define<T>(check: (value: unknown, path: string) => Outcome<T>): Schema<T> {
  return {
    check,
    safeParse(value) {
      const r = check(value, '');
      return r.ok ? { success: true, data: r.value } : { success: false, error: r.error };
    },
  };
}

function fail(path: string, message: string): { ok: false; error: string } {
  return { ok: false, error: path ? `${path}: ${message}` : message };
}

function pass<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

function at(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface StringRules {
  /** Applied before the length rules, and kept in the parsed value. */
  trim?: boolean;
  min?: number;
  max?: number;
  minMessage?: string;
}

export function string(rules: StringRules = {}): Schema<string> {
  return define((v, p) => {
    if (typeof v !== 'string') return fail(p, 'expected a string');
    const s = rules.trim ? v.trim() : v;
    if (rules.min !== undefined && s.length < rules.min) {
      return fail(p, rules.minMessage ?? `must be at least ${rules.min} characters`);
    }
    if (rules.max !== undefined && s.length > rules.max) return fail(p, `must be at most ${rules.max} characters`);
    return pass(s);
  });
}

export function number(): Schema<number> {
  return define((v, p) => (typeof v === 'number' && Number.isFinite(v) ? pass(v) : fail(p, 'expected a number')));
}

export function int(): Schema<number> {
  return define((v, p) =>
    typeof v === 'number' && Number.isSafeInteger(v) ? pass(v) : fail(p, 'expected an integer'),
  );
}

export function boolean(): Schema<boolean> {
  return define((v, p) => (typeof v === 'boolean' ? pass(v) : fail(p, 'expected true or false')));
}

export function literal<const T extends string | boolean>(literal: T): LiteralSchema<T> {
  return {
    literal,
    ...define((v, p) => (v === literal ? pass(literal) : fail(p, `expected ${JSON.stringify(literal)}`))),
  };
}

export function enumOf<const T extends readonly string[]>(values: T): Schema<T[number]> {
  const list: readonly string[] = values;
  const isMember = (v: unknown): v is T[number] => typeof v === 'string' && list.includes(v);
  return define((v, p) => (isMember(v) ? pass(v) : fail(p, `expected one of ${values.join(', ')}`)));
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return define((v, p) => (v === null ? pass(null) : inner.check(v, p)));
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return { optional: true, ...define((v, p) => (v === undefined ? pass(undefined) : inner.check(v, p))) };
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return define((v, p) => {
    if (!Array.isArray(v)) return fail(p, 'expected an array');
    const out: T[] = [];
    for (const [i, x] of v.entries()) {
      const r = item.check(x, at(p, i));
      if (!r.ok) return r;
      out.push(r.value);
    }
    return pass(out);
  });
}

export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return define((v, p) => {
    if (!isRecord(v)) return fail(p, 'expected an object');
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = value.check(x, at(p, k));
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return pass(out);
  });
}

function objectWith<S extends Shape>(shape: S, strict: boolean): ObjectSchema<S> {
  const check = (v: unknown, p: string): Outcome<ObjectOf<S>> => {
    if (!isRecord(v)) return fail(p, 'expected an object');
    if (strict) {
      const extra = Object.keys(v).find((k) => !(k in shape));
      if (extra !== undefined) return fail(p, `unexpected key "${extra}"`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(shape)) {
      const r = s.check(v[k], at(p, k));
      if (!r.ok) return r;
      if (r.value !== undefined) out[k] = r.value;
    }
    // Every key of the shape was checked just above: `out` is an ObjectOf<S>.
    return pass(out as ObjectOf<S>);
  };
  return { shape, ...define(check) };
}

/** Unknown keys are dropped, as zod's `z.object` does. */
export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  return objectWith(shape, false);
}

/** Unknown keys are refused. */
export function strictObject<S extends Shape>(shape: S): ObjectSchema<S> {
  return objectWith(shape, true);
}

export function union<const T extends readonly Schema<unknown>[]>(options: T): Schema<Infer<T[number]>> {
  return define((v, p) => {
    let first: Outcome<unknown> | undefined;
    for (const option of options) {
      const r = option.check(v, p);
      if (r.ok) return r as Outcome<Infer<T[number]>>;
      first ??= r;
    }
    return first && !first.ok ? first : fail(p, 'matches no option');
  });
}

type Tagged<K extends string> = Schema<unknown> & {
  readonly shape: { readonly [P in K]: { readonly literal: string } };
};

/** The tag picks the one option to check, so the error speaks about that option. */
export function discriminatedUnion<K extends string, const T extends readonly Tagged<K>[]>(
  key: K,
  options: T,
): Schema<Infer<T[number]>> {
  return define((v, p) => {
    if (!isRecord(v)) return fail(p, 'expected an object');
    const option = options.find((o) => o.shape[key].literal === v[key]);
    if (!option) return fail(at(p, key), `unknown ${key} ${JSON.stringify(v[key]) ?? 'undefined'}`);
    return option.check(v, p) as Outcome<Infer<T[number]>>;
  });
}

const ISO_DATETIME =
  /^(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** RFC 3339 with seconds and a zone ("Z" or ±hh:mm), on a real calendar day. */
export function isoDateTime(): Schema<string> {
  return define((v, p) => {
    const m = typeof v === 'string' ? ISO_DATETIME.exec(v) : null;
    if (typeof v !== 'string' || !m) return fail(p, 'expected an ISO date-time with a zone');
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const day = new Date(0);
    day.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, years below 100 stay themselves
    return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
      ? pass(v)
      : fail(p, 'not a calendar date');
  });
}
