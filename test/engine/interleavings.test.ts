/**
 * The counterexample with the fewest interleavings (core/interleavings.ts): exact (checked
 * against brute force over every shortest counterexample of small models), a real path that
 * shows the property, and as short as the BFS's.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, selectProperties, type CompiledModel } from '../../src/index.js';
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

  it('the kernel spec: V0b-fea4e317\'s 18-state trace goes from 7 switches to 5, still 18 states, still violating', () => {
    const m = model(kernel, { VARIANT: 'V0b-fea4e317' }, ['NoStaleTranslation']);
    const v = check(m).violations[0];
    const x = fewestInterleavings(m, v);
    expect([x.given, x.switches, x.path.length]).toEqual([7, 5, 18]);
    expect(shows(m, x.path, v)).toBe(true);
  });
});
