/**
 * The listed variants (guide §7.5). Each is a world, as a function of the size, plus a flush
 * policy; spec/kernel.ts selects one with the VARIANT constant and sizes it with CPUS and FRAMES.
 * A variant can also live in a module of its own (see spec/variants/ and README "Add a variant").
 */
import type { World } from './model/world.js';
import { maskSelf, maskSelfEarly, maskSingleton } from './policies/mask-guard.js';
import { shootdown } from './policies/shootdown.js';
import { vmLocalCpu } from './policies/vm-local-cpu.js';
import type { Variant } from './variant.js';
import { DEFAULT_SIZE, mixed, reclaim, rutland, rutlandCr3First, rutlandLazy, zuf, type Size } from './worlds.js';

/** A listed variant before it is sized: its world is a function of the size. */
interface VariantDef extends Omit<Variant, 'world'> {
  readonly world: (z: Size) => World;
}

const DEFS = [
  { name: 'V0', doc: 'correct x86 v4.17: munmap shoots down every other CPU in mm_cpumask', world: rutland, policy: shootdown },
  { name: 'V1', doc: 'VM_LOCAL_CPU as proposed: the flag skips the remote flush', world: rutland, policy: vmLocalCpu },
  { name: 'V2a', doc: 'local flush for VM_LOCAL_CPU only if mm_cpumask ⊆ {self}, read after the PTE write', world: rutland, policy: maskSelf },
  { name: 'V2b', doc: 'the same guard read before the PTE write (CVE-2016-2069 ordering)', world: rutland, policy: maskSelfEarly },
  { name: 'V2c-singleton', doc: 'kswapd (not running the mm) flushes locally if mm_cpumask is a singleton', world: reclaim, policy: maskSingleton },
  { name: 'V2c-self', doc: 'kswapd flushes locally only if mm_cpumask ⊆ {kswapd\'s CPU}', world: reclaim, policy: maskSelf },
  { name: 'V3', doc: 'zuf 2018: drain page punched over the live window PTE, VM_LOCAL_CPU local flush', world: (z) => zuf('drain', false, z), policy: vmLocalCpu },
  { name: "V3'", doc: 'zuf 2019: vmf_insert_mixed into an empty PTE, zap_vma_ptes with a full shootdown', world: (z) => zuf('zap', false, z), policy: shootdown },
  { name: "V3''", doc: 'zuf with one mm per ZT (Rutland\'s fix), drain remap, local flush guarded by mask ⊆ {self}', world: (z) => zuf('drain', true, z), policy: maskSelf },
  { name: 'V4a', doc: 'lazy TLB: shootdowns skip lazy CPUs, which flush on return if tlb_gen moved (v4.19+)', world: (z) => rutlandLazy('gen-check', z), policy: shootdown },
  { name: 'V4c', doc: 'lazy TLB, but the return to the same mm skips the tlb_gen check', world: (z) => rutlandLazy('no-gen-check', z), policy: shootdown },
  { name: 'V3-guarded', doc: 'zuf 2018 drain remap in the shared zus mm, guarded by mask ⊆ {self}', world: (z) => zuf('drain', false, z), policy: maskSelf },
  { name: 'V0-cr3-first', doc: 'x86 shootdown, but switch_mm loads CR3 before setting the mm_cpumask bit', world: rutlandCr3First, policy: shootdown },
  { name: 'V0-mixed', doc: 'V0 with migrating threads, two mms and kswapd reclaim', world: mixed, policy: shootdown },
  { name: 'V1-mixed', doc: 'V1 with migrating threads, two mms and kswapd reclaim', world: mixed, policy: vmLocalCpu },
] as const satisfies readonly VariantDef[];

export type VariantName = (typeof DEFS)[number]['name'];
export const variantNames = DEFS.map((v) => v.name) as VariantName[];

/** The variant `name` with its world built at size `z` (default: the size of the verdict table). */
export function variant(name: string, z: Size = DEFAULT_SIZE): Variant {
  const d: VariantDef | undefined = DEFS.find((x) => x.name === name);
  if (!d) throw new Error(`unknown variant ${name}`);
  return { name: d.name, doc: d.doc, world: d.world(z), policy: d.policy };
}

/** Every listed variant at the default size. */
export const VARIANTS: readonly Variant[] = variantNames.map((n) => variant(n));
