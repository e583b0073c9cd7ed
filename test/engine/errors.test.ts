/**
 * Errors and limits: mutable values in states, actions and properties that throw, bad constants
 * and property names (KripkeError kinds), and maxStates / maxDepth / timeout ('incomplete').
 */
import { describe, expect, it } from 'vitest';
import { List, Map as IMap, Record, type RecordOf } from 'immutable';
import { KripkeError, change, check, compile, defineSpec, selectProperties, type Spec } from '../../src/index.js';
import counter from '../fixtures/counter.js';
import deadlock from '../fixtures/deadlock.js';
import tlbbench from '../../bench/tlbbench.js';

type S = RecordOf<{ n: number; x: unknown }>;
const R = Record<{ n: number; x: unknown }>({ n: 0, x: 0 });

function kripkeError(f: () => unknown): KripkeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KripkeError);
    return e as KripkeError;
  }
  throw new Error('expected a KripkeError, nothing was thrown');
}

const mutables: [string, () => unknown, RegExp][] = [
  ['plain object', () => ({ a: 1 }), /plain object/],
  ['plain array', () => [1, 2], /plain array/],
  ['JS Map', () => new Map([[1, 2]]), /JS Map/],
  ['JS Set', () => new Set([1]), /JS Set/],
  ['function', () => () => 1, /function/],
];

describe('mutable values in initial states (compile)', () => {
  it.each(mutables)('a %s in init is refused, naming where', (_name, make, kind) => {
    const spec = defineSpec({ name: 'bad-init', build: () => ({ init: R({ x: make() }), actions: {} }) });
    const e = kripkeError(() => compile(spec));
    expect(e.kind).toBe('eval');
    expect(e.message).toMatch(kind);
    expect(e.message).toContain('init.x');
    expect(e.message).toContain('bad-init');
  });

  it('nested and in the second of several initial states', () => {
    const spec = defineSpec({
      name: 'bad-init-2',
      build: () => ({ init: [R(), R({ x: IMap({ k: List([1, { deep: true }]) }) })], actions: {} }),
    });
    const e = kripkeError(() => compile(spec));
    expect(e.kind).toBe('eval');
    expect(e.message).toContain('init[1].x.k[1]');
    expect(e.message).toMatch(/plain object/);
  });

  it('a plain object as the whole state', () => {
    const spec = defineSpec({ name: 'bad-init-3', build: () => ({ init: { n: 0 }, actions: {} }) });
    const e = kripkeError(() => compile(spec));
    expect(e.kind).toBe('eval');
    expect(e.message).toMatch(/init is a plain object/);
  });

  it('no initial state', () => {
    const spec = defineSpec({ name: 'no-init', build: () => ({ init: [], actions: {} }) });
    expect(kripkeError(() => compile(spec)).kind).toBe('eval');
  });

  it('build() throwing is an eval error naming the spec', () => {
    const spec = defineSpec({ name: 'bad-build', build: () => { throw new Error('oops'); } });
    const e = kripkeError(() => compile(spec));
    expect(e.kind).toBe('eval');
    expect(e.message).toMatch(/bad-build.*oops/);
  });
});

/** A counter whose action Put(k) writes `make()` into x when n reaches `at`. */
function mutableAt(make: () => unknown, at: number, viaChange: boolean): Spec<S> {
  return defineSpec({
    name: 'bad-action',
    build: () => ({
      init: R(),
      deadlock: false,
      actions: {
        Inc: { apply: (s: S) => s.n < at + 5 && change(s).set('n', s.n + 1) },
        Put: {
          params: { k: [7] },
          apply: (s: S) => s.n === at && (viaChange ? change(s).set('x', make()) : s.set('x', make())),
        },
      },
    }),
  });
}

describe('mutable values produced by an action (check)', () => {
  for (const viaChange of [true, false]) {
    it.each(mutables)(`a %s (${viaChange ? 'change' : 'plain state'}) stops the run with status error, naming the action and the path`, (_n, make) => {
      const m = compile(mutableAt(make, 2, viaChange));
      const r = check(m);
      expect(r.status).toBe('error');
      expect(r.error).toBeDefined();
      expect(r.error!.action).toBe('Put(k=7)');
      expect(r.error!.message).toContain('Put(k=7)');
      expect(r.error!.path).toEqual([0, 0, 0]); // the state n = 2 on which Put was applied
      expect(r.violations).toEqual([]);
    });
  }

  it('even after the first 64 successors of the family (the value cannot be fingerprinted)', () => {
    const r = check(compile(mutableAt(() => ({ a: 1 }), 150, true)));
    expect(r.status).toBe('error');
    expect(r.error!.action).toBe('Put(k=7)');
    expect(r.error!.path).toHaveLength(151);
  });

  for (const viaChange of [true, false]) {
    it.each(mutables)(`the message says what (a %s) and where (state.x) (${viaChange ? 'change' : 'plain state'})`, (_n, make, kind) => {
      const r = check(compile(mutableAt(make, 2, viaChange)));
      expect(r.error!.message).toMatch(/^action Put\(k=7\) produced a state kripke refuses: state\.x is /);
      expect(r.error!.message).toMatch(kind);
    });
  }
});

describe('actions and properties that throw', () => {
  const throwing = (where: 'action' | 'invariant' | 'constraint' | 'initInvariant' | 'actionProperty') =>
    defineSpec({
      name: 'throws',
      build: () => ({
        init: R(),
        deadlock: false,
        actions: {
          Inc: { apply: (s: S) => s.n < 5 && change(s).set('n', s.n + 1) },
          Boom: {
            params: { k: [1, 2] },
            apply: (s: S, { k }: { k: number }) => {
              if (where === 'action' && s.n === 3 && k === 2) throw new Error('kaboom\nsecond line');
              return null;
            },
          },
        },
        invariants: {
          Inv: (s: S) => {
            if (where === 'invariant' && s.n === 4) throw new Error('inv broke');
            if (where === 'initInvariant') throw new Error('init inv broke');
            return true;
          },
        },
        constraints: {
          C: (s: S) => {
            if (where === 'constraint' && s.n === 2) throw new Error('constraint broke');
            return true;
          },
        },
        actionProperties: {
          AP: {
            check: (s: S) => {
              if (where === 'actionProperty' && s.n === 1) throw new Error('ap broke');
              return true;
            },
          },
        },
      }),
    });

  it('an action that throws: status error, naming the action, on the state it was applied to', () => {
    const r = check(compile(throwing('action')));
    expect(r.status).toBe('error');
    expect(r.error).toEqual({ message: 'action Boom(k=2) threw: kaboom', path: [0, 0, 0, 0], action: 'Boom(k=2)' });
  });

  it('an invariant that throws: status error, on the new state', () => {
    const r = check(compile(throwing('invariant')));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/inv broke/);
    expect(r.error!.path).toEqual([0, 0, 0, 0, 0]);
  });

  it('an invariant that throws on an initial state', () => {
    const r = check(compile(throwing('initInvariant')));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/init inv broke/);
    expect(r.error!.path).toEqual([0]);
  });

  it('a constraint that throws', () => {
    const r = check(compile(throwing('constraint')));
    expect(r.status).toBe('error');
    expect(r.error!.message).toBe('constraint C threw: constraint broke');
    expect(r.error!.path).toEqual([0, 0, 0]); // the successor it was judging
  });

  it('an action property that throws', () => {
    const r = check(compile(throwing('actionProperty')));
    expect(r.status).toBe('error');
    expect(r.error!.message).toMatch(/ap broke/);
  });
});

describe('configuration errors', () => {
  const cases: [string, [string, string | number | boolean][], RegExp][] = [
    ['unknown constant', [['Z', 1]], /unknown constant 'Z'.*N, P, F, MODE/],
    ['not an integer', [['N', 'abc']], /N=abc/],
    ['a fraction', [['N', '1.5']], /N=1.5/],
    ['below min', [['N', 0]], /N=0.*1\.\.16/],
    ['above max', [['P', 17]], /P=17/],
    ['not an allowed value', [['MODE', 'global']], /MODE=global.*shootdown, local/],
  ];
  it.each(cases)('%s', (_name, overrides, msg) => {
    const e = kripkeError(() => compile(tlbbench, overrides));
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(msg);
  });

  it('string values of constants are parsed (as from the command line)', () => {
    const m = compile(tlbbench, [['N', '3'], ['MODE', 'local']]);
    expect(m.constants).toEqual({ N: 3, P: 2, F: 2, MODE: 'local' });
  });

  it('a bad boolean', () => {
    const spec = defineSpec({ name: 'b', constants: { B: { default: true } }, build: () => ({ init: R(), actions: {} }) });
    expect(kripkeError(() => compile(spec, [['B', 'maybe']])).kind).toBe('config');
    expect(compile(spec, [['B', 'false']]).constants.B).toBe(false);
  });

  it('selectProperties with an unknown name', () => {
    const m = compile(tlbbench);
    const e = kripkeError(() => selectProperties(m, ['NoStale']));
    expect(e.kind).toBe('config');
    expect(e.message).toMatch(/NoStale.*NoStaleTranslation, TlbCoherent/);
    expect(selectProperties(m, ['TlbCoherent']).invariants.map((p) => p.name)).toEqual(['TlbCoherent']);
  });

  it('an action property naming an unknown action is a load error', () => {
    const spec = defineSpec({
      name: 'ap',
      build: () => ({ init: R(), actions: { A: { apply: () => null } }, actionProperties: { P: { check: () => true, actions: ['Nope'] } } }),
    });
    const e = kripkeError(() => compile(spec));
    expect(e.kind).toBe('load');
    expect(e.message).toMatch(/Nope/);
  });
});

describe('limits', () => {
  it('maxStates: incomplete with partial stats', () => {
    const r = check(compile(counter, [['K', 100]]), { maxStates: 10 });
    expect(r.status).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/max-states 10/);
    expect(r.stats.distinct).toBe(10);
    expect(r.stats.generated).toBe(9);
  });

  it('maxDepth: incomplete with partial stats when states lie beyond the limit', () => {
    const r = check(compile(counter, [['K', 100]]), { maxDepth: 4 });
    expect(r.status).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/max-depth 4 reached: there are states beyond depth 4/);
    // the last level's transitions are generated (to look beyond it), its successors not kept
    expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([4, 4, 4]);
  });

  it('maxDepth equal to the depth of the space: complete, with its verdict', () => {
    const ok = check(compile(counter, [['K', 5]]), { maxDepth: 6 });
    expect([ok.status, ok.stats.distinct, ok.stats.depth]).toEqual(['ok', 6, 6]);
    const bad = check(compile(counter, [['K', 5], ['BAD', 5]]), { maxDepth: 6 });
    expect(bad.status).toBe('violation');
  });

  it('maxDepth: a deadlock in the last level is found', () => {
    const r = check(compile(deadlock), { maxDepth: 4 });
    expect(r.status).toBe('deadlock');
  });

  it('maxDepth above the depth of the space: complete', () => {
    const r = check(compile(counter, [['K', 5]]), { maxDepth: 7 });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(6);
  });

  it('a violation found before the limit is still reported', () => {
    const r = check(compile(counter, [['K', 100], ['BAD', 3]]), { maxStates: 50 });
    expect(r.status).toBe('violation');
    expect(r.violations[0].path).toEqual([0, 0, 0, 0]);
  });

  it('timeout 0: incomplete', () => {
    const r = check(compile(counter, [['K', 100]]), { timeoutMs: 0 });
    expect(r.status).toBe('incomplete');
    expect(r.incompleteReason).toMatch(/timeout/);
    expect(r.stats.distinct).toBeLessThan(101);
  });

  it('progress callback sees running statistics', () => {
    const seen: number[] = [];
    const r = check(compile(tlbbench, [['N', 3]]), { onProgress: (s) => seen.push(s.distinct), progressIntervalMs: 0 });
    expect(r.status).toBe('ok');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)!).toBeLessThanOrEqual(4_967);
  });
});
