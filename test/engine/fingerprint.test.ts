/**
 * Fingerprints: equal values hash equally however they were built; different values differ;
 * collection kinds are distinguished; and the engine's incremental fingerprint of a `change(s)`
 * equals the fingerprint of the materialised successor, while `Change.getIn` reads its own writes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, Stack, is, isRecord } from 'immutable';
import { change, check, compile, defineSpec, fingerprint, type Change } from '../../src/index.js';
import { FingerprintSet } from '../../src/core/store.js';

const fpKey = (v: unknown) => {
  const f = fingerprint(v);
  return `${f.hi}:${f.lo}`;
};

// ---- random immutable values ----

const R3 = Record<{ a: unknown; b: unknown; c: unknown }>({ a: 0, b: 0, c: 0 });

const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'x', ''), fc.boolean(), fc.constant(null));
const mapKey = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('k', 'm', 'a'));

const { value, top } = fc.letrec<{ value: unknown; map: unknown; list: unknown; set: unknown; rec: unknown; top: unknown }>((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthSize: 'small' }, leaf, tie('map'), tie('list'), tie('set'), tie('rec')),
  map: fc
    .tuple(fc.array(fc.tuple(mapKey, tie('value')), { maxLength: 4 }), fc.boolean())
    .map(([es, ordered]) => (ordered ? OrderedMap(es as [unknown, unknown][]) : IMap(es as [unknown, unknown][]))),
  list: fc.array(tie('value'), { maxLength: 4 }).map((xs) => List(xs)),
  set: fc.array(leaf, { maxLength: 4 }).map((xs) => ISet(xs)),
  rec: fc.record({ a: tie('value'), b: tie('value'), c: tie('value') }).map((o) => R3(o)),
  top: fc.oneof(tie('map'), tie('rec'), tie('list')),
}));

/** Rebuilds a value deeply, inserting entries in reverse order and through other constructors. */
function rebuild(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isRecord(v)) {
    let r = R3();
    for (const k of ['c', 'b', 'a'] as const) r = r.set(k, rebuild(v.get(k)));
    return r;
  }
  if (OrderedMap.isOrderedMap(v)) return v.map(rebuild); // order is part of an OrderedMap's identity for `is`
  if (IMap.isMap(v)) {
    const es = [...(v as IMap<unknown, unknown>).entries()].reverse();
    return IMap<unknown, unknown>().withMutations((m) => {
      for (const [k, x] of es) m.set(k, rebuild(x));
    });
  }
  if (ISet.isSet(v)) return ISet([...(v as ISet<unknown>)].reverse());
  if (List.isList(v)) {
    let l = List<unknown>();
    for (const x of v as List<unknown>) l = l.push(rebuild(x));
    return l;
  }
  throw new Error('unexpected value');
}

describe('equal values, equal fingerprints', () => {
  it('deep rebuild in another insertion order', () => {
    fc.assert(
      fc.property(value, (v) => {
        const w = rebuild(v);
        expect(is(v, w)).toBe(true);
        expect(fingerprint(w)).toEqual(fingerprint(v));
        expect(fingerprint(v)).toEqual(fingerprint(v)); // cached sums are stable
      }),
      { numRuns: 500 },
    );
  });

  it('Map and Set: any insertion order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(mapKey, leaf), { selector: ([k]) => k, maxLength: 8 }).chain((es) =>
          fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length })),
        ),
        ([es, perm]) => {
          const a = IMap(es);
          const b = IMap<unknown, unknown>().withMutations((m) => perm.forEach(([k, x]) => m.set(k, x)));
          const c = IMap<unknown, unknown>(perm).set('zz', 1).remove('zz');
          expect(fingerprint(b)).toEqual(fingerprint(a));
          expect(fingerprint(c)).toEqual(fingerprint(a));
          const s1 = ISet(es.map(([k]) => k));
          const s2 = ISet(perm.map(([k]) => k));
          expect(fingerprint(s2)).toEqual(fingerprint(s1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Record by constructor, by set, by setIn, with defaults', () => {
    const R = Record({ x: 0, y: IMap<string, number>(), z: List<number>() });
    const a = R({ x: 3, y: IMap({ p: 1, q: 2 }), z: List([1, 2]) });
    const b = R().set('z', List([1, 2])).setIn(['y', 'q'], 2).setIn(['y', 'p'], 1).set('x', 3);
    const c = R({ x: 3 }).update('y', (m) => m.merge({ q: 2, p: 1 })).update('z', (l) => l.push(1).push(2));
    expect(fingerprint(b)).toEqual(fingerprint(a));
    expect(fingerprint(c)).toEqual(fingerprint(a));
    expect(fingerprint(R({ x: 0 }))).toEqual(fingerprint(R())); // an explicit default is the default
    expect(fingerprint(IMap().setIn(['a', 'b', 'c'], 1))).toEqual(fingerprint(IMap({ a: IMap({ b: IMap({ c: 1 }) }) })));
  });

  it('hashing a subtree first (cached sums) does not change the whole hash', () => {
    fc.assert(
      fc.property(top, (v) => {
        const fresh = rebuild(v);
        const before = fingerprint(fresh);
        // Hash every child of v first (filling caches bottom-up), then v.
        for (const k of keysOf(v)) fingerprint((v as IMap<unknown, unknown>).get(k));
        expect(fingerprint(v)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('0 and -0 are equal values (immutable `is`) and get equal fingerprints', () => {
    // e.g. an action computing `-x` or `x * -1` for x = 0: the "same" state is counted twice.
    const R = Record({ n: 1 });
    expect(is(R({ n: 0 }), R({ n: -0 }))).toBe(true);
    expect(is(IMap([[0, 'a']]), IMap([[-0, 'a']]))).toBe(true);
    expect(fingerprint(R({ n: -0 }))).toEqual(fingerprint(R({ n: 0 })));
  });
});

describe('different values, different fingerprints', () => {
  it('collection kinds with the same contents differ', () => {
    const R = Record({ 0: 'a', 1: 'b' });
    const family: unknown[] = [
      IMap([[0, 'a'], [1, 'b']]),
      OrderedMap([[0, 'a'], [1, 'b']]),
      List(['a', 'b']),
      Stack(['a', 'b']),
      ISet(['a', 'b']),
      OrderedSet(['a', 'b']),
      R(),
      IMap({ 0: 'a', 1: 'b' }), // string keys '0', '1'
      IMap(),
      OrderedMap(),
      List(),
      ISet(),
      OrderedSet(),
      Stack(),
      Record({})(),
      0,
      '0',
      '',
      false,
      null,
      undefined,
      1,
      '1',
      true,
      1.5,
      ISet([1, 2]),
      List([1, 2]),
      List([2, 1]),
      IMap([[1, 2]]),
      IMap([[2, 1]]),
      List([List([1]), 2]),
      List([1, List([2])]),
      ISet([ISet([1])]),
      ISet([1]),
      List([undefined]),
      List([null]),
      IMap({ a: undefined }),
    ];
    const keys = family.map(fpKey);
    const dups = keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => family[keys.indexOf(k)]);
    expect(dups).toEqual([]);
  });

  it('no collision on a structured family of ~25,000 distinct states', () => {
    const seen = new FingerprintSet();
    let n = 0;
    const add = (v: unknown) => {
      const f = fingerprint(v);
      expect(seen.add(f.hi | 0, f.lo | 0)).toBe(true);
      n++;
    };
    // all functions {1..4} -> 0..5 (a tlb row), as Maps and as Lists
    for (let i = 0; i < 6 ** 4; i++) {
      const d = [i % 6, Math.floor(i / 6) % 6, Math.floor(i / 36) % 6, Math.floor(i / 216) % 6];
      add(IMap(d.map((x, j) => [j + 1, x])));
      add(List(d));
    }
    // all subsets of 0..11
    for (let m = 0; m < 1 << 12; m++) add(ISet([...Array(12).keys()].filter((b) => (m >> b) & 1)));
    // nested: records of (Map of 2 booleans, int 0..99, string)
    const R = Record({ flags: IMap<number, boolean>(), k: 0, s: '' });
    for (let f = 0; f < 4; f++)
      for (let k = 0; k < 100; k++)
        for (const s of ['', 'a', 'b', 'ab', 'ba'])
          add(R({ flags: IMap([[1, (f & 1) === 1], [2, (f & 2) === 2]]), k, s }));
    // per-CPU nested maps: 3 CPUs x 2 pages x values 0..2
    for (let i = 0; i < 3 ** 6; i++) {
      const v = [...Array(6).keys()].map((j) => Math.floor(i / 3 ** j) % 3);
      add(IMap([1, 2, 3].map((c) => [c, IMap([[1, v[2 * (c - 1)]], [2, v[2 * (c - 1) + 1]]])])));
    }
    expect(n).toBe(6 ** 4 * 2 + 4096 + 2000 + 729);
    expect(seen.size).toBe(n);
  });

  it('random values: distinct values (by `is`) have distinct fingerprints', () => {
    const vs = fc.sample(value, { numRuns: 4000, seed: 42 });
    const byFp = new Map<string, unknown>();
    for (const v of vs) {
      const k = fpKey(v);
      const prev = byFp.get(k);
      if (prev !== undefined) expect(is(prev, v)).toBe(true);
      else byFp.set(k, v);
    }
    expect(byFp.size).toBeGreaterThan(1000);
  });
});

// ---- change(s): incremental fingerprints and reads of own writes ----

type Kind = 'set' | 'setIn' | 'update' | 'updateIn' | 'remove' | 'removeIn';
interface Op {
  kind: Kind;
  picks: number[];
  value: unknown;
  fresh: boolean;
}
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Kind>('set', 'setIn', 'update', 'updateIn', 'remove', 'removeIn'),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  value,
  fresh: fc.boolean(),
});

const walkable = (v: unknown) => isRecord(v) || IMap.isMap(v) || List.isList(v);
function keysOf(v: unknown): unknown[] {
  if (isRecord(v)) return ['a', 'b', 'c'];
  return [...(v as IMap<unknown, unknown>).keys()];
}

/** Picks a path into `root` (a walkable value) for an op; null if none fits. */
function pickPath(root: unknown, op: Op): unknown[] | null {
  const deep = op.kind.endsWith('In');
  const removing = op.kind.startsWith('remove');
  const path: unknown[] = [];
  let node = root;
  for (let i = 0; i < op.picks.length; i++) {
    const last = !deep || i === op.picks.length - 1 || !walkable((node as IMap<unknown, unknown>).get(keysOf(node)[op.picks[i] % Math.max(1, keysOf(node).length)]));
    const ks = keysOf(node);
    let k: unknown;
    if (last && op.fresh && !removing && IMap.isMap(node)) k = `new${op.picks[i] % 3}`;
    else if (last && op.fresh && !removing && List.isList(node)) k = (node as List<unknown>).size; // append
    else {
      if (ks.length === 0) return null;
      k = ks[op.picks[i] % ks.length];
    }
    path.push(k);
    if (last) break;
    node = (node as IMap<unknown, unknown>).get(k);
  }
  // `remove`/`removeIn` are documented for Map keys only (a List would shift, a Record resets).
  if (removing && !IMap.isMap(getParent(root, path))) return null;
  return path;
}
function getParent(root: unknown, path: unknown[]): unknown {
  return path.length === 1 ? root : (root as IMap<unknown, unknown>).getIn(path.slice(0, -1));
}

const bump = (x: unknown, v: unknown) => (typeof x === 'number' ? x + 1 : v);

function applyOp(c: Change<unknown>, ref: unknown, op: Op, path: unknown[]): [Change<unknown>, unknown] {
  const r = ref as IMap<unknown, unknown>;
  switch (op.kind) {
    case 'set':
      return [c.set(path[0], op.value), r.set(path[0], op.value)];
    case 'setIn':
      return [c.setIn(path, op.value), r.setIn(path, op.value)];
    case 'update':
      return [c.update(path[0], (x) => bump(x, op.value)), r.update(path[0], (x) => bump(x, op.value))];
    case 'updateIn':
      return [c.updateIn(path, (x) => bump(x, op.value)), r.updateIn(path, (x) => bump(x, op.value))];
    case 'remove':
      return [c.remove(path[0]), r.remove(path[0])];
    case 'removeIn':
      return [c.removeIn(path), r.removeIn(path)];
  }
}

/**
 * Runs a one-step spec from `base`: A returns the Change, B the materialised state. States are
 * values (the engine may hand actions a copy), so "is the initial state" is `is(s, base)`.
 */
function engineDistinct(base: unknown, c: Change<unknown> | ((s: unknown) => Change<unknown>), mat: unknown): number {
  const build = typeof c === 'function' ? c : () => c;
  const spec = defineSpec({
    name: 'one-change',
    build: () => ({
      init: base,
      deadlock: false,
      actions: {
        A: { apply: (s: unknown) => is(s, base) && build(s) },
        B: { apply: (s: unknown) => is(s, base) && mat },
      },
    }),
  });
  const r = check(compile(spec));
  expect(r.status).toBe('ok');
  expect(r.stats.generated).toBeGreaterThanOrEqual(2);
  return r.stats.distinct;
}

describe('change(s)', () => {
  it('a Record field set to undefined is the field at its default, incrementally too', () => {
    const R = Record({ a: 5 as number | undefined, b: IMap([[1, 0]]) as IMap<number, number> | undefined, c: 0 });
    const base = R({ a: 1, b: IMap([[2, 2]]), c: 1 });
    for (const mat of [R({ a: 5, b: IMap([[2, 2]]), c: 1 }), R({ a: 1, c: 1 })]) {
      const field = mat.a === 5 ? 'a' : 'b';
      expect(engineDistinct(base, (s) => change(s).set(field, undefined), mat)).toBe(2);
      expect(engineDistinct(base, (s) => change(s).setIn([field], undefined).set('c', 1), mat)).toBe(2);
    }
  });

  it('incremental fingerprint = fingerprint of the materialised state; getIn reads its own writes', () => {
    let applied = 0;
    fc.assert(
      fc.property(top, fc.array(opArb, { minLength: 1, maxLength: 8 }), (base, ops) => {
        let c: Change<unknown> = change(base);
        let ref = base;
        const steps: ((c: Change<unknown>) => Change<unknown>)[] = [];
        for (const op of ops) {
          if (!walkable(ref)) break;
          const path = pickPath(ref, op);
          if (path === null) continue;
          const before = ref;
          [c, ref] = applyOp(c, ref, op, path);
          steps.push((c2) => applyOp(c2, before, op, path)[0]);
          applied++;
          // reads: the written path, all its prefixes, and every top-level key
          for (let i = 1; i <= path.length; i++) {
            const p = path.slice(0, i);
            expect(is(c.getIn(p), (ref as IMap<unknown, unknown>).getIn(p))).toBe(true);
          }
          if (walkable(ref)) for (const k of keysOf(ref)) expect(is(c.get(k), (ref as IMap<unknown, unknown>).get(k))).toBe(true);
        }
        if (c.writes().length === 0) return;
        const mat = c.materialize();
        expect(is(mat, ref)).toBe(true);
        const expected = is(mat, base) ? 1 : 2;
        // the action builds the same writes on the state the engine hands it
        expect(engineDistinct(base, (s) => steps.reduce((acc, f) => f(acc), change(s)), mat)).toBe(expected);
        expect(fingerprint(mat)).toEqual(fingerprint(ref));
      }),
      { numRuns: 400 },
    );
    expect(applied).toBeGreaterThan(1000);
  });

  it('writes below a written value, overwrites, and removes of Map keys', () => {
    const base = IMap({ m: IMap({ x: 1, y: 2 }), l: List([1, 2, 3]), n: 0 });
    const cases: [string, (c: Change<any>) => Change<any>][] = [
      ['setIn below a set', (c) => c.set('m', IMap({ z: 1 })).setIn(['m', 'w'], 2)],
      ['set after setIn below', (c) => c.setIn(['m', 'x'], 5).set('m', IMap({ x: 5 }))],
      ['same value back', (c) => c.setIn(['m', 'x'], 7).setIn(['m', 'x'], 1)],
      ['remove and re-add', (c) => c.removeIn(['m', 'x']).setIn(['m', 'x'], 1)],
      ['remove top key', (c) => c.remove('n')],
      ['list index', (c) => c.setIn(['l', 1], 9).updateIn(['l', 2], (v: number) => v * 10)],
      ['list append and remove', (c) => c.setIn(['l', 3], 4).removeIn(['l', 0])],
      ['new key with nested path', (c) => c.setIn(['q', 'r'], 1)],
    ];
    for (const [name, f] of cases) {
      const c = f(change(base));
      const mat = c.materialize();
      const expected = is(mat, base) ? 1 : 2;
      expect([name, engineDistinct(base, c, mat)]).toEqual([name, expected]);
    }
  });

  // Map keys that are immutable values (e.g. a pair List([p, q])) are compared by value in the
  // Map, and so must they be inside a Change.
  const pairMap = () => IMap([[List([1, 2]), 0], [List([3, 4]), 5]]);

  it('getIn sees a write made with an equal (not identical) value key', () => {
    const c = change(pairMap()).setIn([List([1, 2])], 1);
    expect(c.materialize().get(List([1, 2]))).toBe(1); // immutable.js: same key
    expect(c.getIn([List([1, 2])])).toBe(1);
  });

  it('two writes to equal value keys give the incremental fingerprint of the materialised state', () => {
    const base = pairMap();
    const c = change(base).setIn([List([1, 2])], 1).setIn([List([1, 2])], 2);
    const mat = c.materialize();
    expect(mat.get(List([1, 2]))).toBe(2);
    expect(engineDistinct(base, c, mat)).toBe(2);
  });

  it('one write to a value key is fine', () => {
    const base = pairMap();
    const c = change(base).setIn([List([1, 2])], 1);
    expect(engineDistinct(base, c, c.materialize())).toBe(2);
  });
});

describe('-0 inside explored states', () => {
  it('a successor holding -0 is the same state as one holding 0 (compact and tree paths alike)', () => {
    for (const big of [false, true]) {
      // big: a leaf value the byte codec cannot hold, so states take the tree fingerprint path.
      const S = Record({ n: 0, tag: big ? 'xxx' : 1 });
      const spec = defineSpec({
        name: 'negzero',
        build: () => ({
          init: S(),
          deadlock: false,
          actions: {
            Neg: { apply: (s: ReturnType<typeof S>) => s.set('n', -s.n) },
            NegChange: { apply: (s: ReturnType<typeof S>) => change(s).set('n', -s.n) },
          },
        }),
      });
      const r = check(compile(spec));
      expect(r.stats.distinct).toBe(1);
    }
  });
});
