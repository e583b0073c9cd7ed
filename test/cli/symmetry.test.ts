/**
 * `kripke check --symmetry`: the header line, orbit counts, both modes, real traces that replay
 * without it, the JSON report, and one-line refusals (a bad mode, no declaration, a broken one).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kripke, tempDir } from './helpers.js';

const FIX = 'test/cli/fixtures';

describe('kripke check --symmetry', () => {
  it('counts orbits: tlbbench at N=3 P=2 F=2 has 1,114, in both modes; the header names the set and its group', async () => {
    for (const mode of [[], ['sort'], ['exhaustive']]) {
      const r = await kripke('check', 'bench/tlbbench.ts', '--const', 'N=3', '--symmetry', ...mode, '--quiet', '--out', tempDir());
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Symmetry (${mode[0] ?? 'sort'}): CPUS {1, 2, 3} (6 permutations); one state per orbit`);
      expect(r.out).toMatch(/^1,114 distinct states found/m);
    }
    const plain = await kripke('check', 'bench/tlbbench.ts', '--const', 'N=3', '--quiet', '--out', tempDir());
    expect(plain.out).toMatch(/^4,967 distinct states found/m);
    expect(plain.out).not.toContain('Symmetry');
  });

  it('--symmetry before the spec path, or as --symmetry=MODE, means the same', async () => {
    const a = await kripke('check', '--symmetry', 'bench/tlbbench.ts', '--quiet', '--out', tempDir());
    const b = await kripke('check', 'bench/tlbbench.ts', '--symmetry=exhaustive', '--quiet', '--out', tempDir());
    expect(a.out).toMatch(/^296 distinct states found/m);
    expect(b.out).toMatch(/^296 distinct states found/m);
  });

  it('a counterexample found under symmetry is a real path: kripke replay confirms it without --symmetry', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'examples/mutex.ts', '--const', 'N=5', '--symmetry', '--quiet', '--out', dir);
    expect(r.code).toBe(12);
    expect(r.out).toMatch(/5 states \(4 actions\)/);
    const file = join(dir, 'mutex-N5-MutualExclusion.itf.json');
    const back = await kripke('replay', 'examples/mutex.ts', file);
    expect(back.code).toBe(0);
    expect(back.out).toMatch(/Confirmed: MutualExclusion is violated/);
  });

  it('the JSON report names the mode and the sets', async () => {
    const dir = tempDir();
    const r = await kripke('check', 'bench/tlbbench.ts', '--symmetry', '--reporter', 'json', '--quiet', '--out', dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'tlbbench.result.json'), 'utf8'));
    expect(doc.symmetry).toEqual({ mode: 'sort', sets: [{ name: 'CPUS', values: [1, 2] }] });
    expect(doc.stats.distinct).toBe(296);
  });

  it.each([
    [['bench/tlbbench.ts', '--symmetry=fast'], "kripke: error: --symmetry expects sort or exhaustive, got 'fast'\n"],
    [[`${FIX}/../../fixtures/counter.ts`, '--symmetry'], /^kripke: error: --symmetry: spec '.*' declares no symmetric sets \(see the README: Symmetry\)\n$/],
    [[`${FIX}/broken-symmetry.ts`, '--symmetry'], /^kripke: error: --symmetry: the spec breaks symmetry CPUS: action On\(c=2\) takes the permuted state to one that is no permutation of a successor \(from an initial state\) \(under CPUS 1↔2\)\n$/],
  ])('refused with one line and exit 151: %j', async (args, err) => {
    const r = await kripke('check', ...args, '--quiet', '--out', tempDir());
    expect(r.code).toBe(151);
    if (typeof err === 'string') expect(r.err).toBe(err);
    else expect(r.err).toMatch(err);
  });
});
