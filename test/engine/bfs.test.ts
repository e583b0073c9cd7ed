/**
 * BFS order and shortest counterexamples: the first violation is at minimal depth, its path
 * replays from Init to a violating state, and `continue` collects one violation per property.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Record, type RecordOf } from 'immutable';
import { change, check, compile, defineSpec } from '../../src/index.js';
import grid from '../fixtures/grid.js';
import { graphSpec } from '../fixtures/graph.js';
import { counts, endOf, replay } from './helpers.js';

describe('shortest counterexamples', () => {
  it('prefers a short path through late edges over a long path through early ones', () => {
    // 0 -> 1 -> 2 -> 3 -> 4 (bad) uses edges 0..3; 0 -> 5 -> 4 uses edges 4, 5.
    const m = compile(graphSpec({ n: 6, inits: [0], edges: [[0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 4]], bad: [4], target: 3 }));
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations[0].path).toEqual([0, 4, 5]);
    expect(r.violations[0].length).toBe(3);
    expect(endOf(m, r.violations[0].path).node).toBe(4);
  });

  it('grid: the violation at (BX, BY) is BX+BY moves away and replays there', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.nat(),
        (W, H, bx, by) => {
          const BX = bx % W;
          const BY = by % H;
          const m = compile(grid, [['W', W], ['H', H], ['BX', BX], ['BY', BY]]);
          const r = check(m);
          expect(r.status).toBe('violation');
          const v = r.violations[0];
          expect(v.length).toBe(BX + BY + 1);
          const states = replay(m, v.path);
          expect(states.length).toBe(v.length);
          expect(states.at(-1)!.toJS()).toEqual({ x: BX, y: BY });
          // Every state before the last one satisfies the invariant.
          for (const s of states.slice(0, -1)) expect(s.x === BX && s.y === BY).toBe(false);
          // BFS finds the violation while expanding level BX+BY: never deeper.
          expect(r.stats.depth).toBeLessThanOrEqual(BX + BY + 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('stopping and continuing', () => {
  type S = RecordOf<{ n: number }>;
  const R = Record({ n: 0 });
  const spec = defineSpec({
    name: 'three-properties',
    build: () => ({
      init: R(),
      deadlock: false,
      actions: {
        Inc: { apply: (s: S) => s.n < 20 && change(s).set('n', s.n + 1) },
        Double: { apply: (s: S) => s.n > 0 && s.n <= 10 && change(s).set('n', s.n * 2) },
      },
      invariants: {
        Lt7: (s: S) => s.n < 7,
        NotFour: (s: S) => s.n !== 4,
      },
      actionProperties: { SmallSteps: { check: (s: S, _a, t: S) => t.n - s.n <= 2 } },
    }),
  });

  // BFS: {0} -> {1} -> {2} -> {3, 4} -> {6, 5, 8} -> ...
  //   2 -Double-> 4 violates NotFour (path Inc, Inc, Double: 4 states);
  //   3 -Double-> 6 is the first step > 2 (SmallSteps, path Inc, Inc, Inc, Double: 5 states);
  //   4 -Double-> 8 is the first state >= 7 discovered (Lt7, path Inc, Inc, Double, Double: 5 states).
  // Full space: 0..20 (21 states), 20 Incs + 10 Doubles, 8 levels (19 = 0,1,2,4,8,9,18,19).
  it('without continue, the search stops at the first violation (a shortest one)', () => {
    const m = compile(spec);
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations).toEqual([{ kind: 'invariant', property: 'NotFour', reason: undefined, path: [0, 0, 0, 1], length: 4 }]);
    expect(r.stats.distinct).toBe(5); // 0, 1, 2, 3, 4
    expect(endOf(m, r.violations[0].path).n).toBe(4);
  });

  it('with continue, one violation per property, each shortest, and the full state space', () => {
    const m = compile(spec);
    const r = check(m, { continue: true });
    expect(r.status).toBe('violation');
    expect(counts(r)).toEqual({ distinct: 21, generated: 30, depth: 8 });
    const byName = Object.fromEntries(r.violations.map((v) => [v.property, [v.kind, v.path]]));
    expect(r.violations).toHaveLength(3);
    expect(byName).toEqual({
      NotFour: ['invariant', [0, 0, 0, 1]],
      SmallSteps: ['action', [0, 0, 0, 0, 1]],
      Lt7: ['invariant', [0, 0, 0, 1, 1]],
    });
    for (const v of r.violations) expect(v.length).toBe(v.path.length);
    expect(endOf(m, byName.Lt7[1] as number[]).n).toBe(8);
    const [s, t] = replay(m, byName.SmallSteps[1] as number[]).slice(-2);
    expect([s.n, t.n]).toEqual([3, 6]);
  });

  it('with continue, violations are listed in the order found: by trace length (BFS)', () => {
    const r = check(compile(spec), { continue: true });
    const lengths = r.violations.map((v) => v.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
  });
});
