/**
 * checkParallel (worker threads, level-synchronous) against check: same counts, statuses,
 * witnesses and shortest counterexample lengths.
 */
import { describe, expect, it } from 'vitest';
import { check, checkParallel, compile } from '../../src/index.js';
import grid from '../fixtures/gridSometimes.js';
import tlbbench from '../../bench/tlbbench.js';
import bag from '../../bench/specs/bag.js';
import { counts } from './helpers.js';

const GRID = 'test/fixtures/gridSometimes.ts';

function summary(r: Awaited<ReturnType<typeof checkParallel>>) {
  return {
    status: r.status,
    ...counts(r),
    violations: r.violations.map((v) => [v.property, v.length]),
    witnesses: r.sometimes.map((s) => [s.property, s.witness?.length ?? null]),
  };
}

describe('checkParallel with 2 workers', () => {
  it('at the depth limit, the same counts and the same (empty) queue as check', async () => {
    const seq = check(compile(tlbbench, [['N', '3'], ['P', '2'], ['F', '2']]), { maxDepth: 5 });
    const par = await checkParallel('bench/tlbbench.ts', [['N', '3'], ['P', '2'], ['F', '2']], { workers: 2, maxDepth: 5 });
    expect(par.status).toBe(seq.status);
    expect({ ...counts(par), queue: par.stats.queue }).toEqual({ ...counts(seq), queue: seq.stats.queue });
  });

  it('a spec whose Sets hold Records first built mid-search (by either worker) runs on both, with the counts of check', async () => {
    const consts: [string, string][] = [['M', '4'], ['W', '2']];
    const seq = check(compile(bag, consts));
    const par = await checkParallel('bench/specs/bag.ts', consts, { workers: 2 });
    expect(par.threads).toEqual({ asked: 2, used: 2 });
    expect(summary(par)).toEqual(summary(seq));
    // with the wrap-around bug: the same shortest counterexample length
    const bug: [string, string][] = [...consts, ['SEQ', '3']];
    const seqBug = check(compile(bag, bug));
    const parBug = await checkParallel('bench/specs/bag.ts', bug, { workers: 2 });
    expect(parBug.threads?.used).toBe(2);
    expect(summary(parBug)).toEqual(summary(seqBug));
  });

  it('a sometimes witness found early does not cut the level short (40,000 states)', async () => {
    const seq = check(compile(grid));
    expect(seq.stats.distinct).toBe(40_000);
    const par = await checkParallel(GRID, [], { workers: 2 });
    expect(summary(par)).toEqual(summary(seq));
    expect(par.sometimes[0].witness).toHaveLength(11);
  });

  it('an invariant violation deep in a wide level is reported at the same (minimal) depth', async () => {
    const consts: [string, string][] = [['BX', '120'], ['BY', '90']];
    const seq = check(compile(grid, consts));
    const par = await checkParallel(GRID, consts, { workers: 2 });
    expect(seq.violations[0].length).toBe(211);
    expect(par.status).toBe('violation');
    expect(par.violations[0].length).toBe(211);
  });

  it('tlbbench 3,2,2 agrees with check; MODE=local finds a counterexample of the same length', async () => {
    const full = await checkParallel('bench/tlbbench.ts', [['N', '3']], { workers: 2 });
    expect(summary(full)).toEqual(summary(check(compile(tlbbench, [['N', '3']]))));
    const local = await checkParallel('bench/tlbbench.ts', [['MODE', 'local']], { workers: 2 });
    const seq = check(compile(tlbbench, [['MODE', 'local']]));
    expect(local.status).toBe('violation');
    expect(local.violations.map((v) => [v.property, v.length])).toEqual(seq.violations.map((v) => [v.property, v.length]));
  });
});
