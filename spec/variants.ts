/**
 * The listed variants (guide §7.5). Each is a world, as a function of the size, plus a flush
 * policy; spec/kernel.ts selects one with the VARIANT constant and sizes it with CPUS, FRAMES, PAGES
 * and ROUTINES.
 * A variant can also live in a module of its own (see spec/variants/ and README "Add a variant").
 */
import type { World } from './model/world.js';
import { maskSelf, maskSelfEarly, maskSelfRaw, maskSingleton } from './policies/mask-guard.js';
import { shootdown } from './policies/shootdown.js';
import { vmLocalCpu, vmLocalCpuEveryPath } from './policies/vm-local-cpu.js';
import { broadcastTlbi, mmUsersLocal } from './policies/tlbi.js';
import type { Variant } from './variant.js';
import {
  arm64Migrating, batchedReclaim, DEFAULT_SIZE, latr, migrateDevice, mixed, rutlandInvlpgb, zufArm64, reclaim, rutland, rutlandArm64, rutlandCr3First, rutlandLazy, rutlandMainline, rutlandMprotect, rutlandMremap, rutlandPcid,
  zuf, type Size,
} from './worlds.js';

/** A listed variant before it is sized: its world is a function of the size. */
interface VariantDef extends Omit<Variant, 'world'> {
  readonly world: (z: Size) => World;
}

const DEFS = [
  { name: 'V0', doc: 'correct x86 v4.17: munmap shoots down every other CPU in mm_cpumask', world: rutland, policy: shootdown },
  { name: 'V1-munmap', doc: 'the VM_LOCAL_CPU patch on v4.17, munmap: mmu_gather passes vmflag 0UL, so it still shoots down', world: rutland, policy: vmLocalCpu },
  { name: 'V1-mprotect', doc: 'the VM_LOCAL_CPU patch, mprotect(PROT_READ) of the vma: flush_tlb_range(vma) passes the flag, local only', world: rutlandMprotect, policy: vmLocalCpu },
  { name: 'V1-mremap', doc: 'the VM_LOCAL_CPU patch, mremap of the vma: move_ptes -> flush_tlb_range(vma, old range), local only', world: rutlandMremap, policy: vmLocalCpu },
  { name: 'V1-hyp-munmap', doc: 'hypothetical (Rutland\'s local_cpu_munmap): the flag honoured on munmap too, which the patch never did', world: rutland, policy: vmLocalCpuEveryPath },
  { name: 'V2a', doc: 'design: local flush for VM_LOCAL_CPU only if mm_cpumask ⊆ {self}, read after the PTE write', world: rutland, policy: maskSelf },
  { name: 'V2a-raw', doc: 'design: the V2a guard with a raw INVLPG (no tlb_gen bump), no PCID: a CR3 load drops everything', world: rutland, policy: maskSelfRaw },
  { name: 'V2a-raw-pcid', doc: 'design: the V2a guard with a raw INVLPG (no tlb_gen bump), with PCID: dormant contexts come back', world: rutlandPcid, policy: maskSelfRaw },
  { name: 'V2b', doc: 'design: the V2a guard read before the PTE write (CVE-2016-2069 ordering)', world: rutland, policy: maskSelfEarly },
  { name: 'V2c-singleton', doc: 'design exercise: kswapd (not running the mm) flushes locally if mm_cpumask is a singleton', world: reclaim, policy: maskSingleton },
  { name: 'V2c-self', doc: 'design exercise: kswapd flushes locally only if mm_cpumask ⊆ {kswapd\'s CPU}', world: reclaim, policy: maskSelf },
  { name: 'V3', doc: 'zuf 2018: drain page punched over the live window PTE (insert_pfn overwrite -> flush_tlb_range), VM_LOCAL_CPU local flush', world: (z) => zuf('drain', false, z), policy: vmLocalCpu },
  { name: "V3'", doc: 'zuf 2019: vmf_insert_mixed into an empty PTE, zap_vma_ptes with a full shootdown', world: (z) => zuf('zap', false, z), policy: shootdown },
  { name: "V3''", doc: 'zuf with one mm per ZT (Rutland\'s fix), drain remap, local flush guarded by mask ⊆ {self}', world: (z) => zuf('drain', true, z), policy: maskSelf },
  { name: 'V0-pcid', doc: 'x86 with PCID (v4.14+): contexts survive CR3 loads, a switch-in flushes a context whose tlb_gen is behind', world: rutlandPcid, policy: shootdown },
  { name: 'V4a', doc: 'lazy TLB: shootdowns skip lazy CPUs, which flush on return if tlb_gen moved (v4.20 to 6.x)', world: (z) => rutlandLazy('gen-check', z), policy: shootdown },
  { name: 'V4c', doc: 'lazy TLB, but the return to the same mm skips the tlb_gen check', world: (z) => rutlandLazy('no-gen-check', z), policy: shootdown },
  { name: 'V0b', doc: 'mainline x86 (2024-25): lazy mm_cpumask, trimming, should_flush_tlb, LOADED_MM_SWITCHING, PCID', world: rutlandMainline, policy: shootdown },
  { name: 'V0b-fea4e317', doc: 'mainline without fea4e317f9e7: should_flush_tlb skips a CPU in LOADED_MM_SWITCHING', world: (z) => rutlandMainline(z, 'fea4e317'), policy: shootdown },
  { name: 'V0b-83b0177a', doc: 'mainline without 83b0177a6c48: no smp_mb() when the bit is set, tlb_gen read before loaded_mm is visible', world: (z) => rutlandMainline(z, '83b0177a'), policy: shootdown },
  { name: 'V3-guarded', doc: 'zuf 2018 drain remap in the shared zus mm, guarded by mask ⊆ {self}', world: (z) => zuf('drain', false, z), policy: maskSelf },
  { name: 'V0-cr3-first', doc: 'x86 shootdown, but switch_mm loads CR3 before setting the mm_cpumask bit (no kernel does)', world: rutlandCr3First, policy: shootdown },
  { name: 'V0-mixed', doc: 'V0 with migrating threads, two mms and kswapd reclaim', world: mixed, policy: shootdown },
  { name: 'V2d', doc: 'arm64: the V2a guard mask ⊆ {self} as a local TLBI; arm64 never maintains mm_cpumask, so the guard is always true', world: rutlandArm64, policy: maskSelf },
  { name: 'V5a', doc: 'arm64 v6.15: every flush a broadcast TLBI (tlbi vale1is), complete at the issuer\'s dsb ish, then free', world: rutlandArm64, policy: broadcastTlbi },
  { name: 'V5a-asid', doc: 'arm64 broadcast TLBI, and a process of another mm on the remote CPUs: A\'s entries wait there under A\'s ASID', world: (z) => rutlandArm64(z, true), policy: broadcastTlbi },
  { name: 'V5a-migrating', doc: 'arm64 broadcast TLBI in Catalin\'s world: one thread moving between CPUs', world: arm64Migrating, policy: broadcastTlbi },
  { name: 'V5b', doc: 'arm64 with Andrea Arcangeli\'s 2020 proposal: a local TLBI when mm_users == 1; a CPU the thread left still walks A', world: arm64Migrating, policy: mmUsersLocal },
  { name: 'V3-arm64', doc: 'design: zuf 2018\'s drain-page overwrite (valid -> valid, no break-before-make) on arm64, VM_LOCAL_CPU as a local TLBI', world: zufArm64, policy: vmLocalCpu },
  { name: 'V3-arm64-broadcast', doc: 'design: the same overwrite on arm64 with every flush a broadcast TLBI: coherent, but it still breaks break-before-make', world: zufArm64, policy: broadcastTlbi },
  { name: 'V0-invlpgb', doc: 'x86 with AMD INVLPGB (2025): a global ASID, flushes broadcast (INVLPGB + TLBSYNC), switch-in never flushes', world: rutlandInvlpgb, policy: shootdown },
  { name: 'V2a-invlpgb', doc: 'design: the V2a guard mask ⊆ {self} as a local INVLPG for a global-ASID mm: CPUs that left keep their entries', world: rutlandInvlpgb, policy: maskSelf },
  { name: 'V5c', doc: 'arm64 2023-25: batched reclaim, and flush_tlb_batched_pending is a dsb(ish) on the syscall\'s CPU, which completes no TLBI kswapd issued', world: (z) => batchedReclaim('dsb', z, 'arm64'), policy: broadcastTlbi },
  { name: 'V5c-fixed', doc: 'arm64 since 2025: flush_tlb_batched_pending is flush_tlb_mm (broadcast TLBI + dsb ish)', world: (z) => batchedReclaim('flush', z, 'arm64'), policy: broadcastTlbi },
  { name: 'V6a', doc: 'x86 before 3ea277194daa (Nadav Amit\'s race, 2017): batched reclaim, and mprotect does not wait for the batch', world: (z) => batchedReclaim('none', z), policy: shootdown },
  { name: 'V6b', doc: 'x86 since 3ea277194daa: flush_tlb_batched_pending (flush_tlb_mm) where mprotect takes the PTL', world: (z) => batchedReclaim('flush', z), policy: shootdown },
  { name: 'V6d', doc: 'x86 migrate_vma_collect_pmd before 60bae7370896: the PTL dropped before the flush, so MADV_DONTNEED finds the PTE none', world: (z) => migrateDevice('migrate', z), policy: shootdown },
  { name: 'V6d-fixed', doc: 'x86 migrate_vma_collect_pmd since 60bae7370896: the flush under the PTL', world: (z) => migrateDevice('locked', z), policy: shootdown },
  { name: 'V6e', doc: 'design (LATR, ASPLOS 2018): munmap returns before the other CPUs invalidate at their tick; frames freed after every CPU did', world: latr, policy: shootdown },
  { name: 'V6e-nogate', doc: 'design: LATR without its deferral gate, the frames freed as munmap returns', world: (z) => latr(z, 'ungated'), policy: shootdown },
  { name: 'V1-hyp-mixed', doc: 'the hypothetical every-path VM_LOCAL_CPU with migrating threads, two mms and kswapd reclaim', world: mixed, policy: vmLocalCpuEveryPath },
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
