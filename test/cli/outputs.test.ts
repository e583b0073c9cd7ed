/**
 * What a check reports of itself: trace and report file names that carry the constants set to
 * other than their defaults (runs with other constants never overwrite each other), the number
 * of initial states, and how many worker threads really explored (and why fewer).
 */
import { availableParallelism } from 'node:os';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStem } from '../../src/cli/names.js';
import { threadsOf, workersLine } from '../../src/cli/workers.js';
import { checkParallel } from '../../src/core/parallel.js';
import { kripke, tempDir } from './helpers.js';

const C = (d: Record<string, number | string | boolean>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { default: v }]));

describe('file names', () => {
  it('runStem: the spec, then each constant that differs from its default, in declaration order', () => {
    const spec = { name: 'mutex', constants: C({ N: 2, MODE: 'shootdown', LAZY: false }) };
    expect(runStem(spec, { N: 2, MODE: 'shootdown', LAZY: false })).toBe('mutex');
    expect(runStem(spec, { N: 3, MODE: 'shootdown', LAZY: false })).toBe('mutex-N3');
    expect(runStem(spec, { N: 3, MODE: 'local', LAZY: true })).toBe('mutex-N3-local-LAZYtrue');
    expect(runStem(spec, { LAZY: true, MODE: 'local', N: 2 })).toBe('mutex-local-LAZYtrue');
    expect(runStem({ name: 'kernel', constants: C({ VARIANT: 'V0' }) }, { VARIANT: 'V2c-self' })).toBe('kernel-V2c-self');
  });
  it('sanitised one character at a time, so that V3\' and V3\'\' stay apart; an empty string is named', () => {
    const spec = { name: 'my spec', constants: C({ VARIANT: 'V0', S: 'x' }) };
    expect(runStem(spec, { VARIANT: "V3'", S: 'x' })).toBe('my_spec-V3_');
    expect(runStem(spec, { VARIANT: "V3''", S: 'x' })).toBe('my_spec-V3__');
    expect(runStem(spec, { VARIANT: 'a/b c', S: '' })).toBe('my_spec-a_b_c-S_');
  });
  it('check: runs with other constants write other files (mutex-N3-MutualExclusion.itf.json), the default keeps its name', async () => {
    const dir = tempDir();
    for (const c of [[], ['--const', 'N=3'], ['--const', 'N=2']]) {
      expect((await kripke('check', 'examples/mutex.ts', ...c, '--out', dir, '--quiet', '--reporter', 'json')).code).toBe(12);
    }
    expect(readdirSync(dir).sort()).toEqual(['mutex-MutualExclusion.itf.json', 'mutex-N3-MutualExclusion.itf.json', 'mutex-N3.result.json', 'mutex.result.json']);
  });
  it('the kernel spec: kernel-V1-hyp-munmap-NoStaleTranslation.itf.json, as the golden traces are named', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--out', dir, '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toContain(`Trace file: ${join(dir, 'kernel-V1-hyp-munmap-NoStaleTranslation.itf.json')}`);
    expect(existsSync(join(dir, 'kernel-V1-hyp-munmap-NoStaleTranslation.itf.json'))).toBe(true);
    expect(existsSync(join('traces', 'kernel-V1-hyp-munmap-NoStaleTranslation.itf.json'))).toBe(true);
  });
  it('a witness file: <stem>-<property>-witness.itf.json', async () => {
    const dir = tempDir();
    await kripke('check', 'test/fixtures/multiInit.ts', '--invariant', 'SeesSeven', '--out', dir, '--quiet');
    expect(readdirSync(dir)).toEqual(['multi-init-SeesSeven-witness.itf.json']);
  });
});

describe('counts', () => {
  it('the number of initial states is printed, and counted in the states generated', async () => {
    const r = await kripke('check', 'test/fixtures/multiInit.ts', '--invariant', 'SeesSeven', '--quiet');
    expect(r.out).toMatch(/^10 distinct states found, 12 states generated \(3 initial, 9 transitions\), depth 5, 0 states left on queue$/m);
    expect(r.out).toMatch(/^[\d.]+ s: [\d,]+\/s distinct, [\d,]+\/s generated/m);
  });
});

describe('workers', () => {
  it('the line says how many threads ran, and why if fewer', () => {
    const ok = { threads: { asked: 2, used: 2 } } as never;
    expect(workersLine(threadsOf(2, 2, ok))).toBe('Workers: 2 threads explored the state space (level-synchronous BFS).');
    const one = { threads: { asked: 2, used: 1, reason: 'because' } } as never;
    expect(workersLine(threadsOf(2, 2, one))).toBe('Workers: 1 thread explored the state space, not the 2 asked for: because.');
    expect(threadsOf(8, 1, {} as never)).toEqual({ requested: 8, threads: 1, reason: '--workers 8 is more than the 1 CPU(s) of this machine' });
    expect(workersLine(threadsOf(1, 1, {} as never))).toBeNull();
  });
  it('checkParallel says how many threads explored: 2 for tlbbench; 1 with --max-states, and why', async () => {
    const par = await checkParallel('bench/tlbbench.ts', [], { workers: 2 });
    expect(par.threads).toEqual({ asked: 2, used: 2 });
    const capped = await checkParallel('bench/tlbbench.ts', [], { workers: 2, maxStates: 100 });
    expect(capped.threads).toEqual({ asked: 2, used: 1, reason: 'a search with --max-states runs in one thread' });
    const single = await checkParallel('bench/tlbbench.ts', [], { workers: 1 });
    expect(single.threads).toEqual({ asked: 1, used: 1 });
  });
  it('checkParallel on the kernel spec runs on 2 threads, with the verdict and counterexample of 1 thread', async () => {
    const r = await checkParallel('spec/kernel.ts', [['VARIANT', 'V1-hyp-munmap']], { workers: 2, properties: ['NoStaleTranslation'] });
    expect(r.threads).toEqual({ asked: 2, used: 2 });
    const one = await checkParallel('spec/kernel.ts', [['VARIANT', 'V1-hyp-munmap']], { workers: 1, properties: ['NoStaleTranslation'] });
    expect(r.status).toBe('violation');
    expect(r.violations.map((v) => v.path)).toEqual(one.violations.map((v) => v.path));
    expect(r.stats.distinct).toBe(one.stats.distinct);
  });
  it.runIf(availableParallelism() >= 2)('kripke check spec/kernel.ts --workers 2 says 2 threads ran; on the plain path it says 1 and why (text and JSON)', async () => {
    const r = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--workers', '2', '--out', tempDir(), '--quiet');
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/^Workers: 2 threads explored the state space \(level-synchronous BFS\)\.$/m);
    process.env.KRIPKE_NO_CODEC = '1';
    try {
      const p = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--workers', '2', '--out', tempDir(), '--quiet');
      expect(p.out).toMatch(/^Workers: 1 thread explored the state space, not the 2 asked for: the plain representation \(KRIPKE_NO_CODEC\) runs in one thread\.$/m);
      const j = await kripke('check', 'spec/kernel.ts', '--const', 'VARIANT=V1-hyp-munmap', '--invariant', 'NoStaleTranslation', '--workers', '2', '--reporter', 'json', '--out', '-', '--quiet');
      expect(JSON.parse(j.out).workers).toMatchObject({ requested: 2, threads: 1, reason: expect.stringMatching(/plain representation/) });
    } finally {
      delete process.env.KRIPKE_NO_CODEC;
    }
  });
  it.runIf(availableParallelism() >= 2)('tlbbench with --workers 2: 2 threads; without --workers: no line', async () => {
    const r = await kripke('check', 'bench/tlbbench.ts', '--workers', '2', '--quiet');
    expect(r.out).toMatch(/^Workers: 2 threads explored the state space \(level-synchronous BFS\)\.$/m);
    expect((await kripke('check', 'bench/tlbbench.ts', '--quiet')).out).not.toMatch(/Workers/);
  });
});
