/**
 * examples/kernel-extension/: a secondary TLB (IOMMU/SVA device) added to the kernel model from
 * outside spec/. Every row of its suite has its verdict, the no-notifier trace tells the story,
 * and the example imports nothing of spec/ or src/ but their public entries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectVerdict, replay, runProperty } from './kernel-helpers.js';
import { Change, check, compile, defineSpec, selectProperties, type CompiledModel } from '../src/index.js';
import { kernelModel, rutland, shootdown, type Extension, type KernelState } from '../spec/index.js';
import { iommuSva, type IommuFields } from '../examples/kernel-extension/iommu.js';
import suite from '../examples/kernel-extension/suite.js';
import sva from '../examples/kernel-extension/sva.js';

type S = KernelState<IommuFields>;
const DIR = join(import.meta.dirname, '..', 'examples', 'kernel-extension');

const run = (constants: Readonly<Record<string, unknown>> | undefined, property: string) => runProperty<S>(sva, constants, property);

describe('kernel-extension suite: every row has its expected verdict', () => {
  for (const row of suite.rows) {
    it(`${row.variant} ${row.property} ${row.expect}`, () => {
      expect(row.spec).toBe(sva);
      expect(row.module).toBe('examples/kernel-extension/sva.ts');
      const { r } = run(row.constants, row.property);
      expectVerdict(row, r);
    });
  }
});

describe('kernel-extension traces', () => {
  for (const constants of [{ NOTIFIER: 'none', POLICY: 'shootdown' }, { NOTIFIER: 'registered', POLICY: 'mask-self-raw' }]) {
    it(`${constants.NOTIFIER}/${constants.POLICY}: the device fills x, the CPUs flush, f1 is freed and reused under the device`, () => {
      const { m, r } = run(constants, 'DeviceNoStale');
      const v = r.violations[0];
      expect(v.reason).toBe('the device translates A:x -> f1, but f1 is now a kernel page table');
      const { actions, states } = replay(m, v.path);
      const names = actions.map((a) => a.name);
      const fill = names.indexOf('DevFill');
      const flush = names.findIndex((n) => n === 'LocalFlushOnly' || n === 'FlushTlbMmRange');
      // the free: the step after which f1 is free again (ReleasePfn for the PFN vma, or TlbFinishMmu)
      const free = states.findIndex((s, i) => i > 0 && s.frame.get('f1') === 'free' && states[i - 1].frame.get('f1') !== 'free') - 1;
      expect(fill).toBeGreaterThanOrEqual(0);
      expect(flush).toBeGreaterThan(fill);
      expect(free).toBeGreaterThan(flush);
      expect(names.at(-1)).toBe('FrameAlloc');
      expect(states.at(-1)!.frame.get('f1')).toBe('kernel page table');
      // the entry survives from the fill to the end: nothing invalidated the device
      for (const s of states.slice(fill + 1)) expect(s.iotlb.get('A:x')).toBe('f1');
      // the CPU side is clean: no CPU still holds x
      for (const c of [0, 1]) expect(states.at(-1)!.tlb.get(c)!.has('A:x')).toBe(false);
    });
  }

  it('with the notifier, the end of flush_tlb_mm_range drops the device entry; without it, the entry stays', () => {
    for (const [NOTIFIER, kept] of [['registered', undefined], ['none', 'f1']] as const) {
      const m = compile(sva, [['NOTIFIER', NOTIFIER]]) as CompiledModel<S>;
      let s = m.inits[0];
      const step = (name: string, params: Record<string, unknown>) => {
        const a = m.instances.find((i) => i.name === name && Object.entries(params).every(([k, v]) => i.params[k] === v))!;
        const next = a.apply(s, a.params);
        expect(next, `${name} enabled`).toBeTruthy();
        s = (next instanceof Change ? next.materialize() : next) as S;
      };
      step('InsertPfn', { c: 0, t: 't0', k: 'A:x', f: 'f1' });
      step('DevFill', { k: 'A:x' });
      step('ZapPteRange', { c: 0, t: 't0', k: 'A:x' });
      expect(s.iotlb.get('A:x')).toBe('f1');
      step('FlushTlbMmRange', { c: 0 });
      // the notifier runs at the end of flush_tlb_mm_range, once CPU 1 has acked the IPI
      expect(s.iotlb.get('A:x')).toBe('f1');
      step('FlushTlbFunc', { c: 1 });
      expect(s.iotlb.get('A:x'), NOTIFIER).toBe(kept);
    }
  });

  it('every action family of the example names its kernel counterpart and its actor', () => {
    for (const f of compile(sva).families) {
      expect(f.def.doc, f.name).toBeTruthy();
      expect(f.def.actor, f.name).toBeTypeOf('function');
    }
  });
});

describe('extensions compose', () => {
  it('two extensions with different fields run together: the IOMMU and a flush counter, each sees its own fields', () => {
    interface Counted { flushes: number }
    const counter: Extension<Counted> = {
      name: 'flush counter',
      fields: { flushes: 0 },
      onFlush: () => (ch) => ch.set('flushes', Math.min((ch.get('flushes') as number) + 1, 2)),
      sometimes: () => ({ TwoFlushes: (s) => s.flushes === 2 }),
    };
    const model = kernelModel<IommuFields & Counted>({ name: 'two', doc: 'IOMMU + counter', world: rutland(), policy: shootdown }, iommuSva(), counter);
    const init = (Array.isArray(model.init) ? model.init[0] : model.init) as KernelState<IommuFields & Counted>;
    expect(init.flushes).toBe(0);
    expect(init.iotlb.size).toBe(0);
    const spec = defineSpec<KernelState<IommuFields & Counted>>({ name: 'two', build: () => model });
    const r = check(selectProperties(compile(spec), ['DeviceNoStale', 'NoStaleTranslation', 'TwoFlushes', 'DeviceFills']));
    expect(r.status).toBe('ok');
    expect(r.sometimes.every((w) => w.witness !== null)).toBe(true);
  });
});

describe('kernel-extension is an outside user of the API', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  it('has its modules', () => expect(files).toEqual(expect.arrayContaining(['iommu.ts', 'suite.ts', 'sva.ts'])));
  for (const f of files) {
    it(`${f} imports only kripke, kripke/kernel (by their entries), immutable and its own modules`, () => {
      const src = readFileSync(join(DIR, f), 'utf8');
      const specifiers = [...src.matchAll(/(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((x) => x[1]);
      const dynamic = [...src.matchAll(/\bimport\s*\(?\s*['"]([^'"]+)['"]/g)].map((x) => x[1]);
      expect(specifiers.length).toBeGreaterThan(0);
      for (const s of [...specifiers, ...dynamic]) {
        expect(['../../spec/index.js', '../../src/index.js', 'immutable'].includes(s) || /^\.\/[\w-]+\.js$/.test(s), `${f}: ${s}`).toBe(true);
      }
    });
  }
});
