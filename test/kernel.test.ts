/**
 * The kernel verdict table (spec/suite.ts), row by row, plus what the headline traces must show.
 */
import { describe, expect, it } from 'vitest';
import { expectVerdict, replay, runProperty } from './kernel-helpers.js';
import { compile, defineSpec, type Spec } from '../src/index.js';
import { noStaleTranslation } from '../invariants/kernel.js';
import kernel from '../spec/kernel.js';
import type { KernelState as State } from '../spec/model/state.js';
import suite from '../spec/suite.js';
import { kernelContext, kernelModel, kernelSpec } from '../spec/variant.js';
import { VARIANTS } from '../spec/variants.js';
import { maskSelfRaw } from '../spec/policies/mask-guard.js';
import { rutlandLazy, rutlandMainline } from '../spec/worlds.js';

const run = (spec: (typeof suite.rows)[number]['spec'], constants: Record<string, unknown> | undefined, property: string) =>
  runProperty<State>(spec as Spec<State>, constants, property);

describe('kernel suite: every row has its expected verdict', () => {
  for (const row of suite.rows) {
    it(`${row.variant} ${row.property} ${row.expect}`, () => {
      const { r } = run(row.spec, row.constants, row.property);
      expectVerdict(row, r);
    });
  }
});

describe('kernel traces', () => {
  it("V1-hyp-munmap reads like Rutland's x/y example: fill on CPU 1, local flush on CPU 0, free, reuse", () => {
    const { m, r } = run(kernel, { VARIANT: 'V1-hyp-munmap' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:x -> f1 .* but f1 is now a kernel page table$/);
    const { actions } = replay(m, v.path);
    const names = actions.map((a) => `${a.name}:${a.family.def.actor?.(a.params)}`);
    const fill = names.indexOf('HwFill:HW CPU 1');
    const local = names.indexOf('LocalFlushOnly:CPU 0');
    // a PFNMAP zap frees nothing: the driver releases the page once munmap returned
    const free = names.indexOf('ReleasePfn:driver (any CPU)');
    const reuse = names.findIndex((n) => n.startsWith('FrameAlloc:'));
    expect(names[0]).toBe('InsertPfn:thread t0 on CPU 0');
    expect(fill).toBeGreaterThan(0);
    expect(local).toBeGreaterThan(fill);
    expect(free).toBeGreaterThan(local);
    expect(reuse).toBeGreaterThan(free);
    expect(names).not.toContain('FlushTlbMmRange:CPU 0');
  });

  it('V3: the window VA stays mapped throughout; the frame that was behind it is reused', () => {
    const { m, r } = run(kernel, { VARIANT: 'V3' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:w0 -> f1 .* now a kernel page table$/);
    const { actions, states } = replay(m, v.path);
    // never freed: the window PTE is present in every state (drain page or app page)
    for (const s of states) expect(s.pte.get('A:w0')).not.toBe('');
    expect(states.map((s) => s.pte.get('A:w0'))).toContain('f1');
    const names = actions.map((a) => a.name);
    expect(names).toContain('ZtUnmapPages');
    expect(names.indexOf('HwFill')).toBeLessThan(names.indexOf('ZtUnmapPages'));
    // the app frees its buffer in its own mm (B), with its own correct flush
    const zap = actions.find((a) => a.name === 'ZapPteRange')!;
    expect(zap.params.k).toBe('B:b');
    expect(states.at(-1)!.frame.get('f1')).toBe('kernel page table');
  });

  it('V1-mremap: the old range is flushed locally, munmap of the new range shoots down only that range, the frame is reused under the old x', () => {
    const { m, r } = run(kernel, { VARIANT: 'V1-mremap' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:x -> f1 \(thread t1\), but f1 is now a kernel page table$/);
    const { actions, states } = replay(m, v.path);
    const names = actions.map((a) => `${a.name}:${a.family.def.actor?.(a.params)}`);
    const move = names.indexOf('Mremap:thread t0 on CPU 0');
    expect(names.indexOf('HwFill:HW CPU 1')).toBeLessThan(move);
    expect(names[move + 1]).toBe('LocalFlushOnly:CPU 0');
    const zap = actions.findIndex((a) => a.name === 'ZapPteRange');
    expect(actions[zap].params.k).toBe('A:y');
    expect(names.slice(zap)).toContain('FlushTlbMmRange:CPU 0');
    expect(states.at(-1)!.pte.get('A:x')).toBe('');
  });

  it('V1-mprotect: after mprotect(PROT_READ) returned, CPU 1 can still write through its entry', () => {
    const { m, r } = run(kernel, { VARIANT: 'V1-mprotect' }, 'NoStaleAfterReturn');
    const v = r.violations[0];
    expect(v.reason).toBe('CPU 1 (thread t1) can still write A:x -> f1, but the routine that changed the PTE returned (PTE A:x is f1:ro)');
    const names = replay(m, v.path).actions.map((a) => a.name);
    expect(names.slice(-2)).toEqual(['Mprotect', 'LocalFlushOnly']);
  });

  it('V2a-raw-pcid: CPU 1 fills x between clearing its bit and loading CR3; the raw flush leaves its context current, and the return revives it', () => {
    const { m, r } = run(kernel, { VARIANT: 'V2a-raw-pcid' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^CPU 1 translates A:x -> f1 \(thread t1\), but f1 is now/);
    const { actions, states } = replay(m, v.path);
    const names = actions.map((a) => `${a.name}:${a.family.def.actor?.(a.params)}`);
    const leave = names.indexOf('SwitchMm:CPU 1');
    const fill = names.indexOf('HwFill:HW CPU 1');
    const cr3 = names.indexOf('LoadCr3:CPU 1');
    expect(leave).toBeLessThan(fill);
    expect(fill).toBeLessThan(cr3);
    expect(states[fill + 1].mask.get('A')!.has(1)).toBe(false);
    // CPU 1 comes back to A (its last CR3 load) without a flush, then the frame is freed and reused
    expect(names.lastIndexOf('LoadCr3:CPU 1')).toBeGreaterThan(names.indexOf('LocalFlushOnly:CPU 0'));
    expect(states[names.lastIndexOf('LoadCr3:CPU 1') + 1].tlb.get(1)!.get('A:x')).toBe('f1');
    expect(names.at(-1)).toBe('FrameAlloc:kernel (any CPU)');
    // no flush ever bumped A's tlb_gen
    expect(states.every((s) => s.gen.get('A') === 0)).toBe(true);
  });

  it('V0b-fea4e317: CPU 1 fills x between its CR3 load and loaded_mm := A, and the flush skips it as LOADED_MM_SWITCHING', () => {
    const { m, r } = run(kernel, { VARIANT: 'V0b-fea4e317' }, 'NoStaleTranslation');
    const { actions, states } = replay(m, r.violations[0].path);
    const names = actions.map((a) => a.name);
    const flush = names.indexOf('LocalFlushOnly');
    const load = names.lastIndexOf('LoadCr3');
    const fill = names.indexOf('HwFill');
    expect(load).toBeLessThan(fill);
    expect(fill).toBeLessThan(flush);
    // states[i] is the state before actions[i]
    expect(states[flush].loaded.get(1)).toBe('switching');
    expect(states[flush].cr3.get(1)).toBe('A');
    expect(states[flush].mask.get('A')!.has(1)).toBe(true);
    expect(names).not.toContain('FlushTlbMmRange');
  });

  it('a raw local flush is taken only where the policy flushes locally, not where the era skips a lazy CPU (found by review)', () => {
    for (const world of [rutlandLazy('gen-check'), rutlandMainline()]) {
      const spec = kernelSpec({ name: 'raw-lazy', doc: 'mask-self-raw on a lazy world', world, policy: maskSelfRaw });
      const r = run(spec, undefined, 'NoStaleTranslation').r;
      expect(r.status, world.lazy).toBe('ok');
    }
  });

  it('V2b: the mask is read before CPU 1 switches in, and the flush uses that read', () => {
    const { m, r } = run(kernel, { VARIANT: 'V2b' }, 'NoStaleTranslation');
    const names = replay(m, r.violations[0].path).actions.map((a) => a.name);
    const read = names.indexOf('ReadMmCpumask');
    expect(names.indexOf('LoadCr3', read)).toBeGreaterThan(read);
    expect(names.indexOf('ZapPteRange')).toBeGreaterThan(names.indexOf('HwFill'));
  });
});

describe('kernel model hygiene', () => {
  it('every action family names its kernel counterpart and its actor; every suite note is one line', () => {
    for (const v of VARIANTS) {
      const m = compile(kernelSpec(v));
      for (const f of m.families) {
        expect(f.def.doc, `${v.name} ${f.name}`).toBeTruthy();
        expect(f.def.actor, `${v.name} ${f.name}`).toBeTypeOf('function');
      }
    }
    for (const row of suite.rows) expect(row.note ?? '').toMatch(/^[^\n]+$/);
  });

  it('NoStaleTranslation flags reused frames only; flagging free frames too gives the same verdicts, one step earlier', () => {
    for (const v of VARIANTS) {
      const strict = defineSpec<State>({
        name: `strict-${v.name}`,
        build: () => ({ ...kernelModel(v), invariants: { Strict: noStaleTranslation(kernelContext(v), { includeFree: true }) } }),
      });
      const a = run(kernelSpec(v), undefined, 'NoStaleTranslation').r;
      const b = run(strict, undefined, 'Strict').r;
      expect(b.status, v.name).toBe(a.status);
      if (a.status === 'violation') expect(b.violations[0].length, v.name).toBe(a.violations[0].length - 1);
    }
  });
});
