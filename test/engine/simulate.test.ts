/**
 * Simulation (core/simulate.ts) and shrinking (core/shrink.ts): deterministic walks, violations
 * of every kind found, shrunk traces that are real, locally minimal, and near the BFS shortest.
 */
import { Record } from 'immutable';
import { describe, expect, it } from 'vitest';
import { change, check, compile, defineSpec, selectProperties, violated, type CompiledModel } from '../../src/index.js';
import { shrinkFinding } from '../../src/core/shrink.js';
import { simulateSync } from '../../src/core/simulate.js';
import { judge, replayChoices } from '../../src/core/walk.js';
import tlbbench from '../../bench/tlbbench.js';
import mutex from '../../examples/mutex.js';
import kernel from '../../spec/kernel.js';

const model = (spec: unknown, constants: { [k: string]: string } = {}, props: string[] = []) =>
  selectProperties(compile(spec as never, Object.entries(constants)), props) as CompiledModel<unknown>;

/** The BFS shortest counterexample length (states) of `m`. */
const bfsLength = (m: CompiledModel<unknown>) => {
  const r = check(m);
  expect(r.status).toBe('violation');
  return r.violations[0].length;
};

describe('simulate', () => {
  it('is deterministic: a seed gives the same walks and the same first violation; another seed walks elsewhere', () => {
    const m = model(tlbbench, { N: '3', P: '3', F: '3', MODE: 'local' });
    const a = simulateSync(m, { seed: 5, depth: 60 });
    const b = simulateSync(m, { seed: 5, depth: 60 });
    expect(a.found?.finding.path).toEqual(b.found?.finding.path);
    expect(a.stats.steps).toBe(b.stats.steps);
    const paths = new Set([1, 2, 3, 4, 6].map((seed) => simulateSync(m, { seed, depth: 60 }).found!.finding.path.join('/')));
    expect(paths.size).toBeGreaterThan(1);
  });

  it('finds an invariant violation (the README mutex) and shrinks it to the BFS shortest', () => {
    const m = model(mutex, { N: '3' });
    const r = simulateSync(m, { seed: 1, depth: 50 });
    expect(r.status).toBe('violation');
    expect(r.found!.finding).toMatchObject({ kind: 'invariant', property: 'MutualExclusion' });
    const s = shrinkFinding(m, r.found!.finding, 1);
    expect(s.finding.path.length).toBe(bfsLength(m));
  });

  for (const [n, seed] of [['4', 3], ['3', 1], ['3', 2], ['3', 5]] as const) it(`a shrunk trace is real (it replays and shows the property) and locally minimal: no single step can go, no single choice be lower (tlbbench ${n}, seed ${seed})`, () => {
    const m = model(tlbbench, { N: n, P: n, F: n, MODE: 'local' });
    const r = simulateSync(m, { seed, depth: 100 });
    const raw = r.found!.finding;
    const s = shrinkFinding(m, raw, seed);
    expect(s.minimal).toBe(true);
    const f = s.finding;
    expect(f.property).toBe(raw.property);
    expect(f.path.length).toBeLessThanOrEqual(raw.path.length);
    const j = judge(m, f.property);
    const steps = f.path.slice(1);
    expect(replayChoices(m, j, f.path[0], steps, f.property)?.path).toEqual(f.path); // every step enabled: the path is itself
    for (let i = 0; i < steps.length; i++) {
      const without = [...steps.slice(0, i), ...steps.slice(i + 1)];
      expect(replayChoices(m, j, f.path[0], without, f.property), `without step ${i + 1}`).toBeNull();
      for (let v = 0; v < steps[i]; v++) {
        const lower = replayChoices(m, j, f.path[0], [...steps.slice(0, i), v, ...steps.slice(i + 1)], f.property);
        expect(lower === null || lower.path.length > f.path.length, `step ${i + 1} as instance ${v}`).toBe(true);
      }
    }
    expect(f.path.length - bfsLength(m)).toBeLessThanOrEqual(2);
  });

  it('the kernel spec at 6 CPUs: the local-only munmap is found and shrunk to within 2 steps of the BFS shortest (8 states)', () => {
    const m = model(kernel, { VARIANT: 'V1-hyp-munmap', CPUS: '6' }, ['NoStaleTranslation']);
    const r = simulateSync(m, { seed: 1, depth: 40 });
    expect(r.found!.finding.property).toBe('NoStaleTranslation');
    const s = shrinkFinding(m, r.found!.finding, 1);
    expect(s.finding.path.length).toBeGreaterThanOrEqual(8);
    expect(s.finding.path.length).toBeLessThanOrEqual(10);
    expect(m.instances[s.finding.path.at(-1)!].name).toBe('Access');
  });

  it('holds where the BFS says it holds, and counts what the walks saw', () => {
    const m = model(kernel, { VARIANT: 'V0' }, ['NoStaleTranslation']);
    const r = simulateSync(m, { seed: 2, depth: 30, runs: 200 });
    expect(r.status).toBe('ok');
    expect(r.found).toBeUndefined();
    expect(r.stats.runs).toBe(200);
    expect(r.stats.steps).toBe(200 * 30); // V0 never runs out of enabled actions
    expect(r.stats.distinct).toBeGreaterThan(100);
    expect(r.stats.distinct).toBeLessThanOrEqual(check(m).stats.distinct);
    expect([...r.fired].reduce((a, b) => a + b, 0)).toBe(r.stats.steps);
  });

  it('--timeout is seen inside a long walk, not only between walks', () => {
    const m = model(tlbbench, { N: '2', P: '2', F: '2' }); // shootdown: no violation, never stuck
    const r = simulateSync(m, { seed: 1, depth: 1e9, timeoutMs: 200 });
    expect(r.found).toBeUndefined();
    expect(r.stats.runs).toBe(1);
    expect(r.incompleteReason).toMatch(/^--timeout reached in walk 1$/);
  });

  it('deadlocks, action properties judged on transitions not taken, and an action that throws', () => {
    type V = { n: number };
    const S = Record<V>({ n: 0 });
    type St = ReturnType<typeof S>;
    const counter = (opts: { deadlock?: boolean; throwAt?: number; skip?: boolean }) => defineSpec({
      name: 'counter',
      build: () => ({
        init: S(),
        deadlock: opts.deadlock ?? true,
        actions: {
          Inc: { apply: (s: St) => { if (s.n === opts.throwAt) throw new Error('boom'); return s.n < 3 && change(s).set('n', s.n + 1); } },
          ...(opts.skip ? { Skip: { apply: (s: St) => s.n === 1 && s } } : {}),
        },
        ...(opts.skip ? { actionProperties: { NoSkip: { actions: ['Skip'], check: () => violated('skipped') } } } : {}),
      }),
    });
    const dl = simulateSync(model(counter({})), { seed: 9, depth: 10 });
    expect(dl.found!.finding).toMatchObject({ kind: 'deadlock', property: 'Deadlock', path: [0, 0, 0, 0] });
    // Skip is enabled at n = 1: judged there whether or not the walk takes it
    const sk = simulateSync(model(counter({ skip: true, deadlock: false })), { seed: 9, depth: 10 });
    expect(sk.found!.finding).toMatchObject({ kind: 'action', property: 'NoSkip', reason: 'skipped', path: [0, 0, 1] });
    const thrower = simulateSync(model(counter({ throwAt: 2, deadlock: false })), { seed: 1, depth: 10 });
    expect(thrower.status).toBe('error');
    expect(thrower.error!.message).toMatch(/^action Inc threw: boom/);
  });
});

