/**
 * Verdicts you can trust: a property that does not answer true/false/violated(...), an action
 * that returns something that is not a state, a write to a field that does not exist, and an
 * impure spec are errors (status 'error'), never "holds" and never a trace that shows nothing.
 * Each case runs with and without the compact encoding (KRIPKE_NO_CODEC) where that matters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { List, Map as IMap, Record, type RecordOf } from 'immutable';
import { change, check, checkAsync, compile, defineSpec } from '../../src/index.js';
import counter from '../fixtures/counter.js';

type S = RecordOf<{ n: number; tag: string }>;
const R = Record({ n: 0, tag: 'a' });
const Other = Record({ n: 0, tag: 'a' });

/** A counter 0..4 with the given extra model parts. */
function counterSpec(extra: { [k: string]: unknown }, apply?: (s: S) => unknown) {
  return defineSpec({
    name: 'trust',
    build: () => ({
      init: R(),
      deadlock: false,
      actions: { Inc: { apply: (apply ?? ((s: S) => s.n < 4 && change(s).set('n', s.n + 1))) as (s: S) => S } },
      ...extra,
    }),
  });
}

const paths: [string, boolean][] = [
  ['encoded', false],
  ['tree', true],
];

afterEach(() => {
  delete process.env.KRIPKE_NO_CODEC;
});

describe.each(paths)('property verdicts (%s path)', (_label, noCodec) => {
  const run = (extra: { [k: string]: unknown }) => {
    if (noCodec) process.env.KRIPKE_NO_CODEC = '1';
    return check(compile(counterSpec(extra)));
  };
  const bad: [string, unknown, RegExp][] = [
    ['undefined', undefined, /returned undefined, not true, false or violated\(\.\.\.\) \(a block body without 'return'\?\)/],
    ['a string', 'yes', /returned a string \("yes"\)/],
    ['a number', 1, /returned a number \(1\)/],
    ['null', null, /returned null/],
    ['a Record', R(), /returned a Record/],
    ['a function', () => true, /returned a function/],
  ];
  it.each(bad)('an invariant returning %s is an error naming it, never "holds"', (_what, value, msg) => {
    const r = run({ invariants: { Inv: (s: S) => (s.n === 2 ? value : true) } });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^invariant Inv returned /);
    expect(r.error!.message).toMatch(msg);
    expect(r.error!.path).toEqual([0, 0, 0]); // the state it was judging: n = 2
  });
  it('on an initial state too', () => {
    const r = run({ invariants: { Inv: () => undefined } });
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ path: [0] });
  });
  it('a sometimes property returning a string', () => {
    const r = run({ sometimes: { Some: (s: S) => (s.n === 3 ? 'x' : false) } });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^sometimes property Some returned a string/);
  });
  it('an action property returning undefined', () => {
    const r = run({ actionProperties: { AP: { check: (_s: S, _a: unknown, t: S) => (t.n === 3 ? undefined : true) } } });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^action property AP returned undefined/);
    expect(r.error!.path).toEqual([0, 0, 0, 0]); // the transition's target
  });
  it('a constraint returning a number', () => {
    const r = run({ constraints: { C: (s: S) => (s.n < 3 ? true : 0) } });
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^constraint C returned a number \(0\), not true or false/);
  });
  it('a throwing action property is blamed on the property, not the action', () => {
    const r = run({
      actionProperties: {
        AP: {
          check: (_s: S, _a: unknown, t: S) => {
            if (t.n === 2) throw new Error('ap broke');
            return true;
          },
        },
      },
    });
    expect(r.error!.message).toBe('action property AP threw on Inc: ap broke');
    expect(r.error!.action).toBeUndefined();
  });
  it('a well-formed object verdict still works: violated(...) fails, true holds', () => {
    const r = run({ invariants: { Inv: (s: S) => s.n < 3 || { violated: true, reason: 'big' } } });
    expect(r.status).toBe('violation');
    expect(r.violations[0].reason).toBe('big');
  });
});

describe.each(paths)('what an action returns (%s path)', (_label, noCodec) => {
  const run = (apply: (s: S) => unknown) => {
    if (noCodec) process.env.KRIPKE_NO_CODEC = '1';
    return check(compile(counterSpec({}, apply)));
  };
  const notStates: [string, (s: S) => unknown, RegExp][] = [
    ['true', (s) => s.n < 2 || true, /returned true, not a state \(a Record with fields n, tag\)/],
    ['a number', (s) => (s.n < 2 ? s.set('n', s.n + 1) : 7), /returned a number \(7\)/],
    ['a string', () => 'next', /returned a string \("next"\)/],
    ['a Record of another type', (s) => Other({ n: s.n + 1 }), /returned a Record of another type \(fields n, tag\)/],
    ['a Map', (s) => IMap({ n: s.n }), /returned a Map/],
    ['a List', () => List([1]), /returned a List/],
  ];
  it.each(notStates)('returning %s is an error naming the action', (_what, apply, msg) => {
    const r = run(apply);
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^action Inc returned /);
    expect(r.error!.message).toMatch(msg);
    expect(r.error!.action).toBe('Inc');
  });
  it('a change(s) write to a Record field that does not exist is an error, not a no-op', () => {
    const r = run((s) => s.n < 3 && change(s).set('smal', 3));
    expect(r.status).toBe('error');
    expect(r.error!.message).toBe(
      "action Inc: change(s) writes [smal], but the state is a Record with no field 'smal' (its fields: n, tag)",
    );
  });
  it('a nested write below a missing field, too', () => {
    const Inner = Record({ a: 0 });
    const spec = defineSpec({
      name: 'nested',
      build: () => ({
        init: Record({ r: Inner() })(),
        deadlock: false,
        actions: { W: { apply: (s: RecordOf<{ r: RecordOf<{ a: number }> }>) => s.r.a === 0 && change(s).setIn(['r', 'b'], 1) } },
      }),
    });
    if (noCodec) process.env.KRIPKE_NO_CODEC = '1';
    const r = check(compile(spec));
    expect(r.error!.message).toMatch(/^action W: change\(s\) writes \[r\]\[b\], but \[r\] is a Record with no field 'b' \(its fields: a\)/);
  });
});

describe('impure specs are caught before a counterexample is reported', () => {
  it('an action that depends on hidden mutable state: "not deterministic", an error, no violation', () => {
    let calls = 0;
    // The search calls Inc 3 times (n = 0, 1, 2; Small fails at n = 3); from the 4th call on,
    // when the counterexample is replayed, Inc also writes tag = 'b'.
    const spec = counterSpec({ invariants: { Small: (s: S) => s.n < 3 } }, (s) => {
      calls++;
      const c = change(s).set('n', s.n + 1);
      return s.n < 4 && (calls > 3 ? c.set('tag', 'b') : c);
    });
    const r = check(compile(spec));
    expect(r.status).toBe('error');
    expect(r.error!.message).toBe(
      'action Inc is not deterministic (or mutates its input): it produced a state the search never reached when the trace is replayed from Init (step 1)',
    );
    expect(r.error!.action).toBe('Inc');
    expect(r.violations).toEqual([]);
  });
  it('a property that is not a function of the state', () => {
    let seen = 0;
    const spec = counterSpec({ invariants: { Flaky: (s: S) => !(s.n === 3 && ++seen === 1) } });
    const r = check(compile(spec));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^property Flaky is not deterministic: the last state failed during the search but holds when the trace is replayed/);
  });
  it('a sometimes witness is confirmed the same way', () => {
    let seen = 0;
    const spec = counterSpec({ sometimes: { Once: (s: S) => s.n === 2 && ++seen === 1 } });
    const r = check(compile(spec));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^property Once is not deterministic: the last state held during the search but not/);
  });
});

describe('checkAsync and AbortSignal', () => {
  it('same result as check', async () => {
    const m = compile(counter, [['K', 3000]]);
    expect((await checkAsync(m)).stats).toMatchObject({ distinct: 3001, depth: 3001 });
  });
  it('an aborted signal stops the search at the next state: incomplete, with the reason', async () => {
    const ac = new AbortController();
    ac.abort('SIGINT');
    const r = await checkAsync(compile(counter, [['K', 100_000]]), { signal: ac.signal });
    expect(r.status).toBe('incomplete');
    expect(r.incompleteReason).toBe('interrupted (SIGINT)');
    expect(r.stats.distinct).toBeLessThan(100_001);
  });
  it('a memory budget smaller than the process: incomplete, "memory budget reached"', () => {
    const r = check(compile(counter, [['K', 100_000]]), { memoryBudgetBytes: 1 });
    expect(r.status).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/^memory budget reached: .* in use of the 0 MiB budget/);
  });
});

describe('review fixes', () => {
  it('an action returning change(s.field) (a change of a sub-collection) is refused', () => {
    const M = Record({ pc: IMap<number, number>([[1, 0]]) });
    const spec = defineSpec({
      name: 'sub-change',
      build: () => ({ init: M(), deadlock: false, actions: { A: { apply: (s: ReturnType<typeof M>) => change(s.pc).set(1, 1) as never } } }),
    });
    const r = check(compile(spec));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/^action A returned a change of a Map, not of a state \(a Record with fields pc\): write change\(s\), not change\(s\.field\)/);
  });
  it('--max-depth at the depth of a constrained space is complete', () => {
    const spec = counterSpec({ constraints: { Three: (s: S) => s.n < 3 } });
    expect(check(compile(spec), { maxDepth: 3 }).status).toBe('ok');
    expect(check(compile(spec), { maxDepth: 2 }).status).toBe('incomplete');
  });
  it('an action that reads a Map\'s iteration order is not called impure (the replay sees states as the search did)', () => {
    const M = Record({ m: IMap<string, number>([['a', 0], ['b', 0]]), picked: '' });
    type T = ReturnType<typeof M>;
    const spec = defineSpec({
      name: 'order',
      build: () => ({
        init: M(),
        deadlock: false,
        actions: {
          // rebuilds the Map in another insertion order, then picks the first key it iterates
          Flip: { apply: (s: T) => s.picked === '' && change(s).set('m', IMap([['b', 0], ['a', 0]])).set('picked', 'x') },
          Pick: { apply: (s: T) => s.picked === 'x' && change(s).set('picked', s.m.findKey((v) => v === 0) ?? '') },
        },
        invariants: { NotB: (s: T) => s.picked !== 'b' },
      }),
    });
    const r = check(compile(spec));
    expect(r.status).not.toBe('error');
  });
});
