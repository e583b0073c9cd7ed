/**
 * A secondary TLB: an IOMMU/SVA device bound to one mm (guide §7.6 item 8). With Shared
 * Virtual Addressing the device's DMA goes through the process's own page tables (its PASID):
 * its ATS translation requests, or the IOMMU's page walks, fill an IOTLB / device ATC that
 * mm_cpumask knows nothing about. No CPU shootdown reaches it. x86 flush_tlb_mm_range calls
 * mmu_notifier_arch_invalidate_secondary_tlbs(mm, start, end) on every flush, and the SVA
 * driver's notifier (e.g. intel_arch_invalidate_secondary_tlbs, arm_smmu_mm_arch_invalidate_secondary_tlbs)
 * invalidates the device for the range.
 *
 * Written against the exported API only (`kripke/kernel`, `kripke`), as a kernel developer
 * outside the spec would write it:
 *   fields    iotlb: the device's entries for the bound mm, page key -> copy of the PTE
 *   init      checks that the world has the bound mm (the IOTLB starts empty: the default)
 *   actions   DevFill (ATS translation / IOMMU walk), DevEvict (IOTLB capacity)
 *   onFlush   the mmu_notifier; left out with `notifier: false` (a driver that never registered one)
 *   props     DeviceNoStale (invariant), DeviceFills (sometimes: the device does cache)
 */
import { Map as IMap } from 'immutable';
import { describeUse, isReused, keyMm, pteFrame, type Ctx, type Extension, type FlushHook, type Key, type KernelState, type Mm, type Pte } from '../../spec/index.js';
import { change, violated, type Verdict } from '../../src/index.js';

/** The extension's state: the device's IOTLB for the bound mm. */
export interface IommuFields {
  iotlb: IMap<Key, Pte>;
}
type S = KernelState<IommuFields>;

export interface IommuOptions {
  /** the mm the device is bound to (iommu_sva_bind_device(dev, mm)); default 'A' */
  readonly mm?: Mm;
  /** whether the SVA driver registered its mmu_notifier (default true) */
  readonly notifier?: boolean;
}

/**
 * mmu_notifier_arch_invalidate_secondary_tlbs(mm, start, end): a flush of the bound mm drops the
 * device's entries for the flushed range. Called at the end of flush_tlb_mm_range, once every IPI
 * is acked, so before mmu_gather (or the PFN driver) frees the frames (v6.6+; before 6.6 core mm
 * invalidated secondary TLBs through ->invalidate_range).
 */
const invalidateSecondaryTlbs = (mm: Mm): FlushHook<S> => (ch, op) => {
  if (op.mm !== mm) return ch;
  for (const k of op.keys) if ((ch.get('iotlb') as S['iotlb']).has(k)) ch = ch.removeIn(['iotlb', k]);
  return ch;
};

/** The IOMMU/SVA device bound to `mm`, as an extension of the kernel model. */
export function iommuSva({ mm = 'A', notifier = true }: IommuOptions = {}): Extension<IommuFields> {
  const who = `IOMMU (device bound to ${mm})`;
  const keysOf = ({ h }: Ctx) => h.keys.filter((k) => keyMm(k) === mm);
  return {
    name: notifier ? 'IOMMU SVA device TLB' : 'IOMMU SVA device TLB, no mmu_notifier',
    fields: { iotlb: IMap<Key, Pte>() },
    init: (s, { h }) => {
      if (!h.mms.includes(mm)) throw new Error(`the IOMMU is bound to mm ${mm}, which this world does not have (${h.mms.join(', ')})`);
      return s;
    },
    actions: (ctx) => ({
      DevFill: {
        params: { k: keysOf(ctx) },
        actor: () => who,
        doc: 'ATS translation request / IOMMU page walk of the bound mm (PASID): any present PTE, at any time, like HwFill',
        apply: (s: S, { k }: { k: Key }) => {
          const p = s.pte.get(k)!;
          return p !== '' && !s.iotlb.has(k) && change(s).setIn(['iotlb', k], p);
        },
      },
      DevEvict: {
        params: { k: keysOf(ctx) },
        actor: () => who,
        doc: 'IOTLB / device ATC eviction (capacity, replacement)',
        apply: (s: S, { k }: { k: Key }) => s.iotlb.has(k) && change(s).removeIn(['iotlb', k]),
      },
    }),
    ...(notifier ? { onFlush: () => invalidateSecondaryTlbs(mm) } : {}),
    invariants: () => ({
      DeviceNoStale: {
        doc: 'the device translates no page of the bound mm to a freed (and reused) frame',
        check: (s: S): Verdict => {
          for (const [k, e] of s.iotlb) {
            const f = pteFrame(e);
            const use = s.frame.get(f)!;
            if (isReused(use)) return violated(`the device translates ${k} -> ${f}, but ${f} is now ${describeUse(use)}`);
          }
          return true;
        },
      },
    }),
    sometimes: () => ({
      DeviceFills: { doc: 'the device holds a translation (DevFill is not vacuous)', check: (s: S) => !s.iotlb.isEmpty() },
    }),
  };
}
