/**
 * How kernel traces are laid out and where each step's code is (presentation only: nothing here
 * runs during the search). Lanes: one per CPU for the code running there (threads, kswapd, IPI
 * handlers), one per CPU for its hardware (speculative fills, evictions), then the CPU-less
 * actors (the driver, the page allocator). Anchors name the kernel function each action models,
 * in the version the world models (v4.17, the patch's base; v5.10 for the v4.20+ lazy TLB;
 * mainline for the 2024-25 lazy mask), or the manual for what hardware does on its own.
 */
import type { ActionDef, Anchor } from '../../src/index.js';
import type { Actions } from './context.js';
import type { Cpu, World } from './world.js';

export const DRIVER_LANE = 'driver';
export const KERNEL_LANE = 'kernel';

/** The lanes of a world, in display order. */
export const kernelLanes = (w: World): string[] => [...w.cpus.flatMap((c) => [`CPU ${c}`, `HW CPU ${c}`]), DRIVER_LANE, KERNEL_LANE];

const HW = new Set(['HwFill', 'HwEvict']);

/** The lane of the code running on CPU c (threads, kswapd, handlers). */
export const cpuLane = ({ c }: { c: Cpu }) => `CPU ${c}`;

/** The lane of a step of family `name`: its CPU's (or its CPU's hardware), else the driver's or the kernel's. */
function laneOf(name: string): (p: { c?: Cpu }) => string {
  if (name === 'ReleasePfn') return () => DRIVER_LANE;
  if (name === 'FrameAlloc') return () => KERNEL_LANE;
  return (p) => (p.c === undefined ? KERNEL_LANE : HW.has(name) ? `HW CPU ${p.c}` : cpuLane({ c: p.c }));
}

/** The kernel version a world models. */
export const versionOf = (w: World): string => (w.lazy === 'mainline' || w.arch === 'arm64' || w.invlpgb ? 'v6.15' : w.lazy ? 'v5.10' : 'v4.17');

const SDM = 'Intel SDM Vol. 3A';
const ARM = 'Arm ARM';

/** Each family's anchors in world `w` (absent: an extension's, which brings its own). */
function anchorsOf(w: World, name: string): readonly Anchor[] | undefined {
  const v = versionOf(w);
  const k = (file: string, fn: string): Anchor => ({ file, fn, version: v });
  const tlb = 'arch/x86/mm/tlb.c';
  const gather = w.lazy || w.arch === 'arm64' || w.invlpgb ? 'mm/mmu_gather.c' : 'mm/memory.c'; // mmu_gather.c since v4.20
  const mainline = w.lazy === 'mainline';
  const arm = w.arch === 'arm64';
  /** the v6.15 names (mainline x86, arm64) and the v4.18+ ones (also v5.10) */
  const v615 = mainline || arm || w.invlpgb === true;
  const vmf = w.lazy !== undefined || v615;
  const table: Record<string, readonly Anchor[]> = {
    SwitchMm: [k(tlb, 'switch_mm_irqs_off')],
    LoadCr3: [k(tlb, 'load_new_mm_cr3'), ...(w.pcid ? [k(tlb, 'choose_new_asid')] : [])],
    CpumaskSetCpu: [k(tlb, 'switch_mm_irqs_off')],
    ReadTlbGen: [k(tlb, 'switch_mm_irqs_off')],
    SetLoadedMm: [k(tlb, 'switch_mm_irqs_off')],
    HwFill: [arm ? { file: ARM, fn: 'translation table walks may be speculative, and their results cached' } : { file: SDM, fn: '4.10.2.3 (translations cached for any access, speculative included)' }],
    HwEvict: [arm ? { file: ARM, fn: 'a TLB may drop an entry at any time' } : { file: SDM, fn: '4.10.4 (entries may be dropped at any time)' }],
    Access: [arm ? { file: ARM, fn: 'a TLB hit uses the cached translation, no walk' } : { file: SDM, fn: '4.10.2.4 (a TLB hit uses the cached translation, no page walk)' }],
    InsertPfn: [k('mm/memory.c', vmf ? 'vmf_insert_pfn_prot' : 'vm_insert_pfn_prot')],
    ReleasePfn: [k('mm/page_alloc.c', '__free_pages')],
    ReadMmCpumask: [k(tlb, 'flush_tlb_mm_range')],
    // munmap's PTE clearing: unmap_region until the vma.c split (v6.11), vms_clear_ptes after it
    ZapPteRange: [v615 ? k('mm/vma.c', 'vms_clear_ptes') : k('mm/mmap.c', 'unmap_region'), k('mm/memory.c', 'zap_pte_range')],
    Mprotect: [k('mm/mprotect.c', 'change_pte_range')],
    Mremap: [k('mm/mremap.c', 'move_ptes')],
    Reclaim: [k('mm/rmap.c', 'try_to_unmap_one')],
    LocalFlushOnly: [k(tlb, 'flush_tlb_mm_range'), k(tlb, mainline ? 'flush_tlb_func' : 'flush_tlb_func_local')],
    FlushTlbMmRange: [k(tlb, 'flush_tlb_mm_range'), k(tlb, mainline ? 'flush_tlb_multi' : 'native_flush_tlb_others')],
    FlushTlbFunc: [k(tlb, mainline ? 'flush_tlb_func' : 'flush_tlb_func_remote')],
    TlbFinishMmu: [k(gather, 'tlb_finish_mmu')],
    // the allocator's entry: __alloc_pages_nodemask until v5.13, __alloc_pages_noprof since v6.10
    FrameAlloc: v615 ? [k('mm/page_alloc.c', '__alloc_pages_noprof')] : [k('mm/page_alloc.c', '__alloc_pages_nodemask'), k('arch/x86/mm/pgtable.c', 'pte_alloc_one')],
    ZufsDispatch: [{ file: 'fs/zuf/zuf-core.c (2018 RFC, out of tree)', fn: 'zufs_dispatch' }],
    ZtMapPages: [{ file: 'fs/zuf/zuf-core.c (2018 RFC, out of tree)', fn: '_map_pages' }, k('mm/memory.c', vmf ? 'vmf_insert_pfn_prot' : 'vm_insert_pfn_prot')],
    ZtUnmapPages: [{ file: 'fs/zuf/zuf-core.c (2018 RFC, out of tree)', fn: '_unmap_pages' }, k('mm/memory.c', 'zap_vma_ptes')],
  };
  return table[name];
}

/**
 * The actions with their lanes and anchors, and `explain(name)`'s notes; a family that already
 * has them (an extension's) keeps its own.
 */
export function presented<A extends Actions<any>>(w: World, actions: A, explain: (name: string) => ActionDef<any, any>['explain']): A {
  const out: Record<string, ActionDef<any, any>> = {};
  for (const [name, def] of Object.entries(actions)) {
    const own = anchorsOf(w, name); // undefined: not one of the spec's families
    const anchor = def.anchor ?? own;
    const ex = def.explain ?? (own ? explain(name) : undefined);
    const lane = def.lane ?? (own ? laneOf(name) : undefined);
    out[name] = { ...def, ...(lane ? { lane } : {}), ...(anchor ? { anchor } : {}), ...(ex ? { explain: ex } : {}) };
  }
  return out as A;
}
