/**
 * Symmetry reduction (`symmetry` in check options): exact orbit counts against published and
 * brute-force figures, real-identity traces, refusal of declarations the spec breaks, and a
 * model-based comparison of reduced and unreduced runs on random symmetric specs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Map as IMap, Record as IRecord } from 'immutable';
import { change, check, checkParallel, compile, defineSpec, fingerprint, KripkeError, type CompiledModel, type Spec } from '../../src/index.js';
import { successorOf } from '../../src/core/claim.js';
import { allPerms, permuteValue, renameOf, type Perm } from '../../src/core/symmetry/permute.js';
import tlbbench from '../../bench/tlbbench.js';
import tlbSymmetric from '../fixtures/tlbbench-symmetric.js';
import { symmetricSpec, type Rule, type SymDesc } from '../fixtures/symmetric.js';
import { replay } from './helpers.js';

/** tlbbench with the sets of `which` (C: CPUs, P: pages, F: frames) declared symmetric. */
const tlb = (which: string) => ({ spec: tlbSymmetric, which });

const withWhich = (spec: Spec<any, any> | { spec: Spec<any, any>; which: string }, consts: [string, number | string][]) =>
  'which' in spec ? compile(spec.spec, [...consts, ['WHICH', spec.which]]) : compile(spec, consts);
const distinct = (spec: Spec<any, any> | { spec: Spec<any, any>; which: string }, consts: [string, number | string][], mode: 'sort' | 'exhaustive' = 'sort') =>
  check(withWhich(spec, consts), { symmetry: mode }).stats.distinct;

describe('tlbbench under CPU symmetry: the published counts', () => {
  it.each([
    [2, 2, 2, 296],
    [3, 2, 2, 1_114],
  ])('N=%i P=%i F=%i: %i orbits (sort and exhaustive)', (N, P, F, orbits) => {
    const c: [string, number][] = [['N', N], ['P', P], ['F', F]];
    expect(distinct(tlbbench, c)).toBe(orbits);
    expect(distinct(tlbbench, c, 'exhaustive')).toBe(orbits);
  });

  it('the plain representation (KRIPKE_NO_CODEC) counts the same orbits', () => {
    process.env.KRIPKE_NO_CODEC = '1';
    try {
      expect(distinct(tlbbench, [['N', 3], ['P', 2], ['F', 2]])).toBe(1_114);
    } finally {
      delete process.env.KRIPKE_NO_CODEC;
    }
  });

  it('2 worker threads count the same orbits', async () => {
    const r = await checkParallel('bench/tlbbench.ts', [['N', '3'], ['P', '2'], ['F', '2']], { workers: 2, symmetry: 'sort' });
    expect(r.threads?.used).toBe(2);
    expect(r.stats.distinct).toBe(1_114);
  });

  it('2 worker threads, CPUs, pages and frames symmetric (renamed values: transform slots): the same orbits and verdicts', async () => {
    const consts = [['N', '3'], ['P', '2'], ['F', '3']] as [string, string][];
    const r = await checkParallel('test/fixtures/tlbbench-symmetric.ts', consts, { workers: 2, symmetry: 'sort' });
    expect(r.threads?.used).toBe(2);
    expect(r.stats.distinct).toBe(298);
    const local = await checkParallel('test/fixtures/tlbbench-symmetric.ts', [...consts, ['MODE', 'local']], { workers: 2, symmetry: 'sort', continue: true });
    const m = compile(tlbSymmetric, [...consts, ['MODE', 'local']]);
    expect(local.violations.map((v) => [v.property, v.length])).toEqual(check(m, { continue: true }).violations.map((v) => [v.property, v.length]));
    for (const v of local.violations) replay(m, v.path);
  });
});

describe('pages and frames symmetric too (brute-force orbit counts)', () => {
  it.each([
    ['F', 2, 2, 2, 271],
    ['P', 2, 2, 2, 271],
    ['CF', 2, 2, 2, 151],
    ['CP', 2, 2, 2, 151],
    ['CPF', 2, 2, 2, 84],
    ['CPF', 2, 2, 3, 84],
    ['CF', 3, 2, 3, 562],
    ['CPF', 3, 2, 3, 298],
  ])('%s at N=%i P=%i F=%i: %i orbits, sort = exhaustive', (which, N, P, F, orbits) => {
    const c: [string, number][] = [['N', N], ['P', P], ['F', F]];
    expect(distinct(tlb(which), c)).toBe(orbits);
    expect(distinct(tlb(which), c, 'exhaustive')).toBe(orbits);
  });
});

describe('counterexamples under symmetry are real, shortest paths', () => {
  it.each(['C', 'CPF'])('MODE=local, %s symmetric: same property and length as unreduced, and the path replays without symmetry', (which) => {
    const m = withWhich(tlb(which), [['N', 3], ['P', 2], ['F', 2], ['MODE', 'local']]);
    const plain = check(m);
    const reduced = check(m, { symmetry: 'sort', continue: true });
    const full = check(m, { continue: true });
    expect(plain.status).toBe('violation');
    expect(reduced.violations.map((v) => [v.property, v.length])).toEqual(full.violations.map((v) => [v.property, v.length]));
    for (const v of reduced.violations) {
      const states = replay(m, v.path); // real actions of the unreduced system, each enabled
      const inv = m.invariants.find((p) => p.name === v.property)!;
      expect(inv.check(states.at(-1)!)).not.toBe(true);
    }
  });
});

/** A two-CPU spec whose declaration is broken in the way `how` says. */
function broken(how: 'special-value' | 'undeclared-field' | 'invariant' | 'init' | 'action-property'): Spec<any, any> {
  return defineSpec({
    name: `broken-${how}`,
    build: () => {
      const C = [1, 2, 3];
      const S = IRecord({ on: IMap(C.map((c) => [c, how === 'init' && c === 1])), last: 0 });
      type St = ReturnType<typeof S>;
      return {
        init: S(),
        deadlock: false,
        actions: {
          On: {
            params: { c: C },
            apply: (s: St, { c }: { c: number }) =>
              !s.on.get(c) && (how !== 'special-value' || c !== 1) && change(s).setIn(['on', c], true).set('last', how === 'undeclared-field' ? c : 0),
          },
          Off: { params: { c: C }, apply: (s: St, { c }: { c: number }) => s.on.get(c) && change(s).setIn(['on', c], false) },
        },
        invariants: (how === 'invariant' ? { FirstOff: (s: St) => !(s.on.get(1) && !s.on.get(2)) || s.on.get(3) === true } : {}) as Record<string, (s: St) => boolean>,
        actionProperties: (how === 'action-property' ? { NotOnTwo: { check: (_s: St, a: { params: Record<string, unknown> }) => a.params.c !== 2, actions: ['On'] } } : {}) as never,
        symmetry: { CPUS: { values: C, keys: ['on'] } },
      };
    },
  });
}

describe('a declared symmetry the spec breaks is refused, naming what breaks it', () => {
  it.each([
    ['special-value', /breaks symmetry CPUS: action On\(c=\d\)/],
    ['undeclared-field', /breaks symmetry CPUS: action On\(c=\d\)/],
    ['invariant', /breaks symmetry CPUS: invariant FirstOff /],
    ['init', /breaks symmetry CPUS: the initial states are not closed/],
    ['action-property', /breaks symmetry CPUS: action property NotOnTwo /],
  ] as const)('%s', (how, message) => {
    const m = compile(broken(how));
    expect(check(m).status).not.toBe('error'); // without --symmetry it runs
    let err: unknown;
    try {
      check(m, { symmetry: 'sort' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KripkeError);
    expect((err as KripkeError).kind).toBe('config');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it.each([
    [{ CPUS: { values: [1, 2], keys: ['nope'] } }, /path 'nope': the initial state has no field 'nope'/],
    [{ CPUS: { values: [1, 2], keys: ['last'] } }, /keys 'last' is not a Map/],
    [{ CPUS: { values: [1, 1], keys: ['on'] } }, /value 1 is listed twice/],
    [{ CPUS: { values: [1, 2] } }, /declares neither keys nor refs/],
    [{ CPUS: { values: [1, 2, 9], keys: ['on'] } }, /the Map has no key 9/],
  ])('a declaration the state refutes: %j', (symmetry, message) => {
    const spec = defineSpec({
      name: 'decl',
      build: () => ({ init: IRecord({ on: IMap([[1, false], [2, false]]), last: 0 })(), actions: {}, symmetry: symmetry as never }),
    });
    expect(() => check(compile(spec), { symmetry: 'sort' })).toThrow(message);
  });

  it('--symmetry on a spec that declares none is a config error', () => {
    const spec = defineSpec({ name: 'none', build: () => ({ init: IRecord({ x: 0 })(), actions: {} }) });
    expect(() => check(compile(spec), { symmetry: 'sort' })).toThrow(/declares no symmetric sets/);
  });
});

/** The number of orbits of the reachable states, by brute force: every permutation of every state. */
function bruteOrbits(m: CompiledModel<unknown>): number {
  const sym = m.symmetry!;
  // every product permutation of the declared sets
  let perms: Perm[][] = [[]];
  for (const set of sym.sets) perms = perms.flatMap((P) => allPerms(set.values.length).map((p) => [...P, p]));
  const keyOf = (s: unknown) => {
    const f = fingerprint(s); // (a value's hash: the order of a Map's keys does not matter)
    return `${f.hi}:${f.lo}`;
  };
  const canon = (s: unknown) => perms.map((P) => keyOf(permuteValue(sym, s, sym.sets.map((set, i) => renameOf(set, P[i]))))).sort()[0];
  const seen = new Set<string>();
  const orbits = new Set<string>();
  let level = [...m.inits];
  for (const s of level) seen.add(keyOf(s));
  while (level.length > 0) {
    const next: unknown[] = [];
    for (const s of level) {
      orbits.add(canon(s));
      for (const a of m.instances) {
        const t = successorOf(a, s);
        if (t === null || seen.has(keyOf(t))) continue;
        seen.add(keyOf(t));
        next.push(t);
      }
    }
    level = next;
  }
  return orbits.size;
}

const rule: fc.Arbitrary<Rule> = fc.record({
  from: fc.nat(2),
  to: fc.nat(2),
  guard: fc.constantFrom('always', 'noOtherIn', 'someOtherIn', 'ownerFree', 'isOwner', 'waiting', 'notWaiting'),
  g: fc.nat(2),
  owner: fc.constantFrom('keep', 'take', 'release'),
  wait: fc.constantFrom('keep', 'add', 'remove'),
});
const desc: fc.Arbitrary<SymDesc> = fc.record({
  K: fc.integer({ min: 2, max: 4 }),
  L: fc.constant(3),
  rules: fc.array(rule, { minLength: 1, maxLength: 5 }),
  crowd: fc.integer({ min: 1, max: 3 }),
  crowdState: fc.nat(2),
});

/**
 * A spec whose keyed Map leaves the layout (a key removed: the Map is held whole in its escape
 * slot) and whose other Map starts empty (a value, renamed by its keys): the value-level paths.
 */
const offLayout = defineSpec({
  name: 'off-layout',
  build: () => {
    const P = [1, 2, 3];
    const S = IRecord({ held: IMap<number, boolean>(P.map((p) => [p, false])), votes: IMap<number, number>() });
    type St = ReturnType<typeof S>;
    return {
      init: S(),
      deadlock: false,
      actions: {
        Take: { params: { p: P }, apply: (s: St, { p }: { p: number }) => s.held.get(p) === false && change(s).setIn(['held', p], true) },
        Drop: { params: { p: P }, apply: (s: St, { p }: { p: number }) => s.held.get(p) === true && change(s).set('held', s.held.remove(p)) },
        Vote: {
          params: { p: P, q: P },
          apply: (s: St, { p, q }: { p: number; q: number }) => p !== q && !s.votes.has(p) && s.held.has(q) && change(s).set('votes', s.votes.set(p, q)),
        },
      },
      symmetry: { PROCS: { values: P, keys: ['held', 'votes'], refs: ['votes.*'] } },
    };
  },
});

describe('two sets sharing the keys of one Map (values in neither both)', () => {
  it('count the orbits of the product group, in both modes', () => {
    const A = [1, 2, 3];
    const B = [11, 12];
    const S = IRecord({ pc: IMap<number, number>([...A, ...B].map((p) => [p, 0])), owner: 0 });
    type St = ReturnType<typeof S>;
    const spec = defineSpec({
      name: 'shared-keys',
      build: () => ({
        init: S(),
        deadlock: false,
        actions: {
          StepA: { params: { p: A }, apply: (s: St, { p }: { p: number }) => s.pc.get(p)! < 2 && change(s).setIn(['pc', p], s.pc.get(p)! + 1) },
          StepB: { params: { p: B }, apply: (s: St, { p }: { p: number }) => s.pc.get(p)! < 1 && A.some((a) => s.pc.get(a) === 2) && change(s).setIn(['pc', p], 1) },
          Own: { params: { p: B }, apply: (s: St, { p }: { p: number }) => s.owner === 0 && s.pc.get(p) === 1 && change(s).set('owner', p) },
        },
        symmetry: { A: { values: A, keys: ['pc'] }, B: { values: B, keys: ['pc'], refs: ['owner'] } },
      }),
    });
    const m = compile(spec) as CompiledModel<unknown>;
    const orbits = bruteOrbits(m);
    expect(check(m).stats.distinct).toBeGreaterThan(orbits);
    expect(check(m, { symmetry: 'sort' }).stats.distinct).toBe(orbits);
    expect(check(m, { symmetry: 'exhaustive' }).stats.distinct).toBe(orbits);
  });
});

describe('states off the layout (an escaped Map, a Map held as a value)', () => {
  it('count the orbits, in both modes, as brute force does', () => {
    const m = compile(offLayout) as CompiledModel<unknown>;
    const orbits = bruteOrbits(m);
    expect(check(m).stats.distinct).toBeGreaterThan(orbits);
    expect(check(m, { symmetry: 'sort' }).stats.distinct).toBe(orbits);
    expect(check(m, { symmetry: 'exhaustive' }).stats.distinct).toBe(orbits);
  });
});

const DeepS = IRecord({ on: IMap<number, boolean>([[1, false], [2, false]]), n: 0, err: false });
type DeepState = ReturnType<typeof DeepS>;

describe('found in review: asymmetries the check must see, groups too large for a double', () => {
  it('an action that favours the last CPU in a Map\'s iteration order (the order the search decodes states in) is refused', () => {
    const C = [1, 2, 3];
    const S = IRecord({ pc: IMap<number, string>(C.map((c) => [c, 'idle'])), owner: 0 });
    type St = ReturnType<typeof S>;
    const spec = defineSpec({
      name: 'iteration-order',
      build: () => ({
        init: S(),
        deadlock: false,
        actions: {
          Grab: { params: { c: C }, apply: (s: St, { c }: { c: number }) => s.owner === 0 && change(s).set('owner', c) },
          Dispatch: {
            apply: (s: St) => {
              if (s.owner === 0 || s.pc.some((v) => v === 'run')) return false;
              const c = s.pc.findLastKey((v) => v === 'idle');
              return c !== undefined && change(s).setIn(['pc', c], 'run');
            },
          },
        },
        invariants: { OwnerNotRunning: (s: St) => !(s.owner !== 0 && s.pc.get(s.owner) === 'run') },
        symmetry: { CPUS: { values: C, keys: ['pc'], refs: ['owner'] } },
      }),
    });
    const m = compile(spec);
    expect(check(m).status).toBe('violation');
    expect(() => check(m, { symmetry: 'sort' })).toThrow(/breaks symmetry CPUS: action Dispatch /);
  });

  /**
   * CPU 1 or 2 switches on, then a counter runs to `ticks`; at 45, only CPU 2 may set `err`: an
   * asymmetry past the samples taken before the search. `invariant` is checked on every state.
   */
  const deep = (ticks: number, invariants: Record<string, (s: DeepState) => boolean>) =>
    defineSpec({
      name: 'deep',
      build: () => ({
        init: DeepS(),
        deadlock: false,
        actions: {
          On: { params: { c: [1, 2] }, apply: (s: DeepState, { c }: { c: number }) => s.n === 0 && !s.on.some((x) => x) && change(s).setIn(['on', c], true) },
          Tick: { apply: (s: DeepState) => s.n < ticks && s.on.some((x) => x) && change(s).set('n', s.n + 1) },
          Bad: { apply: (s: DeepState) => s.n === 45 && s.on.get(2) === true && !s.err && change(s).set('err', true) },
        },
        invariants,
        symmetry: { CPUS: { values: [1, 2], keys: ['on'] } },
      }),
    });

  it('an asymmetry 45 steps from Init, past the samples taken before the search, is refused at its end', () => {
    const m = compile(deep(45, { NoErr: (s) => !s.err }));
    expect(check(m).status).toBe('violation');
    expect(() => check(m, { symmetry: 'sort' })).toThrow(/breaks symmetry CPUS: action Bad .*from a state the search reached/);
  });

  it('an evaluation error found by the search stands: the end-of-search check does not replace it', () => {
    // the asymmetry at 45, then a throw both CPUs reach at 47
    const spec = deep(50, {
      Counter: (s) => {
        if (s.n === 47) throw new Error('n reached 47');
        return true;
      },
    });
    const r = check(compile(spec), { symmetry: 'sort' });
    expect(r.status).toBe('error');
    expect(r.error?.message).toMatch(/Counter threw: n reached 47/);
  });

  it('values are matched exactly: the strings \'1\', \'2\' are not the keys 1, 2', () => {
    const spec = defineSpec({
      name: 'string-values',
      build: () => ({ init: IRecord({ pc: IMap([[1, 0], [2, 0]]) })(), actions: {}, symmetry: { P: { values: ['1', '2'], keys: ['pc'] } } }),
    });
    expect(() => check(compile(spec), { symmetry: 'sort' })).toThrow(/the Map has no key "1" in the initial state \(it has 1: a number, the set's value is a string\)/);
  });

  it('4 sets of 8 values (|G| = 8!^4 > 2^53): 200 orbits, as a product of independent components gives', () => {
    const sets = [0, 1, 2, 3].map((i) => Array.from({ length: 8 }, (_, j) => 100 * (i + 1) + j + 1));
    const S = IRecord({ pc0: IMap<number, number>(), pc1: IMap<number, number>(), pc2: IMap<number, number>(), pc3: IMap<number, number>(), own: 0 });
    type St = ReturnType<typeof S>;
    const pc = (i: number) => `pc${i}` as 'pc0';
    const init = S(Object.fromEntries(sets.map((v, i) => [pc(i), IMap(v.map((x) => [x, 0]))])) as never);
    const spec = defineSpec({
      name: 'big-group',
      build: () => ({
        init,
        deadlock: false,
        actions: {
          ...Object.fromEntries(sets.slice(0, 3).map((v, i) => [`Mark${i}`, { params: { v }, apply: (s: St, { v: x }: { v: number }) => s.get(pc(i)).every((y) => y === 0) && change(s).setIn([pc(i), x], 1) }])),
          Own: { params: { v: sets[3] }, apply: (s: St, { v }: { v: number }) => s.own === 0 && change(s).set('own', v) },
          Set: { params: { v: sets[3] }, apply: (s: St, { v }: { v: number }) => s.pc3.get(v) === 0 && change(s).setIn(['pc3', v], 1) },
        },
        symmetry: Object.fromEntries(sets.map((v, i) => [`S${i}`, i === 3 ? { values: v, keys: ['pc3'], refs: ['own'] } : { values: v, keys: [pc(i)] }])),
      }),
    });
    // the three marking sets: 2 orbits each; the last: marked count 0..8 and the owner's mark
    expect(check(compile(spec), { symmetry: 'sort' }).stats.distinct).toBe(2 ** 3 * (4 + 3 * 7));
  });
});

describe('model-based: random symmetric specs, reduced against unreduced', () => {
  it('reduced count = number of orbits (sort and exhaustive); same verdicts and counterexample lengths', () => {
    fc.assert(
      fc.property(desc, (d) => {
        const m = compile(symmetricSpec(d)) as CompiledModel<unknown>;
        const full = check(m, { continue: true });
        const sorted = check(m, { continue: true, symmetry: 'sort' });
        const exhaustive = check(m, { continue: true, symmetry: 'exhaustive' });
        const orbits = bruteOrbits(m);
        expect(sorted.stats.distinct).toBe(orbits);
        expect(exhaustive.stats.distinct).toBe(orbits);
        expect(sorted.stats.depth).toBe(full.stats.depth);
        const verdicts = (r: typeof full) => r.violations.map((v) => [v.property, v.length]);
        expect(verdicts(sorted)).toEqual(verdicts(full));
        expect(verdicts(exhaustive)).toEqual(verdicts(full));
        for (const v of sorted.violations) replay(m, v.path);
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
