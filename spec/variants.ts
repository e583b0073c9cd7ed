/**
 * The listed variants (guide §7.5). Each is a world plus a flush policy; spec/kernel.ts selects
 * one with the VARIANT constant. A variant can also live in a module of its own (see
 * spec/variants/ and README "Add a variant").
 */
import { maskSelf, maskSelfEarly, maskSingleton } from './policies/mask-guard.js';
import { shootdown } from './policies/shootdown.js';
import { vmLocalCpu } from './policies/vm-local-cpu.js';
import type { Variant } from './variant.js';
import { mixed, reclaim, rutland, rutlandCr3First, rutlandLazy, zuf } from './worlds.js';

export const VARIANTS = [
  { name: 'V0', doc: 'correct x86 v4.17: munmap shoots down every other CPU in mm_cpumask', world: rutland, policy: shootdown },
  { name: 'V1', doc: 'VM_LOCAL_CPU as proposed: the flag skips the remote flush', world: rutland, policy: vmLocalCpu },
  { name: 'V2a', doc: 'local flush for VM_LOCAL_CPU only if mm_cpumask ⊆ {self}, read after the PTE write', world: rutland, policy: maskSelf },
  { name: 'V2b', doc: 'the same guard read before the PTE write (CVE-2016-2069 ordering)', world: rutland, policy: maskSelfEarly },
  { name: 'V2c-singleton', doc: 'kswapd (not running the mm) flushes locally if mm_cpumask is a singleton', world: reclaim, policy: maskSingleton },
  { name: 'V2c-self', doc: 'kswapd flushes locally only if mm_cpumask ⊆ {kswapd\'s CPU}', world: reclaim, policy: maskSelf },
  { name: 'V3', doc: 'zuf 2018: drain page punched over the live window PTE, VM_LOCAL_CPU local flush', world: zuf('drain', false), policy: vmLocalCpu },
  { name: "V3'", doc: 'zuf 2019: vmf_insert_mixed into an empty PTE, zap_vma_ptes with a full shootdown', world: zuf('zap', false), policy: shootdown },
  { name: "V3''", doc: 'zuf with one mm per ZT (Rutland\'s fix), drain remap, local flush guarded by mask ⊆ {self}', world: zuf('drain', true), policy: maskSelf },
  { name: 'V4a', doc: 'lazy TLB: shootdowns skip lazy CPUs, which flush on return if tlb_gen moved (v4.19+)', world: rutlandLazy('gen-check'), policy: shootdown },
  { name: 'V4c', doc: 'lazy TLB, but the return to the same mm skips the tlb_gen check', world: rutlandLazy('no-gen-check'), policy: shootdown },
  { name: 'V3-guarded', doc: 'zuf 2018 drain remap in the shared zus mm, guarded by mask ⊆ {self}', world: zuf('drain', false), policy: maskSelf },
  { name: 'V0-cr3-first', doc: 'x86 shootdown, but switch_mm loads CR3 before setting the mm_cpumask bit', world: rutlandCr3First, policy: shootdown },
  { name: 'V0-mixed', doc: 'V0 with migrating threads, two mms and kswapd reclaim', world: mixed, policy: shootdown },
  { name: 'V1-mixed', doc: 'V1 with migrating threads, two mms and kswapd reclaim', world: mixed, policy: vmLocalCpu },
] as const satisfies readonly Variant[];

export type VariantName = (typeof VARIANTS)[number]['name'];
export const variantNames = VARIANTS.map((v) => v.name) as VariantName[];
export const variant = (name: string): Variant => {
  const v = VARIANTS.find((x) => x.name === name);
  if (!v) throw new Error(`unknown variant ${name}`);
  return v;
};
