/**
 * The counterexample with the fewest interleavings (core/interleavings.ts): exact (checked
 * against brute force over every shortest counterexample of small models), a real path that
 * shows the property, and as short as the BFS's.
 */
import { describe, expect, it } from 'vitest';
import { Record } from 'immutable';
import { check, compile, defineSpec, selectProperties, violated, type CompiledModel } from '../../src/index.js';
import { simulateSync } from '../../src/core/simulate.js';
import { judgeClaim } from '../../src/core/claim.js';
import { fewestInterleavings, switchesOf } from '../../src/core/interleavings.js';
import { step } from '../../src/core/walk.js';
import tlbbench from '../../bench/tlbbench.js';
import mutex from '../../examples/mutex.js';
import kernel from '../../spec/kernel.js';

const model = (spec: unknown, constants: { [k: string]: string }, props: string[]) =>
  selectProperties(compile(spec as never, Object.entries(constants)), props) as CompiledModel<unknown>;

/** Whether `path` is a real trace whose end shows `v`'s property. */
function shows(m: CompiledModel<unknown>, path: readonly number[], v: { kind: 'invariant' | 'action' | 'deadlock'; property: string }): boolean {
  let s = m.inits[path[0]];
  let prev: { state: unknown; inst: (typeof m.instances)[number] } | undefined;
  for (const ai of path.slice(1)) {
    const t = step(m.instances[ai], s);
    if (t === null) return false;
    prev = { state: s, inst: m.instances[ai] };
    s = t;
  }
  return judgeClaim(m, v, s, prev).shown;
}

/** The fewest lane switches over every path of exactly `len` states that shows `v` (brute force). */
function bruteMin(m: CompiledModel<unknown>, len: number, v: { kind: 'invariant' | 'action' | 'deadlock'; property: string }): number {
  let best = Infinity;
  const walk = (path: number[], s: unknown) => {
    if (path.length === len) {
      if (shows(m, path, v)) best = Math.min(best, switchesOf(m, path));
      return;
    }
    for (const inst of m.instances) {
      const t = step(inst, s);
      if (t !== null) walk([...path, inst.index], t);
    }
  };
  m.inits.forEach((s, i) => walk([i], s));
  return best;
}

describe('fewest interleavings', () => {
  for (const [name, spec, constants, prop] of [
    ['tlbbench 2,2,2 local', tlbbench, { N: '2', P: '2', F: '2', MODE: 'local' }, 'NoStaleTranslation'],
    ['tlbbench 3,1,1 local', tlbbench, { N: '3', P: '1', F: '1', MODE: 'local' }, 'NoStaleTranslation'],
    ['the naive mutex at 3', mutex, { N: '3' }, 'MutualExclusion'],
  ] as const) {
    it(`${name}: the fewest switches brute force finds among the shortest counterexamples, on a real path of the same length`, () => {
      const m = model(spec, constants, [prop]);
      const v = check(m).violations[0];
      const x = fewestInterleavings(m, v);
      expect(x.path.length).toBe(v.length);
      expect(shows(m, x.path, v)).toBe(true);
      expect(x.switches).toBe(bruteMin(m, v.length, v));
      expect(x.switches).toBeLessThanOrEqual(x.given);
      expect(x.given).toBe(switchesOf(m, v.path));
    });
  }

  it('constraints as the BFS has them: no deadlock claimed outside them, no walk from an initial state outside them; the reason is the new end\'s', () => {
    type D = { a: number; b: number };
    const SD = Record<D>({ a: 0, b: 0 });
    type SDt = ReturnType<typeof SD>;
    // a deadlock at a=1, b=1 (two lanes); a=3 is outside the constraint, and has nothing enabled either
    const dl = defineSpec({ name: 'dl', build: () => ({
      init: SD(),
      actions: {
        A: { params: { p: [1] }, apply: (s: SDt) => s.b === 0 && s.a < 3 && s.set('a', s.a + 1) },
        B: { params: { p: [2] }, apply: (s: SDt) => s.a === 1 && s.b === 0 && s.set('b', 1) },
        C: { params: { p: [1] }, apply: (s: SDt) => s.b === 1 && s.a === 1 && s.set('a', 2) },
      },
      constraints: { Bound: (s: SDt) => s.a < 3 },
    }) });
    const m = model(dl, {}, []);
    const v = check(m).violations[0];
    expect(v.kind).toBe('deadlock');
    const x = fewestInterleavings(m, v);
    expect(x.path).toEqual(v.path); // not 0/0/0/0, whose end a = 3 the BFS never expands
    // two initial states, the second outside the constraint; the shortest violation from the first
    type C = { o: number; x1: number; x2: number };
    const SC = Record<C>({ o: 0, x1: 0, x2: 0 });
    type SCt = ReturnType<typeof SC>;
    const ci = defineSpec({ name: 'ci', build: () => ({
      init: [SC(), SC({ o: 1 })],
      actions: { Inc: { params: { p: [1, 2] }, apply: (s: SCt, { p }: { p: number }) => (p === 1 ? s.x1 < 2 && s.set('x1', s.x1 + 1) : s.x2 < 2 && s.set('x2', s.x2 + 1)) } },
      invariants: { Inv: (s: SCt) => (s.x1 >= 1 && s.x2 >= 1 ? violated('both') : s.o === 1 && s.x1 >= 2 ? violated('o1 x1=2') : true) },
      constraints: { NotO1Start: (s: SCt) => !(s.o === 1 && s.x1 === 0 && s.x2 === 0) },
    }) });
    const mc = model(ci, {}, []);
    const vc = check(mc).violations[0];
    expect(fewestInterleavings(mc, vc).path[0]).toBe(0);
    expect(simulateSync(mc, { seed: 1, depth: 5, runs: 200 }).found?.finding.path[0]).toBe(0);
    // the reason of the minimised end, not the BFS's
    type R = { x1: number; x2: number };
    const SR = Record<R>({ x1: 0, x2: 0 });
    type SRt = ReturnType<typeof SR>;
    const rs = defineSpec({ name: 'rs', build: () => ({
      init: SR(),
      actions: { Inc: { params: { p: [1, 2] }, apply: (s: SRt, { p }: { p: number }) => (p === 1 ? s.x1 < 2 && s.set('x1', s.x1 + 1) : s.x2 < 2 && s.set('x2', s.x2 + 1)) } },
      invariants: { Inv: (s: SRt) => (s.x1 === 1 && s.x2 === 1 ? violated('both are 1') : s.x2 === 2 ? violated('x2 is 2') : true) },
    }) });
    const mr = model(rs, {}, []);
    const vr = check(mr).violations[0];
    expect(vr.reason).toBe('both are 1');
    const xr = fewestInterleavings(mr, vr);
    expect([xr.switches, xr.reason]).toEqual([0, 'x2 is 2']);
  });

  it('the kernel spec: V0b-fea4e317\'s 18-state trace goes from 7 switches to 5, still 18 states, still violating', () => {
    const m = model(kernel, { VARIANT: 'V0b-fea4e317' }, ['NoStaleTranslation']);
    const v = check(m).violations[0];
    const x = fewestInterleavings(m, v);
    expect([x.given, x.switches, x.path.length]).toEqual([7, 5, 18]);
    expect(shows(m, x.path, v)).toBe(true);
  });
});
