/**
 * Symmetry reduction on the kernel spec (spec/model/symmetry.ts): the declared sets give the same
 * verdicts and trace lengths as the unreduced search, with the orbit counts pinned ('sort' and
 * 'exhaustive' agree), reduced counterexamples are real paths, and a wrong declaration (CPU 0,
 * the mapper's CPU; V2b's pages; an extension's undeclared frames) is refused.
 */
import { describe, expect, it } from 'vitest';
import { replay } from './kernel-helpers.js';
import { check, compile, defineSpec, KripkeError, selectProperties, type CheckResult, type CompiledModel } from '../src/index.js';
import { iommuSva } from '../examples/kernel-extension/iommu.js';
import kernel from '../spec/kernel.js';
import { kernelModel, renamePte, rutland, shootdown, symmetricValues, variant, kernelSymmetry, type KernelState } from '../spec/index.js';
import { DEFAULT_SIZE, type Size } from '../spec/worlds.js';

type S = KernelState;
const compiled = (v: string, c: Partial<Record<'CPUS' | 'FRAMES' | 'PAGES' | 'ROUTINES', number>>, property: string) =>
  selectProperties(compile(kernel, [['VARIANT', v], ...Object.entries(c).map(([k, x]) => [k, String(x)] as [string, string])]), [property]) as CompiledModel<S>;

/** What must not change with symmetry: the status, the violated property and its length, the witness's length. */
const verdict = (r: CheckResult) => ({
  status: r.status,
  violations: r.violations.map((v) => [v.property, v.length]),
  witnesses: r.sometimes.map((w) => w.witness?.length ?? null),
});

const sets = (m: CompiledModel<S>) => Object.fromEntries((m.symmetry?.sets ?? []).map((s) => [s.name, s.values]));

// [variant, constants, property, distinct states without symmetry, orbits, the declared sets]
const ROWS: [string, Partial<Record<'CPUS' | 'FRAMES' | 'PAGES' | 'ROUTINES', number>>, string, number, number, Record<string, unknown[]>][] = [
  ['V0', { CPUS: 3 }, 'NoStaleTranslation', 8600, 2565, { CPUS: [1, 2], FRAMES: ['f1', 'f2'] }],
  ['V1-hyp-munmap', { CPUS: 3 }, 'NoStaleTranslation', 3295, 1050, { CPUS: [1, 2], FRAMES: ['f1', 'f2'] }],
  ['V1-mprotect', { CPUS: 3 }, 'NoStaleAfterReturn', 631, 242, { CPUS: [1, 2], FRAMES: ['f1', 'f2'] }],
  ['V0-pcid', {}, 'DormantStale', 4950, 2575, { FRAMES: ['f1', 'f2'] }],
  ['V4c', { CPUS: 3 }, 'NoStaleTranslation', 3763, 1186, { CPUS: [1, 2], FRAMES: ['f1', 'f2'] }],
  ['V0b', {}, 'GuardTrue', 13610, 7045, { FRAMES: ['f1', 'f2'] }],
  ['V0', { FRAMES: 3 }, 'NoStaleTranslation', 8750, 1870, { FRAMES: ['f1', 'f2', 'f3'] }],
  ['V0', { PAGES: 2 }, 'NoStaleTranslation', 4144, 1269, { FRAMES: ['f1', 'f2'], PAGES: ['A:x', 'A:x+1'] }],
  // two mappers t0, t1 on CPUs 0 and 1, each free to map and unmap both vmas: CPUs 0 and 1 are interchangeable
  ['V0', { ROUTINES: 2 }, 'NoStaleTranslation', 8208, 2137, { CPUS: [0, 1], FRAMES: ['f1', 'f2'] }],
  ['V2c-singleton', { CPUS: 3 }, 'NoStaleTranslation', 273, 160, { CPUS: [1, 2] }],
  ['V3', { CPUS: 3 }, 'NoStaleTranslation', 5578, 3203, { CPUS: [1, 2] }],
];

describe('kernel symmetry: same verdicts, fewer states', () => {
  for (const [v, c, property, plain, orbits, declared] of ROWS) {
    it(`${v} ${JSON.stringify(c)} ${property}: ${plain} states, ${orbits} orbits`, () => {
      const m = compiled(v, c, property);
      expect(sets(m)).toEqual(declared);
      const r = check(m);
      const sorted = check(m, { symmetry: 'sort' });
      expect(r.stats.distinct).toBe(plain);
      expect(sorted.stats.distinct).toBe(orbits);
      expect(verdict(sorted)).toEqual(verdict(r));
      if (orbits < 3000) {
        const exhaustive = check(m, { symmetry: 'exhaustive' });
        expect(exhaustive.stats.distinct).toBe(orbits);
        expect(verdict(exhaustive)).toEqual(verdict(r));
      }
    });
  }

  it('a reduced counterexample is a real path: every step is enabled without symmetry and the last step violates', () => {
    for (const [v, c, property] of [['V1-hyp-munmap', { CPUS: 3 }, 'NoStaleTranslation'], ['V4c', { CPUS: 3 }, 'NoStaleTranslation']] as const) {
      const m = compiled(v, c, property);
      const violation = check(m, { symmetry: 'sort' }).violations[0];
      const { actions, states } = replay(m, violation.path);
      expect(states).toHaveLength(violation.length);
      for (const s of states) expect(s, `${v}: a step of the trace is not enabled`).toBeTruthy();
      // NoStaleTranslation is an action property (on Access): the last step violates it, no earlier one does
      const [p] = m.actionProperties;
      expect(p.name).toBe(property);
      const judged = (i: number) => (p.families.has(actions[i].family.index) ? p.check(states[i], actions[i], states[i + 1]) : true);
      expect(p.families.has(actions.at(-1)!.family.index)).toBe(true);
      expect(judged(actions.length - 1)).not.toBe(true);
      for (let i = 0; i < actions.length - 1; i++) expect(judged(i)).toBe(true);
    }
  });

  it('at the default size only the InsertPfn pool is declared; reclaim and zuf have nothing to declare', () => {
    for (const name of ['V0', 'V1-mremap', 'V0b', 'V0-mixed']) {
      const v = variant(name);
      expect(symmetricValues(v.world, v.policy), name).toEqual({ cpus: [], frames: ['f1', 'f2'], pages: [] });
    }
    const m = compiled('V3', {}, 'NoStaleTranslation');
    expect(m.symmetry).toBeNull();
    expect(() => check(m, { symmetry: 'sort' })).toThrow(/declares no symmetric sets/);
  });

  it('what each world declares at 4 CPUs, 3 frames, 2 pages (mremap: no pages; mixed: only the CPUs that start idle)', () => {
    const z: Size = { cpus: 4, frames: 3, pages: 2, routines: 1 };
    const of = (name: string, size: Size = z) => {
      const v = variant(name, size);
      return symmetricValues(v.world, v.policy);
    };
    const pool = ['f1', 'f2', 'f3'];
    expect(of('V0')).toEqual({ cpus: [1, 2, 3], frames: pool, pages: ['A:x', 'A:x+1'] });
    expect(of('V0b')).toEqual({ cpus: [1, 2, 3], frames: pool, pages: ['A:x', 'A:x+1'] });
    expect(of('V1-mremap')).toEqual({ cpus: [1, 2, 3], frames: pool, pages: [] });
    // the early mask read samples the vma's first page
    expect(of('V2b')).toEqual({ cpus: [1, 2, 3], frames: pool, pages: [] });
    // reclaim names B:z page by page; t0 and t1 start on CPUs 0 and 1
    expect(of('V0-mixed')).toEqual({ cpus: [2, 3], frames: pool, pages: ['A:x', 'A:x+1'] });
    // t1 maps and unmaps too: CPU 1 joins CPU 0, not the others (ties: the first class)
    expect(of('V0', { ...z, routines: 2, cpus: 5 })).toEqual({ cpus: [2, 3, 4], frames: pool, pages: ['A:x', 'A:x+1'] });
    const small = { ...DEFAULT_SIZE, cpus: 4 };
    expect(of('V2c-self', small)).toEqual({ cpus: [1, 2, 3], frames: [], pages: [] });
    expect(of('V3', small)).toEqual({ cpus: [1, 2, 3], frames: [], pages: [] });
    // one mm per ZT: renaming CPUs would rename the mms A1, A2, ... too
    expect(of("V3''", small)).toEqual({ cpus: [], frames: [], pages: [] });
  });
});

describe('kernel symmetry: wrong declarations are refused', () => {
  /** A kernel variant's model with the given values declared symmetric instead of the derived ones. */
  const declaring = (name: string, size: Partial<Size>, values: Partial<ReturnType<typeof symmetricValues>>) => {
    const v = variant(name, { ...DEFAULT_SIZE, ...size });
    const symmetry = kernelSymmetry(v.world, { cpus: [], frames: [], pages: [], ...values });
    return compile(defineSpec({ name: `wrong-${name}`, build: () => ({ ...kernelModel(v), symmetry }) }));
  };
  const refusal = (m: CompiledModel<any>) => {
    try {
      check(m, { symmetry: 'sort' });
    } catch (e) {
      expect(e).toBeInstanceOf(KripkeError);
      expect((e as KripkeError).kind).toBe('config');
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('CPU 0 runs the mapper t0: declaring it with the remote CPUs is refused', () => {
    expect(refusal(declaring('V0', { cpus: 3 }, { cpus: [0, 1, 2] }))).toMatch(/breaks symmetry CPUS: .*InsertPfn/);
    expect(refusal(declaring('V0b', { cpus: 3 }, { cpus: [0, 1, 2] }))).toMatch(/breaks symmetry CPUS/);
  });

  it('with ROUTINES=2, t1 maps too: CPU 1 with the other remote CPUs is refused', () => {
    expect(refusal(declaring('V0', { cpus: 3, routines: 2 }, { cpus: [1, 2] }))).toMatch(/breaks symmetry CPUS: .*ZapPteRange/);
  });

  it("V2b's early mask read is keyed to the vma's first page: its pages are refused", () => {
    expect(refusal(declaring('V2b', { pages: 2 }, { pages: ['A:x', 'A:x+1'] }))).toMatch(/breaks symmetry PAGES: .*ReadMmCpumask/);
  });

  it("mremap moves page i to page i: one vma's pages alone are refused", () => {
    expect(refusal(declaring('V1-mremap', { pages: 2 }, { pages: ['A:x', 'A:x+1'] }))).toMatch(/breaks symmetry PAGES: .*Mremap/);
  });

  it("mixed: kswapd reclaims B:z alone, so z's pages are refused (the end-of-search sample finds it; at FRAMES=1 it does not)", () => {
    expect(refusal(declaring('V0-mixed', { pages: 2 }, { pages: ['B:z', 'B:z+1'] }))).toMatch(/breaks symmetry PAGES: .*Reclaim/);
  });

  it('zuf: the drain page and the app page are not interchangeable', () => {
    expect(refusal(declaring('V3', {}, { frames: ['f0', 'f1'] }))).toMatch(/breaks symmetry FRAMES/);
  });

  it("an extension whose field holds frames is refused until it declares the field's paths", () => {
    const world = rutland();
    const spec = (ext: ReturnType<typeof iommuSva>) =>
      compile(defineSpec({ name: 'iommu', build: () => kernelModel({ name: 'iommu', doc: '', world, policy: shootdown }, ext) }));
    const bare = iommuSva({ notifier: false });
    expect(refusal(spec(bare))).toMatch(/breaks symmetry FRAMES: .*DevFill/);
    const declared = spec({ ...bare, symmetry: () => ({ frames: { refs: [{ path: 'iotlb.*', map: renamePte }] }, pages: { keys: ['iotlb'] } }) });
    const r = check(declared);
    const sorted = check(declared, { symmetry: 'sort' });
    expect(verdict(sorted)).toEqual(verdict(r));
    expect(sorted.violations[0]).toMatchObject({ property: 'DeviceNoStale', length: 8 });
    expect([r.stats.distinct, sorted.stats.distinct]).toEqual([1238, 683]);
  });
});
