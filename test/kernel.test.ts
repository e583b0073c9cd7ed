/**
 * The kernel verdict table (spec/suite.ts), row by row, plus what the headline traces must show.
 */
import { describe, expect, it } from 'vitest';
import { expectVerdict, replay, runProperty } from './kernel-helpers.js';
import { compile, defineSpec, type Spec } from '../src/index.js';
import { noStaleUsable } from '../invariants/kernel.js';
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
    expect(v.reason).toMatch(/^thread t1 on CPU 1 accesses A:x .* -> f1, but f1 is now a kernel page table$/);
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
    // the trace ends with the harm: t1 on CPU 1 uses its stale entry after the reuse
    expect(names.at(-1)).toBe('Access:thread t1 on CPU 1');
  });

  it('V3: the window VA stays mapped throughout; the frame that was behind it is reused', () => {
    const { m, r } = run(kernel, { VARIANT: 'V3' }, 'NoStaleTranslation');
    const v = r.violations[0];
    expect(v.reason).toMatch(/^thread zt1 on CPU 1 accesses A:w0 .* -> f1, .* now a kernel page table$/);
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
    expect(v.reason).toMatch(/^thread t1 on CPU 1 accesses A:x through its stale TLB entry -> f1, but f1 is now a kernel page table$/);
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
    expect(v.reason).toMatch(/^thread t1 on CPU 1 accesses A:x through its stale TLB entry -> f1, but f1 is now/);
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
    expect(names.at(-2)).toBe('FrameAlloc:kernel (any CPU)');
    expect(names.at(-1)).toBe('Access:thread t1 on CPU 1');
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

  it('every action family has a lane and a code anchor (a kernel function in the version modelled, or the SDM for hardware); every decision explains itself', () => {
    const lanes = new Set<string>();
    for (const v of VARIANTS) {
      const m = compile(kernelSpec(v));
      for (const f of m.families) {
        const anchors = [f.def.anchor ?? []].flat();
        expect(anchors.length, `${v.name} ${f.name}`).toBeGreaterThan(0);
        const arm = v.world.arch === 'arm64';
        for (const a of anchors) {
          if (f.name.startsWith('Hw') || f.name === 'Access' || f.name === 'Store' || f.name === 'TlbiPerform') expect(a.file, `${v.name} ${f.name}`).toBe(arm ? 'Arm ARM' : 'Intel SDM Vol. 3A');
          else if (f.name === 'InvlpgbPerform') expect(a.file).toBe('AMD APM Vol. 3');
          else if (a.file.startsWith('fs/zuf')) expect(f.name).toMatch(/^Z(ufs|t)/); // out of tree, no version to link
          else if (a.file.startsWith('sslab-gatech/latr')) expect(v.world.latr, `${v.name} ${f.name}`).toBeDefined(); // the paper's code, out of tree
          else {
            expect(`${a.file}:${a.fn} ${a.version}`, `${v.name} ${f.name}`).toMatch(/^(arch\/x86\/(mm\/[a-z_]+\.c|include\/asm\/[a-z_]+\.h)|arch\/arm64\/(mm|include\/asm)\/[a-z_]+\.[ch]|mm\/[a-z_]+\.c):[a-z0-9_]+ v\d+\.\d+$/);
            expect(a.file, `${v.name} ${f.name}: the other architecture's code`).not.toMatch(arm ? /^arch\/x86\// : /^arch\/arm64\//);
          }
        }
        expect(f.def.lane, `${v.name} ${f.name}`).toBeTypeOf('function');
        for (let i = f.first; i < f.first + f.count; i++) lanes.add(f.def.lane!(m.instances[i].params as never));
      }
      const decisions = v.world.arch === 'arm64' ? ['TlbiPerform', 'DsbIsh']
        : v.world.invlpgb ? ['InvlpgbPerform', 'Tlbsync', 'LoadCr3']
        : v.world.latr ? ['LatrSweep', 'LatrFree', 'LoadCr3']
        : ['FlushTlbFunc', v.world.switchOrder === 'cr3-first' ? 'CpumaskSetCpu' : 'LoadCr3'];
      for (const name of ['SwitchMm', 'LocalFlushOnly', 'FlushTlbMmRange', 'Access', ...decisions]) {
        expect(m.families.find((f) => f.name === name)?.def.explain, `${v.name} ${name}`).toBeTypeOf('function');
      }
      expect(m.model.lanes?.slice(0, 4)).toEqual(['CPU 0', 'HW CPU 0', 'CPU 1', 'HW CPU 1']);
    }
    for (const l of lanes) expect(l).toMatch(/^(HW )?CPU \d$|^driver$|^kernel$/);
  });

  /** Where the thread can access only once its CPU finished switching to the mm (spec/suite.ts: their rows are 2 states longer). */
  const SWITCH_FIRST = ['V0b-fea4e317', 'V0b-83b0177a', 'V0-cr3-first'];
  it('NoStaleTranslation (on the access) and its state form noStaleUsable give the same verdicts, the access 1 or 2 states later; flagging free frames too gives the same verdicts, one step earlier', () => {
    for (const v of VARIANTS) {
      const state = defineSpec<State>({
        name: `state-${v.name}`,
        build: () => ({
          ...kernelModel(v),
          invariants: { Usable: noStaleUsable(kernelContext(v)), Strict: noStaleUsable(kernelContext(v), { includeFree: true }) },
        }),
      });
      const access = run(kernelSpec(v), undefined, 'NoStaleTranslation').r;
      const usable = run(state, undefined, 'Usable').r;
      const strict = run(state, undefined, 'Strict').r;
      // (a) the state form as an invariant, against the action form: the same verdict; the action
      // form's trace is one state longer (the access), two where the CPU must first finish its switch
      expect(usable.status, v.name).toBe(access.status);
      if (access.status === 'violation') {
        expect(access.violations[0].kind, v.name).toBe('action');
        expect(usable.violations[0].kind, v.name).toBe('invariant');
        expect(access.violations[0].length - usable.violations[0].length, v.name).toBe(SWITCH_FIRST.includes(v.name) ? 2 : 1);
      }
      // (b) flagging free frames too: the same verdict, one step earlier (the reuse is one FrameAlloc away)
      expect(strict.status, v.name).toBe(usable.status);
      if (usable.status === 'violation') expect(strict.violations[0].length, v.name).toBe(usable.violations[0].length - 1);
    }
  });
});
