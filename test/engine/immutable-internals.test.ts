/**
 * The immutable.js internals kripke relies on (src/core/immutable-internals.ts) are there and
 * behave: this fails if an immutable.js upgrade changes them, before the codec's fast decoding
 * silently falls back or, worse, builds collections that are not equal to real ones.
 */
import fc from 'fast-check';
import { is, List, Map as IMap, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { fastList, fastMap, fastRecord, fastRecordProto, initListInternals, installRecordEquals, originalRecordEquals, recordDefault, recordKeys, recordName } from '../../src/core/immutable-internals.js';

const R = Record({ a: 1, b: 'x', c: true });

describe('immutable.js internals', () => {
  it('the private fields exist with the expected shapes', () => {
    const l = List([0]) as any;
    expect(l._tail?.constructor).toBeTypeOf('function');
    expect([l._origin, l._capacity, typeof l._level]).toEqual([0, 1, 'number']);
    expect('_root' in l && '__ownerID' in l && '__hash' in l).toBe(true);
    const r = R() as any;
    expect(r._keys).toEqual(['a', 'b', 'c']);
    expect(r._defaultValues).toEqual({ a: 1, b: 'x', c: true });
    expect(Object.getPrototypeOf(r)._indices).toEqual({ a: 0, b: 1, c: 2 });
    expect('_values' in r).toBe(true);
    const m = IMap([[1, 2]]) as any;
    expect('_root' in m && '__ownerID' in m && '__hash' in m && '__altered' in m).toBe(true);
  });
  it('recordKeys, recordDefault and recordName read a Record type', () => {
    expect(recordKeys(R({ a: 5 }))).toEqual(['a', 'b', 'c']);
    expect(recordDefault(R(), 'b')).toBe('x');
    expect(recordName(Record({ a: 0 }, 'Named')())).toBe('Named');
    expect(recordName(R())).toBe('');
  });
  it('a short values List keeps its values in its tail array (Record equality reads them there)', () => {
    const r = R({ a: 7 }).set('c', false) as any;
    expect([r._values._origin, r._values._capacity <= 32, r._values._tail.array.slice(0, 3)]).toEqual([0, true, [7, undefined, false]]);
  });
  it('fastList builds a List equal to List(arr)', () => {
    initListInternals();
    const l = fastList([1, 2, 3]) as List<number>;
    expect(is(l, List([1, 2, 3]))).toBe(true);
    expect(l.push(4).toArray()).toEqual([1, 2, 3, 4]);
    expect(l.get(1)).toBe(2);
  });
  it('a fast record reads its fields from an array, equals the real one, and derives real records', () => {
    initListInternals();
    const proto = Object.getPrototypeOf(R());
    const fast = fastRecord(fastRecordProto(proto, ['a', 'b', 'c'], [1, 'x', true]), [7, 'x', false]) as ReturnType<typeof R>;
    expect([fast.a, fast.get('b'), fast.c]).toEqual([7, 'x', false]);
    expect(is(fast, R({ a: 7, c: false }))).toBe(true);
    expect(fast.set('a', 8).toObject()).toEqual({ a: 8, b: 'x', c: false });
  });
  it('a fast map gets by small integer keys, iterates its entries, equals the real one', () => {
    const small = new Int32Array([-1, 0, 1]);
    const fast = fastMap([1, 2], small, new Map([[1, 0], [2, 1]]), ['p', 'q']) as IMap<number, string>;
    expect([fast.get(1), fast.get(2), fast.get(3, 'none')]).toEqual(['p', 'q', 'none']);
    expect([fast.has(1), fast.has(3)]).toEqual([true, false]);
    expect([...fast]).toEqual([[1, 'p'], [2, 'q']]);
    expect(is(fast, IMap([[1, 'p'], [2, 'q']]))).toBe(true);
    expect(fast.set(3, 'r').size).toBe(3);
  });
  it('a fast map gets by string keys and by value keys', () => {
    const key = IMap({ k: 1 });
    const fast = fastMap(['a', 'b', key], null, new Map<unknown, number>([['a', 0], ['b', 1], [key, 2]]), [1, 2, 3]) as IMap<unknown, number>;
    expect([fast.get('a'), fast.get('b'), fast.get('c', 0), fast.get(IMap({ k: 1 }))]).toEqual([1, 2, 0, 3]);
    expect([fast.has('a'), fast.has('c'), fast.has(IMap({ k: 1 })), fast.has(IMap({ k: 2 }))]).toEqual([true, false, true, false]);
    expect(is(fast, IMap<unknown, number>([['a', 1], ['b', 2], [key, 3]]))).toBe(true);
  });
});

describe('Record equality', () => {
  it('installRecordEquals gives the same answer as immutable.js on random pairs of Records', () => {
    installRecordEquals();
    const original = originalRecordEquals!;
    const A = Record({ x: 0 as unknown, y: 0 as unknown });
    const B = Record({ y: 0 as unknown, x: 0 as unknown }); // the same fields, in another order
    const C = Record({ x: 0 as unknown, y: 0 as unknown, z: 0 as unknown });
    const D = Record({ x: 0 as unknown }, 'D');
    const leaf = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('a', 'b'), fc.constant(undefined), fc.constant(null));
    const { rec } = fc.letrec<{ rec: unknown; value: unknown }>((tie) => ({
      value: fc.oneof({ maxDepth: 2 }, leaf, tie('rec'), fc.array(leaf, { maxLength: 2 }).map((xs) => ISet(xs))),
      rec: fc
        .tuple(fc.constantFrom(A, B, C, D), tie('value'), tie('value'), tie('value'), fc.constantFrom('new', 'set', 'default', 'fast'))
        .map(([T, x, y, z, how]) => {
          const make = T as unknown as ((o: object) => { set(k: string, v: unknown): unknown }) & { (): object };
          if (how === 'set') return (make({}) as { set(k: string, v: unknown): { set(k: string, v: unknown): unknown } }).set('x', x).set('y', y); // values List edited in place
          if (how === 'default') return make({ x: 0, y, z }); // a field given its default explicitly
          if (how === 'fast' && T !== C && T !== D) {
            // a decoded record (array-backed), as the codec builds them
            const r = make({ x, y });
            const keys = recordKeys(r);
            return fastRecord(fastRecordProto(Object.getPrototypeOf(r), keys, keys.map((k) => recordDefault(r, k))), keys.map((k) => (r as unknown as { get(k: string): unknown }).get(k)));
          }
          return make({ x, y, z });
        }),
    }));
    const pair = fc.oneof(fc.tuple(rec, rec), rec.map((r) => [r, r] as const));
    fc.assert(
      fc.property(pair, fc.constantFrom(IMap({ x: 1 }), 3, null), ([a, b], other) => {
        expect((a as { equals(o: unknown): boolean }).equals(b)).toBe(original.call(a, b));
        expect((a as { equals(o: unknown): boolean }).equals(other)).toBe(original.call(a, other));
      }),
      { numRuns: 3000 },
    );
    expect(is(A({ x: 1, y: 2 }), B({ y: 2, x: 1 }))).toBe(original.call(A({ x: 1, y: 2 }), B({ y: 2, x: 1 })));
  });
});
