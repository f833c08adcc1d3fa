import { describe, expect, it } from 'vitest';
import * as g from '#extension/lib/guard.ts';

describe('objects', () => {
  const Point = g.object({ x: g.number(), label: g.optional(g.string()), note: g.nullable(g.string()) });

  it('drop unknown keys and leave absent optional keys absent', () => {
    expect(Point.safeParse({ x: 1, note: null, extra: true })).toEqual({ success: true, data: { x: 1, note: null } });
  });

  it('name the path of the first problem', () => {
    const Outer = g.object({ points: g.array(Point) });
    expect(
      Outer.safeParse({
        points: [
          { x: 1, note: null },
          { x: '2', note: null },
        ],
      }),
    ).toEqual({
      success: false,
      error: 'points.1.x: expected a number',
    });
  });

  it('strict objects refuse unknown keys', () => {
    expect(g.strictObject({ a: g.boolean() }).safeParse({ a: true, b: 1 })).toEqual({
      success: false,
      error: 'unexpected key "b"',
    });
  });
});

it('strings trim before measuring, and keep the trimmed value', () => {
  const Reason = g.string({ trim: true, min: 1, max: 3, minMessage: 'required' });
  expect(Reason.safeParse('  ab ')).toEqual({ success: true, data: 'ab' });
  expect(Reason.safeParse('   ')).toEqual({ success: false, error: 'required' });
  expect(Reason.safeParse('abcd')).toMatchObject({ success: false });
});

it('unions take the first option that fits, and report the first failure', () => {
  const U = g.union([g.object({ ok: g.literal(true) }), g.object({ ok: g.literal(false), why: g.string() })]);
  expect(U.safeParse({ ok: false, why: 'x' })).toEqual({ success: true, data: { ok: false, why: 'x' } });
  expect(U.safeParse({ ok: 'maybe' })).toEqual({ success: false, error: 'ok: expected true' });
});

it('discriminated unions check only the option the tag names', () => {
  const M = g.discriminatedUnion('type', [
    g.object({ type: g.literal('a'), n: g.int() }),
    g.object({ type: g.literal('b') }),
  ]);
  expect(M.safeParse({ type: 'a', n: 2 })).toEqual({ success: true, data: { type: 'a', n: 2 } });
  expect(M.safeParse({ type: 'a', n: 2.5 })).toEqual({ success: false, error: 'n: expected an integer' });
  expect(M.safeParse({ type: 'c' })).toEqual({ success: false, error: 'type: unknown type "c"' });
  expect(M.safeParse({})).toEqual({ success: false, error: 'type: unknown type undefined' });
});

it('records check every value', () => {
  expect(g.record(g.number()).safeParse({ a: 1, b: 'x' })).toEqual({ success: false, error: 'b: expected a number' });
  expect(g.record(g.number()).safeParse([])).toMatchObject({ success: false });
});

it('enums accept only their members', () => {
  const E = g.enumOf(['x', 'y']);
  expect(E.safeParse('y').success).toBe(true);
  expect(E.safeParse('toString').success).toBe(false);
});
