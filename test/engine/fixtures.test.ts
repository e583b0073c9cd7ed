/**
 * Every fixture spec, with its exact state counts (distinct incl. Init, transitions incl.
 * duplicates, depth = BFS levels incl. Init) and its verdicts.
 */
import { describe, expect, it } from 'vitest';
import { compile, check } from '../../src/index.js';
import counter, { counterStats } from '../fixtures/counter.js';
import cycle, { cycleStats } from '../fixtures/cycle.js';
import grid, { gridStats } from '../fixtures/grid.js';
import pathGraph, { pathGraphStats } from '../fixtures/pathGraph.js';
import multiInit from '../fixtures/multiInit.js';
import deadlock from '../fixtures/deadlock.js';
import constrained from '../fixtures/constrained.js';
import actionProp from '../fixtures/actionProp.js';
import sometimes from '../fixtures/sometimes.js';
import params from '../fixtures/params.js';
import { pathGraph as dgraphPath } from '../fixtures/graph.js';
import { counts, endOf, run } from './helpers.js';

describe('counter 0..K', () => {
  it.each([0, 1, 2, 5, 37, 1000])('K=%i: K+1 states, K transitions, depth K+1', (K) => {
    const r = run(counter, { K });
    expect(r.status).toBe('ok');
    expect(r.violations).toEqual([]);
    expect(counts(r)).toEqual(counterStats(K));
    expect(r.stats.queue).toBe(0);
  });
  it('BAD=3 fails NotBad at n=3 after 3 Incs', () => {
    const r = run(counter, { K: 10, BAD: 3 });
    expect(r.status).toBe('violation');
    expect(r.violations).toEqual([{ kind: 'invariant', property: 'NotBad', reason: undefined, path: [0, 0, 0, 0], length: 4 }]);
  });
  it('BAD=0 fails on the initial state', () => {
    const r = run(counter, { K: 10, BAD: 0 });
    expect(r.status).toBe('violation');
    expect(r.violations[0].path).toEqual([0]);
    expect(r.violations[0].length).toBe(1);
    expect(r.stats.generated).toBe(0);
  });
});

describe('cycle of length K', () => {
  it.each([1, 2, 7, 500])('K=%i: K states, K transitions, depth K, no deadlock', (K) => {
    const r = run(cycle, { K });
    expect(r.status).toBe('ok');
    expect(counts(r)).toEqual(cycleStats(K));
  });
});

describe('grid W x H', () => {
  it.each([
    [1, 1],
    [1, 5],
    [5, 1],
    [2, 2],
    [4, 3],
    [10, 7],
    [30, 30],
  ])('%ix%i: W*H states, (W-1)H + W(H-1) transitions, depth W+H-1', (W, H) => {
    const r = run(grid, { W, H });
    expect(r.status).toBe('ok');
    const g = gridStats(W, H);
    expect(counts(r)).toEqual({ distinct: g.distinct, generated: g.generated, depth: g.depth });
    expect(r.coverage.map((c) => [c.family, c.fired])).toEqual([
      ['Right', g.right],
      ['Down', g.down],
    ]);
  });
  it('4x3, 12 states, 17 transitions, depth 6 (literal numbers)', () => {
    expect(counts(run(grid, { W: 4, H: 3 }))).toEqual({ distinct: 12, generated: 17, depth: 6 });
  });
  it('NotAt (2,1) fails after 3 moves, and the path replays to (2,1)', () => {
    const m = compile(grid, [['W', 4], ['H', 3], ['BX', 2], ['BY', 1]]);
    const r = check(m);
    expect(r.status).toBe('violation');
    const v = r.violations[0];
    expect(v.property).toBe('NotAt');
    expect(v.length).toBe(4);
    // BFS expands Right before Down, so the first (2,1) found is Right, Right, Down.
    expect(v.path).toEqual([0, 0, 0, 1]);
    expect(endOf(m, v.path).toJS()).toEqual({ x: 2, y: 1 });
  });
});

describe('path graph', () => {
  it('K=1: the single node deadlocks', () => {
    const r = run(pathGraph, { K: 1 });
    expect(r.status).toBe('deadlock');
    expect(r.violations[0].path).toEqual([0]);
  });
  it.each([
    [2, 0],
    [6, 0],
    [6, 5],
    [7, 3],
    [100, 40],
  ])('K=%i START=%i', (K, START) => {
    const r = run(pathGraph, { K, START });
    expect(r.status).toBe('ok');
    expect(counts(r)).toEqual(pathGraphStats(K, START));
  });
  it('directed path graph fixture (graph.ts): NotBad fails at the end, n states on the trace', () => {
    const m = compile(dgraphPath(9));
    const r = check(m, { continue: true });
    expect(counts(r)).toEqual({ distinct: 9, generated: 8, depth: 9 });
    expect(r.violations.map((v) => [v.property, v.path])).toEqual([['NotBad', [0, 0, 1, 2, 3, 4, 5, 6, 7]]]);
    expect(r.sometimes).toEqual([{ property: 'Hits', witness: [0, 0, 1, 2, 3, 4, 5, 6, 7] }]);
  });
});

describe('several initial states', () => {
  it('counts a duplicate initial state once', () => {
    const m = compile(multiInit);
    expect(m.inits.length).toBe(3);
    const r = check(m, { continue: true });
    expect(counts(r)).toEqual({ distinct: 10, generated: 9, depth: 5 });
  });
  it('the shortest violation starts from the right initial state', () => {
    const m = compile(multiInit);
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].path).toEqual([1, 0, 0, 0]);
    expect(endOf(m, r.violations[0].path).n).toBe(8);
  });
  it('sometimes: SeesSeven witnessed from init #1, SeesTen never', () => {
    const m = compile(multiInit);
    const r = check(m, { continue: true });
    expect(r.sometimes).toEqual([
      { property: 'SeesSeven', witness: [1, 0, 0] },
      { property: 'SeesTen', witness: null },
    ]);
    expect(endOf(m, r.sometimes[0].witness!).n).toBe(7);
  });
});

describe('deadlock', () => {
  it('reports the deadlocked state with a shortest path', () => {
    const r = run(deadlock);
    expect(r.status).toBe('deadlock');
    expect(r.violations).toEqual([{ kind: 'deadlock', property: 'Deadlock', reason: 'no action is enabled', path: [0, 0, 0, 0], length: 4 }]);
  });
  it('with deadlock off, the run is ok', () => {
    const r = run(deadlock, { DEADLOCK: false });
    expect(r.status).toBe('ok');
    expect(counts(r)).toEqual({ distinct: 4, generated: 3, depth: 4 });
  });
  it('with continue, a deadlock is still the status when it is the only violation', () => {
    const r = run(deadlock, {}, { continue: true });
    expect(r.status).toBe('deadlock');
    expect(counts(r)).toEqual({ distinct: 4, generated: 3, depth: 4 });
  });
});

describe('state constraint', () => {
  it.each([0, 1, 10, 250])('LIMIT=%i: the LIMIT states inside are kept and expanded, the one outside dropped, no deadlock', (LIMIT) => {
    const r = run(constrained, { LIMIT });
    expect(r.status).toBe('ok');
    expect(counts(r)).toEqual({ distinct: LIMIT, generated: LIMIT, depth: LIMIT });
  });
  it('states outside the constraint are still checked (TLC: checked, then dropped)', () => {
    const r = run(constrained, { LIMIT: 10, MAXOK: 9 });
    expect(r.status).toBe('violation');
    expect(r.violations[0].property).toBe('Small');
    expect(r.violations[0].path).toEqual([0, ...Array(10).fill(0)]);
    expect(r.violations[0].length).toBe(11);
  });
  it('an initial state outside the constraint is checked too, then dropped', () => {
    expect(run(constrained, { LIMIT: 0, MAXOK: -1 }).violations).toMatchObject([{ property: 'Small', path: [0], length: 1 }]);
  });
  it('with workers: the same counts and the same dropped-state violation', async () => {
    const { checkParallel } = await import('../../src/core/parallel.js');
    const r = await checkParallel('test/fixtures/constrained.ts', [['LIMIT', '40']], { workers: 2 });
    expect(counts(r)).toEqual({ distinct: 40, generated: 40, depth: 40 });
    const v = await checkParallel('test/fixtures/constrained.ts', [['LIMIT', '40'], ['MAXOK', '39']], { workers: 2 });
    expect(v.violations).toMatchObject([{ property: 'Small', length: 41 }]);
  });
});

describe('action property', () => {
  it('Monotone fails at the first Reset, whose target is an old state', () => {
    const m = compile(actionProp);
    const r = check(m);
    expect(r.status).toBe('violation');
    expect(r.violations).toEqual([{ kind: 'action', property: 'Monotone', reason: '1 -> 0', path: [0, 0, 1], length: 3 }]);
    expect(m.instances.map((i) => i.name)).toEqual(['Inc', 'Reset']);
  });
  it('restricted to Inc, it holds; counts are exact', () => {
    const r = run(actionProp, { K: 4 }, { continue: true });
    expect(r.violations.map((v) => v.property)).toEqual(['Monotone']);
    expect(counts(r)).toEqual({ distinct: 5, generated: 8, depth: 5 });
  });
});

describe('sometimes', () => {
  it('witnessable: shortest witness path', () => {
    const r = run(sometimes, { K: 6, TARGET: 4 });
    expect(r.status).toBe('ok');
    expect(r.sometimes).toEqual([
      { property: 'Reaches', witness: [0, 0, 0, 0, 0] },
      { property: 'Beyond', witness: null },
    ]);
  });
  it('the initial state can be the witness', () => {
    expect(run(sometimes, { K: 6, TARGET: 0 }).sometimes[0].witness).toEqual([0]);
  });
  it('not witnessable', () => {
    const r = run(sometimes, { K: 6, TARGET: 7 });
    expect(r.sometimes.map((x) => x.witness)).toEqual([null, null]);
    expect(counts(r)).toEqual({ distinct: 7, generated: 6, depth: 7 });
  });
});

describe('parameter enumeration', () => {
  it('families in declaration order, then the cartesian product, last parameter fastest', () => {
    const m = compile(params);
    expect(m.instances.map((i) => [i.index, i.name, i.params])).toEqual([
      [0, 'Set', { a: 0, b: 0 }],
      [1, 'Set', { a: 0, b: 1 }],
      [2, 'Set', { a: 0, b: 2 }],
      [3, 'Set', { a: 1, b: 0 }],
      [4, 'Set', { a: 1, b: 1 }],
      [5, 'Set', { a: 1, b: 2 }],
      [6, 'Bump', {}],
      [7, 'Dead', { x: 'p' }],
      [8, 'Dead', { x: 'q' }],
    ]);
    expect(m.families.map((f) => [f.name, f.first, f.count])).toEqual([
      ['Set', 0, 6],
      ['Bump', 6, 1],
      ['Dead', 7, 2],
    ]);
  });
  it('exact counts', () => {
    expect(counts(run(params))).toEqual({ distinct: 5, generated: 21, depth: 3 });
  });
});
