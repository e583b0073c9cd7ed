/**
 * The state codec (src/core/codec/): every state value encodes, decodes to an equal value, and
 * gets one fingerprint however it was built; a `change(s)` applied to the slots gives the
 * fingerprint of the built successor; values a layout did not foresee (a Map that gains a key, a
 * Record of another type, a string first met mid-search) take their escape slot; levels widen
 * when codes outgrow a byte; and threads sharing codes (shared-codes.ts) agree on them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { is, List, Map as IMap, OrderedMap, Record, Set as ISet } from 'immutable';
import { change, type Change } from '../../src/index.js';
import { Codec } from '../../src/core/codec/codec.js';
import { encodedRep } from '../../src/core/codec/encoded-rep.js';
import { CodeList, copyRows, Frontier, SharedLevel } from '../../src/core/codec/frontier.js';
import { deserialize, ForeignType, RecordTypes, serialize } from '../../src/core/codec/serialize.js';
import { grown, needsGrowth, newSharedCodes, SharedCodes } from '../../src/core/codec/shared-codes.js';

const Msg = Record({ from: 0, to: 0, body: '' });
const Proc = Record({ pc: 'idle', n: 0, inbox: List<unknown>() });
const S = Record({
  procs: IMap<number, unknown>(),
  net: ISet<unknown>(),
  log: List<unknown>(),
  owner: null as unknown,
  big: 0,
  tags: IMap<string, unknown>(),
});

const INIT = S({
  procs: IMap<number, unknown>([[1, Proc()], [2, Proc()]]),
  tags: IMap<string, unknown>([['a', 1], ['b', 'x']]),
});

const leaf = fc.oneof(fc.integer({ min: -2, max: 300 }), fc.double({ noNaN: true, min: -5, max: 5 }), fc.constantFrom('idle', 'busy', '', 'é'), fc.boolean(), fc.constant(null), fc.constant(undefined));
const msg = fc.record({ from: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: 0, max: 3 }), body: fc.constantFrom('ping', 'pong') }).map((o) => Msg(o));
const proc = fc.record({ pc: fc.constantFrom('idle', 'wait', 'cs'), n: fc.integer({ min: 0, max: 2000 }), inbox: fc.array(msg, { maxLength: 3 }).map((xs) => List(xs)) }).map((o) => Proc(o));
/** States of S, including some that do not have the initial state's form (escapes). */
const state = fc
  .record({
    procs: fc.oneof(
      fc.tuple(proc, proc).map(([a, b]) => IMap<number, unknown>([[1, a], [2, b]])),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), proc), { maxLength: 3 }).map((es) => IMap(es)), // keys vary: escape
      fc.constant(IMap<number, unknown>([[1, Msg()], [2, Proc()]])), // a Record of another type: escape below
    ),
    net: fc.array(msg, { maxLength: 4 }).map((xs) => ISet(xs)),
    log: fc.array(leaf, { maxLength: 4 }).map((xs) => List(xs)),
    owner: fc.oneof(leaf, msg),
    big: fc.integer(),
    tags: fc.oneof(fc.constant(IMap<string, unknown>([['a', 1], ['b', 'x']])), fc.dictionary(fc.constantFrom('a', 'b', 'c'), leaf).map((o) => IMap(o))),
  })
  .map((o) => S(o));

/** The same value built another way: entries inserted in reverse, Sets from reversed arrays. */
function rebuild(s: ReturnType<typeof S>): ReturnType<typeof S> {
  const rev = <K, V>(m: IMap<K, V>) => IMap<K, V>().withMutations((x) => void [...m.entries()].reverse().forEach(([k, v]) => x.set(k, v)));
  return S().withMutations((r) => {
    r.set('tags', rev(s.tags));
    r.set('big', s.big);
    r.set('owner', s.owner);
    r.set('log', List([...s.log]));
    r.set('net', ISet([...s.net].reverse()));
    r.set('procs', rev(s.procs));
  });
}

const fpOf = (codec: Codec, v: unknown): string => {
  const buf = new Uint32Array(codec.W);
  const fp = new Int32Array(2);
  codec.encode(v, buf);
  codec.fingerprint(buf, fp);
  return `${fp[0]}:${fp[1]}`;
};

describe('the codec', () => {
  it('decodes every state to an equal value, and equal states get one fingerprint', () => {
    const codec = new Codec(INIT);
    fc.assert(
      fc.property(state, (s) => {
        const buf = new Uint32Array(codec.W);
        codec.encode(s, buf);
        expect(is(codec.decode(buf), s)).toBe(true);
        expect(fpOf(codec, rebuild(s))).toBe(fpOf(codec, s));
      }),
      { numRuns: 500 },
    );
  });

  it('different states get different fingerprints', () => {
    const codec = new Codec(INIT);
    const seen = new Map<string, unknown>();
    fc.assert(
      fc.property(state, (s) => {
        const k = fpOf(codec, s);
        const prev = seen.get(k);
        if (prev !== undefined) expect(is(prev, s)).toBe(true);
        seen.set(k, s);
      }),
      { numRuns: 1000 },
    );
  });

  it('a change applied to the slots gives the fingerprint of the built successor', () => {
    const codec = new Codec(INIT);
    const rep = encodedRep<ReturnType<typeof S>>(codec);
    const writes = fc.array(
      fc.oneof(
        fc.tuple(fc.constant(['procs', 1, 'pc']), fc.constantFrom('idle', 'cs')),
        fc.tuple(fc.constant(['procs', 2, 'n']), fc.integer({ min: 0, max: 5000 })),
        fc.tuple(fc.constant(['procs', 3]), proc), // a new key: the Map escapes
        fc.tuple(fc.constant(['net']), fc.array(msg, { maxLength: 2 }).map((xs) => ISet(xs))),
        fc.tuple(fc.constant(['tags', 'a']), leaf),
        fc.tuple(fc.constant(['tags', 'c']), leaf), // a new key
        fc.tuple(fc.constant(['owner']), fc.oneof(leaf, msg)),
        fc.tuple(fc.constant(['log', 0]), leaf), // below a value slot
        fc.tuple(fc.constant(['procs', 1, 'inbox', 0]), msg),
      ),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(state, writes, fc.boolean(), (s0, ws, remove) => {
        const p1 = s0.procs.get(1);
        fc.pre(!ws.some(([p]) => p[0] === 'procs' && p[1] === 1 && p.length > 2) || p1 === undefined || Object.getPrototypeOf(p1) === Object.getPrototypeOf(Proc()));
        const lev = rep.newLevel();
        rep.fingerprintOf(s0, new Int32Array(2));
        rep.push(lev, 0, s0);
        rep.done();
        const s = rep.load(lev, 0);
        let c: Change<ReturnType<typeof S>> = change(s);
        for (const [p, v] of ws) c = c.setIn(p as readonly unknown[], v);
        if (remove) c = c.removeIn(['tags', 'b']);
        const fp = new Int32Array(2);
        const built = rep.successor(c, fp);
        const t = rep.built(c);
        expect(is(t, c.materialize())).toBe(true);
        expect(`${fp[0]}:${fp[1]}`).toBe(fpOf(codec, c.materialize()));
        if (built !== undefined) expect(is(built, t)).toBe(true);
        rep.done();
        // the working codes are the parent's again
        expect(fpOf(codec, rep.built(change(s) as never))).toBe(fpOf(codec, s));
      }),
      { numRuns: 400 },
    );
  });

  it('a misspelt field below a value slot is refused as it is when the successor is built', () => {
    const codec = new Codec(S({ owner: Msg(), procs: IMap([[1, Proc()]]) }));
    const rep = encodedRep<ReturnType<typeof S>>(codec);
    const lev = rep.newLevel();
    rep.fingerprintOf(S({ owner: Msg(), procs: IMap([[1, Proc()]]) }), new Int32Array(2));
    rep.push(lev, 0, undefined);
    rep.done();
    const s = rep.load(lev, 0);
    expect(() => rep.successor(change(s).setIn(['owner', 'bdy'], 'x'), new Int32Array(2))).toThrow(/no field 'bdy'/);
  });
});

describe('levels', () => {
  /** Codes of random states (some escaped), with a slot widened past 255 and 65,535 codes. */
  const rows = (codec: Codec, n: number): Uint32Array[] => {
    const out: Uint32Array[] = [];
    const samples = fc.sample(state, { numRuns: n, seed: 7 });
    samples.forEach((s, k) => {
      const buf = new Uint32Array(codec.W);
      codec.encode(s.set('big', k * 7), buf); // `big` gets a new code in every state
      out.push(buf);
    });
    return out;
  };

  it('a frontier packs rows, keeps escaped states whole, and widens from 1 to 2 to 4 bytes per code', () => {
    const codec = new Codec(INIT);
    const all = rows(codec, 70_000);
    expect(all.some((r) => codec.packing.escaped(r))).toBe(true);
    const f = new Frontier(codec.packing);
    const widths = new Set<number>();
    all.forEach((r, k) => {
      f.push(r, k, Math.max(...r));
      widths.add(f.codeWidth);
    });
    expect([...widths]).toEqual([1, 2, 4]);
    const back = new Uint32Array(codec.W);
    for (let k = 0; k < all.length; k += 997) {
      f.read(k, back);
      expect([...back]).toEqual([...all[k]]);
      expect(f.id(k)).toBe(k);
    }
  });

  it('a worker output list, merged into a shared level, reads back every state', () => {
    const codec = new Codec(INIT);
    const all = rows(codec, 40_000); // more than one output chunk
    const out = new CodeList(codec.packing);
    const sub = all.map((r) => r);
    sub.forEach((r) => out.push(r, Math.max(...r)));
    expect(out.width).toBe(2);
    const f = new Frontier(codec.packing);
    sub.forEach((r, k) => f.push(r, k + 5, Math.max(...r)));
    const lev = SharedLevel.from(codec.packing, f, 2);
    expect(lev.nEscaped).toBe(out.escIdx.length);
    const back = new Uint32Array(codec.W);
    for (let k = 0; k < sub.length; k += 97) {
      lev.read(k, back);
      expect([...back]).toEqual([...sub[k]]);
      expect(lev.id(k)).toBe(k + 5);
      // the worker's own rows are the same packed rows
      const row = new Uint32Array(codec.packing.P);
      copyRows(out.chunks, out.width, codec.packing.P, k, 1, row, 0);
      expect([...row]).toEqual([...lev.codes.subarray(k * codec.packing.P, (k + 1) * codec.packing.P)]);
    }
  });
});

describe('shared codes', () => {
  it('canonical bytes: equal values, equal bytes; they rebuild the value', () => {
    const types = new RecordTypes();
    types.learn(Msg());
    types.learn(Proc());
    fc.assert(
      fc.property(state, (s) => {
        const a = serialize(s.net, types);
        const b = serialize(ISet([...s.net].reverse()), types);
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
        for (const v of [s.net, s.log, s.procs, s.owner, s.tags, OrderedMap([['z', 1], ['a', 2]])]) {
          types.learn(v);
          expect(is(deserialize(serialize(v, types), 0, types), v)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a Record type this thread has not met is a ForeignType error, not a wrong value', () => {
    const other = new RecordTypes();
    const bytes = serialize(Msg({ body: 'ping' }), other);
    expect(() => deserialize(bytes, 0, new RecordTypes())).toThrow(ForeignType);
  });

  it('two threads sharing codes give a value the same code, and each rebuilds the other\'s values', () => {
    const bufs = newSharedCodes(INIT_W, 6);
    const a = new SharedCodes(bufs);
    const b = new SharedCodes(bufs);
    a.types.learn(INIT);
    b.types.learn(INIT);
    const ca = new Codec(INIT, a);
    const cb = new Codec(INIT, b);
    const values = [ISet([Msg({ from: 1 })]), List(['x', 1]), 'fresh', 12_345, -1, 0.5, null];
    const codesA = values.map((v) => ca.domains[NET].code(v));
    const codesB = [...values].reverse().map((v) => cb.domains[NET].code(v)).reverse();
    expect(codesB).toEqual(codesA);
    // b meets codes only a gave
    const only = ca.domains[NET].code(ISet([Msg({ body: 'only a' })]));
    expect(is(cb.domains[NET].value(only), ISet([Msg({ body: 'only a' })]))).toBe(true);
    // growth keeps every entry (64 entries of room at first: this grows it)
    let grew = 0;
    for (let i = 0; i < 100; i++) {
      ca.domains[NET].code(`v${i}`);
      if (needsGrowth(a.buffers)) {
        const g = grown(a.buffers);
        a.attach(g);
        b.attach(g);
        grew++;
      }
    }
    expect(grew).toBeGreaterThanOrEqual(1);
    const g = a.buffers;
    const fresh = new Codec(INIT, new SharedCodes(g, b.types));
    expect(fresh.domains[NET].code('v7')).toBe(ca.domains[NET].code('v7'));
    expect(fresh.domains[NET].value(codesA[0])).toEqual(values[0]);
  });
});

const INIT_W = new Codec(INIT).W;
/** The slot of S.net (a value slot: a Set). */
const NET = (() => {
  const c = new Codec(INIT);
  return c.root.kids[1].slot;
})();
