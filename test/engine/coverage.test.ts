/**
 * Coverage: per action family, how many transitions it produced (duplicates included) and which
 * instances were never enabled.
 */
import { describe, expect, it } from 'vitest';
import { check, compile } from '../../src/index.js';
import params from '../fixtures/params.js';
import deadlock from '../fixtures/deadlock.js';
import constrained from '../fixtures/constrained.js';
import pathGraph from '../fixtures/pathGraph.js';
import actionProp from '../fixtures/actionProp.js';
import tlbbench from '../../bench/tlbbench.js';
import { run } from './helpers.js';

describe('coverage', () => {
  it('params fixture: fired counts and never-enabled instances, by name and parameters', () => {
    const r = run(params);
    expect(r.coverage).toEqual([
      { family: 'Set', fired: 20, instances: 6, neverEnabled: ['Set(a=0, b=2)', 'Set(a=1, b=2)'] },
      { family: 'Bump', fired: 1, instances: 1, neverEnabled: [] },
      { family: 'Dead', fired: 0, instances: 2, neverEnabled: ['Dead(x=p)', 'Dead(x=q)'] },
    ]);
  });

  it('a never-enabled family without parameters', () => {
    const r = run(deadlock, { DEADLOCK: false });
    expect(r.coverage).toEqual([
      { family: 'Inc', fired: 3, instances: 1, neverEnabled: [] },
      { family: 'Never', fired: 0, instances: 1, neverEnabled: ['Never'] },
    ]);
  });

  it('states outside the constraint are not expanded, so their actions do not fire', () => {
    const r = run(constrained, { LIMIT: 6 });
    expect(r.coverage).toEqual([{ family: 'Inc', fired: 6, instances: 1, neverEnabled: [] }]);
  });

  it('the path graph: Move fires 2(K-1) times, both instances enabled', () => {
    const r = run(pathGraph, { K: 9 });
    expect(r.coverage).toEqual([{ family: 'Move', fired: 16, instances: 2, neverEnabled: [] }]);
    expect(run(pathGraph, { K: 2, START: 0 }).coverage[0].fired).toBe(2);
  });

  it('transitions into already-seen states count (Reset always leads to the initial state)', () => {
    const r = run(actionProp, { K: 4 }, { continue: true });
    expect(r.coverage.map((c) => [c.family, c.fired])).toEqual([
      ['Inc', 4],
      ['Reset', 4],
    ]);
  });

  it('tlbbench 2,2,2: coverage sums to the transitions; every instance is enabled somewhere', () => {
    const m = compile(tlbbench, [['N', 2], ['P', 2], ['F', 2]]);
    const r = check(m);
    expect(r.coverage.reduce((a, c) => a + c.fired, 0)).toBe(2_324);
    expect(r.coverage.map((c) => [c.family, c.instances])).toEqual([
      ['SwitchIn', 2],
      ['SwitchOut', 2],
      ['TrimMask', 2],
      ['Map', 8],
      ['Fill', 4],
      ['Unmap', 4],
      ['Ack', 2],
      ['Release', 1],
    ]);
    for (const c of r.coverage) expect(c.neverEnabled).toEqual([]);
  });

  it('coverage of a run stopped early covers what was explored', () => {
    const r = run(params, {}, { maxStates: 2 });
    expect(r.status).toBe('incomplete');
    // stopped while expanding Init: Set(0,0) gave a duplicate, Set(0,1) the second state
    expect(r.coverage[0].fired).toBe(2);
    expect(r.coverage[1].fired).toBe(0);
  });
});
