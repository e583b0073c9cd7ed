/**
 * Rutland's world (mm A, t0 and t1 pinned to CPUs 0 and 1, the PFN vma x) with an IOMMU/SVA
 * device bound to A (iommu.ts). NOTIFIER: whether the SVA driver registered its mmu_notifier.
 * POLICY: the CPU-side flush (kripke/kernel's policies):
 *   shootdown      x86 v4.17 flush_tlb_mm_range (V0): IPI every other CPU in mm_cpumask, or flush
 *                  locally only when mm_cpumask ⊆ {self}; either way it calls the notifier
 *   mask-self-raw  V2a-raw: the same local-only guard, but a raw INVLPG (flush_tlb_one_user) instead
 *                  of flush_tlb_mm_range, so that path never reaches the notifier call (the
 *                  model's flush hooks run on every flush except a raw one)
 *
 *   npx kripke check examples/kernel-extension/sva.ts --const NOTIFIER=none --invariant DeviceNoStale
 */
import { kernelModel, maskSelfRaw, rutland, shootdown, type FlushPolicy, type KernelState } from '../../spec/index.js';
import { defineSpec } from '../../src/index.js';
import { iommuSva, type IommuFields } from './iommu.js';

const POLICIES: { readonly [name: string]: FlushPolicy } = { shootdown, 'mask-self-raw': maskSelfRaw };

export default defineSpec<KernelState<IommuFields>, {
  NOTIFIER: { default: string; values: string[]; doc: string };
  POLICY: { default: string; values: string[]; doc: string };
}>({
  name: 'kernel-iommu-sva',
  doc: 'an IOMMU/SVA device bound to mm A: a secondary TLB outside mm_cpumask, invalidated only by the mmu_notifier',
  constants: {
    NOTIFIER: { default: 'registered', values: ['registered', 'none'], doc: 'the SVA driver\'s mmu_notifier (none: the device is never invalidated)' },
    POLICY: { default: 'shootdown', values: Object.keys(POLICIES), doc: 'the CPU-side flush: shootdown (x86 v4.17) or mask-self-raw (local-only INVLPG under mask ⊆ {self})' },
  },
  build: ({ NOTIFIER, POLICY }) => kernelModel(
    {
      name: `iommu-${POLICY}${NOTIFIER === 'none' ? '-no-notifier' : ''}`,
      doc: `Rutland's world, ${POLICY} flushing, an SVA device bound to A (mmu_notifier ${NOTIFIER})`,
      world: rutland(),
      policy: POLICIES[POLICY],
    },
    iommuSva({ mm: 'A', notifier: NOTIFIER === 'registered' }),
  ),
});
