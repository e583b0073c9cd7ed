/**
 * Model-based test: random small state graphs, checked by kripke and by a naive reference BFS
 * written here (plain JS sets of node ids, same enumeration order: initial states in order,
 * then per state the edges in index order). Everything must agree exactly: distinct states,
 * transitions, depth, the first violation of each property and its path, `sometimes` witnesses,
 * deadlocks, and what limits cut off.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, compile } from '../../src/index.js';
import { graphSpec, type Graph } from '../fixtures/graph.js';
import { replay } from './helpers.js';

interface RefResult {
  distinct: number;
  generated: number;
  depth: number;
  /** first bad node discovered: its path [init, edge, ...] */
  badPath: number[] | null;
  /** first transition with to < from (in expansion order): path through it */
  backPath: number[] | null;
  targetPath: number[] | null;
  /** first expanded state with no outgoing edge */
  deadlockPath: number[] | null;
  /** BFS level (1 = Init) of every reachable node */
  levels: number[];
}

function reference(g: Graph): RefResult {
  const pathOf = new Map<number, number[]>();
  const bad = new Set(g.bad);
  let badPath: number[] | null = null;
  let targetPath: number[] | null = null;
  let backPath: number[] | null = null;
  let deadlockPath: number[] | null = null;
  const discover = (node: number, path: number[]) => {
    pathOf.set(node, path);
    if (badPath === null && bad.has(node)) badPath = path;
    if (targetPath === null && node === g.target) targetPath = path;
  };
  let level: number[] = [];
  g.inits.forEach((node, i) => {
    if (pathOf.has(node)) return;
    discover(node, [i]);
    level.push(node);
  });
  let depth = 1;
  let generated = 0;
  while (level.length > 0) {
    const next: number[] = [];
    for (const s of level) {
      let enabled = false;
      g.edges.forEach(([from, to], e) => {
        if (from !== s) return;
        enabled = true;
        generated++;
        if (backPath === null && to < from) backPath = [...pathOf.get(s)!, e];
        if (!pathOf.has(to)) {
          discover(to, [...pathOf.get(s)!, e]);
          next.push(to);
        }
      });
      if (!enabled && deadlockPath === null) deadlockPath = pathOf.get(s)!;
    }
    level = next;
    if (level.length > 0) depth++;
  }
  const levels = [...pathOf.values()].map((p) => p.length);
  return { distinct: pathOf.size, generated, depth, badPath, backPath, targetPath, deadlockPath, levels };
}

const graphArb: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    inits: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 4 }),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
    bad: fc.array(fc.nat(n - 1), { maxLength: 3 }),
    target: fc.nat(n - 1),
    useChange: fc.boolean(),
  }),
);

describe('kripke agrees with a reference BFS on random graphs', () => {
  it('continue: full exploration, first violation of each property, witnesses', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const ref = reference(g);
        const m = compile(graphSpec(g));
        const r = check(m, { continue: true });
        expect({ distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth }).toEqual({
          distinct: ref.distinct,
          generated: ref.generated,
          depth: ref.depth,
        });
        const v = Object.fromEntries(r.violations.map((x) => [x.property, x.path]));
        expect(v.NotBad ?? null).toEqual(ref.badPath);
        expect(v.Forward ?? null).toEqual(ref.backPath);
        expect(r.violations.length).toBe((ref.badPath ? 1 : 0) + (ref.backPath ? 1 : 0));
        expect(r.status).toBe(r.violations.length > 0 ? 'violation' : 'ok');
        expect(r.sometimes).toEqual([{ property: 'Hits', witness: ref.targetPath }]);
        // Paths are real paths of the graph that end where they claim.
        if (ref.badPath) {
          const states = replay(m, v.NotBad);
          expect(g.bad).toContain(states.at(-1)!.node);
        }
        if (ref.backPath) {
          const states = replay(m, v.Forward);
          const [s, t] = states.slice(-2);
          expect(t.node).toBeLessThan(s.node);
        }
        // Coverage: instance e fired once per reachable state equal to its source.
        const firedTotal = r.coverage.reduce((a, c) => a + c.fired, 0);
        expect(firedTotal).toBe(ref.generated);
      }),
      { numRuns: 400 },
    );
  });

  it('without continue: stops at the first violation in BFS order, a shortest one', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const ref = reference(g);
        const m = compile(graphSpec(g));
        const r = check(m);
        // The first violation overall: NotBad is checked on discovery, Forward on each transition.
        // Both are found while expanding some level; compare with the reference by length first.
        if (!ref.badPath && !ref.backPath) {
          expect(r.status).toBe('ok');
          return;
        }
        expect(r.status).toBe('violation');
        expect(r.violations).toHaveLength(1);
        const got = r.violations[0];
        const cands = [ref.badPath, ref.backPath].filter((p): p is number[] => p !== null);
        const shortest = Math.min(...cands.map((p) => p.length));
        expect(got.length).toBe(shortest);
        expect(cands).toContainEqual([...got.path]);
        // An initial bad state is reported before anything is expanded.
        if (ref.badPath?.length === 1) expect(got.property).toBe('NotBad');
      }),
      { numRuns: 300 },
    );
  });

  it('deadlock: the first state without successors, in BFS order', () => {
    fc.assert(
      fc.property(graphArb, (g0) => {
        const g = { ...g0, bad: [], deadlock: true };
        const ref = reference(g);
        const r = check(compile(graphSpec(g)), { continue: true });
        const d = r.violations.filter((v) => v.kind === 'deadlock');
        if (ref.deadlockPath === null) {
          expect(d).toEqual([]);
        } else {
          expect(d).toHaveLength(1);
          expect(d[0].property).toBe('Deadlock');
          expect(d[0].path).toEqual(ref.deadlockPath);
        }
        expect(r.status).toBe(ref.backPath ? 'violation' : ref.deadlockPath ? 'deadlock' : 'ok');
      }),
      { numRuns: 200 },
    );
  });

  it('maxDepth: levels 1..maxDepth are discovered; complete unless states lie beyond', () => {
    fc.assert(
      fc.property(graphArb, fc.integer({ min: 1, max: 8 }), (g0, maxDepth) => {
        const g = { ...g0, bad: [] };
        const ref = reference(g);
        const r = check(compile(graphSpec(g)), { maxDepth, continue: true });
        if (ref.depth <= maxDepth) {
          expect(r.status).not.toBe('incomplete');
          expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([ref.distinct, ref.generated, ref.depth]);
        } else {
          expect(r.status).toBe('incomplete');
          expect(r.incompleteReason).toMatch(/depth/);
          expect(r.stats.depth).toBe(maxDepth);
          expect(r.stats.distinct).toBe(ref.levels.filter((l) => l <= maxDepth).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('maxStates: stops when the limit is reached, with partial stats', () => {
    fc.assert(
      // at most 4 initial states, so the limit is always reached by a successor
      fc.property(graphArb, fc.integer({ min: 5, max: 30 }), (g0, maxStates) => {
        const g = { ...g0, bad: [] };
        const ref = reference(g);
        const r = check(compile(graphSpec(g)), { maxStates, continue: true });
        if (ref.distinct < maxStates) {
          expect(r.status).not.toBe('incomplete');
          expect([r.stats.distinct, r.stats.generated, r.stats.depth]).toEqual([ref.distinct, ref.generated, ref.depth]);
        } else {
          expect(r.status).toBe('incomplete');
          expect(r.incompleteReason).toMatch(/states/);
          expect(r.stats.distinct).toBe(maxStates);
          expect(r.stats.generated).toBeLessThanOrEqual(ref.generated);
          expect(r.stats.depth).toBeLessThanOrEqual(ref.depth);
        }
      }),
      { numRuns: 300 },
    );
  });
});
