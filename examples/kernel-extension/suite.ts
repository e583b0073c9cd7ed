/**
 * The verdict table of the IOMMU/SVA extension (README.md): one row per (configuration,
 * property), each checked with only that property, as in spec/suite.ts.
 *
 *   npx kripke suite examples/kernel-extension/suite.ts
 *
 * expectLength counts states on the trace (actions + 1), as measured by BFS (shortest).
 */
import { defineSuite, type SuiteRow } from '../../src/index.js';
import sva from './sva.js';

const row = (
  variant: string, constants: { NOTIFIER: string; POLICY: string }, property: string, expect: SuiteRow['expect'], note: string,
  expectLength?: number,
): SuiteRow => ({
  variant, spec: sva, module: 'examples/kernel-extension/sva.ts', constants, property, expect, note, ...(expectLength ? { expectLength } : {}),
});

const notifier = { NOTIFIER: 'registered', POLICY: 'shootdown' };
const noNotifier = { NOTIFIER: 'none', POLICY: 'shootdown' };
const rawLocal = { NOTIFIER: 'registered', POLICY: 'mask-self-raw' };

export default defineSuite({
  name: 'kernel-iommu-sva',
  doc: 'a secondary TLB (IOMMU/SVA device bound to mm A) outside mm_cpumask, guide §7.6 item 8',
  rows: [
    row('SVA', notifier, 'DeviceNoStale', 'holds', 'flush_tlb_mm_range calls the mmu_notifier on every flush, local-only or not, before the frame can be freed'),
    row('SVA', notifier, 'NoStaleTranslation', 'holds', 'adding the device changes nothing on the CPU side (x86 v4.17 shootdown)'),
    row('SVA', notifier, 'DeviceFills', 'witness', 'the device does cache: DevFill of A:x -> f1 right after the mmap', 3),
    row('SVA-no-notifier', noNotifier, 'DeviceNoStale', 'violated', 'the CPU flush is correct (CPU 1 left A: local only) but never reaches the device, which keeps A:x -> f1 past the free', 8),
    row('SVA-no-notifier', noNotifier, 'NoStaleTranslation', 'holds', 'the CPUs are fine: only the secondary TLB is stale'),
    row('SVA-raw-local', rawLocal, 'DeviceNoStale', 'violated', 'a local-only path that bypasses flush_tlb_mm_range (raw INVLPG) skips the notifier: "a local-only path must still notify"', 8),
    row('SVA-raw-local', rawLocal, 'NoStaleTranslation', 'holds', 'the raw local flush is CPU-safe under mask ⊆ {self} without PCID'),
  ],
});
