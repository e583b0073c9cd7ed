/**
 * Specs that once gave the encoded or the parallel path other counts or verdicts than the plain
 * reference (found by review): a Record of more than 32 fields rebuilt from a decoded one; a
 * Record copied from one position of the layout to another; class-based Records in values shared
 * between threads; more new values in one parallel round than the shared table first held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { check, checkParallel, compile, type Spec } from '../../src/index.js';
import wideRecord from '../fixtures/wideRecord.js';
import copyRecord from '../fixtures/copyRecord.js';
import classRecord from '../fixtures/classRecord.js';
import history from '../fixtures/history.js';

afterEach(() => {
  delete process.env.KRIPKE_NO_CODEC;
});

const summary = (r: ReturnType<typeof check>) => ({ status: r.status, distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth, violated: r.violations.map((v) => v.property), error: r.error?.message });

function paths(spec: Spec<unknown, any>) {
  const encoded = summary(check(compile(spec), { continue: true }));
  process.env.KRIPKE_NO_CODEC = '1';
  const plain = summary(check(compile(spec), { continue: true }));
  delete process.env.KRIPKE_NO_CODEC;
  return { encoded, plain };
}

describe('the encoded path agrees with the plain one', () => {
  it('a Record of 40 fields edited with set and rebuilt from a change keeps every field (no false violation)', () => {
    const { encoded, plain } = paths(wideRecord as Spec<unknown, any>);
    expect(plain).toMatchObject({ status: 'ok', distinct: 6 });
    expect(encoded).toEqual(plain);
  });
  it('a Record copied from one field to another is one state, not two', () => {
    const { encoded, plain } = paths(copyRecord as Spec<unknown, any>);
    expect(plain.distinct).toBe(864);
    expect(encoded).toEqual(plain);
  });
});

describe('the parallel path agrees with the sequential one', () => {
  it.each([
    ['copyRecord', 'test/fixtures/copyRecord.ts', copyRecord],
    ['classRecord', 'test/fixtures/classRecord.ts', classRecord],
    ['history (more new values in a round than the shared table first held)', 'test/fixtures/history.ts', history],
  ])('%s', async (_name, path, spec) => {
    const seq = summary(check(compile(spec as Spec<unknown, any>)));
    for (let i = 0; i < 2; i++) {
      const par = await checkParallel(path, [], { workers: 2 });
      expect(par.threads).toEqual({ asked: 2, used: 2 });
      expect(summary(par)).toEqual(seq);
    }
  });
});
