/**
 * The kernel model's vocabulary: the static world a variant runs in (CPUs, mms, threads, vmas,
 * frames, which routines exist, which kernel era). The state record is in state.ts, the
 * predicates every module shares in helpers.ts, the worlds themselves in spec/worlds.ts.
 *
 * Names: CPUs are numbers (0, 1, ... up to CPUS-1); mms are 'A', 'B' (and 'init' for init_mm,
 * loaded by idle / kernel threads); a virtual page of an mm is the key `${mm}:${va}` (e.g. 'A:x',
 * and 'A:x+1' for the next page of the same vma); frames are 'f0' (zuf's drain page) and
 * 'f1'..'fN'. One PTE per key; one TLB leaf entry per (CPU, key).
 */
export type Cpu = number;
export type Mm = string;
export type Key = string;
export type Frame = string;
/**
 * A PTE or TLB entry: '' (not present), a frame ('f1': present, writable) or a frame made
 * read-only by mprotect ('f1:ro'). A TLB entry is a copy of the PTE it was filled from.
 */
export type Pte = string;

/** What a physical frame is used for. Reuse targets are the kernel ones. */
export type Use = 'free' | 'user' | 'drain' | 'kernel page table' | 'page-table page' | 'kernel data';
/** what a freed frame can become: Rutland's "kernel page tables", Wilcox's "a page table, then I can affect any process", a kmalloc page */
export const REUSE_TARGETS: readonly Use[] = ['kernel page table', 'page-table page', 'kernel data'];

/** A vma flag (include/linux/mm.h). */
export type VmaFlag = 'LOCAL_CPU' | 'PFNMAP';

export interface Thread {
  readonly name: string;
  /** the mm the thread runs in */
  readonly mm: Mm;
  /** affinity: the CPUs it may run on (pinned = one CPU) */
  readonly cpus: readonly Cpu[];
}

/** The per-CPU kernel thread (idle / kswapd): runs with init_mm loaded (v4.17 + PCID). */
export const IDLE = 'idle';
export const INIT_MM = 'init';

/** zuf (§2.2): one zus window per ZT, remapped per operation. */
export interface ZufWorld {
  /** the application thread that issues the syscall (pinned to the ZT's CPU) */
  readonly app: string;
  /** the application's buffer, in the app's mm, and the frame behind it */
  readonly appKey: Key;
  readonly appFrame: Frame;
  /** ZT thread -> its window key (a fixed VA of a persistent VM_LOCAL_CPU|VM_PFNMAP vma) */
  readonly windows: readonly (readonly [string, Key])[];
  readonly drainFrame: Frame;
  /** how _unmap_pages drops the app page: 2018 RFC (drain page punched over the live PTE) or 2019 (zap_vma_ptes) */
  readonly unmap: 'drain' | 'zap';
}

/** A vma: its pages (keys, in address order) and flags. */
export interface Vma {
  readonly pages: readonly Key[];
  readonly flags: readonly VmaFlag[];
}

/** The static part of a variant: who exists, where they may run, what is mapped at start. */
export interface World {
  readonly cpus: readonly Cpu[];
  readonly frames: readonly Frame[];
  readonly threads: readonly Thread[];
  /** every vma of the model, with its pages */
  readonly vmas: readonly Vma[];
  /** initial placement: the thread current on each CPU (IDLE for none) */
  readonly running: readonly (readonly [Cpu, string])[];
  /** initial PTEs and frame uses (frames not listed are free) */
  readonly ptes?: readonly (readonly [Key, Frame])[];
  readonly uses?: readonly (readonly [Frame, Use])[];
  /** routines enabled in this world, by the keys they may act on */
  readonly insertPfn?: readonly Key[];
  /** munmap: the vmas (by first page) a thread may unmap; the routine zaps every present page of the vma */
  readonly munmap?: readonly Key[];
  /** mprotect(PROT_READ) over a vma (by first page): writable PTEs become read-only */
  readonly mprotect?: readonly Key[];
  /** mremap: move the pages of the vma `from` to the (empty) vma `to`, page by page */
  readonly mremap?: readonly { readonly from: Key; readonly to: Key }[];
  /** the threads that run InsertPfn / munmap / mprotect / mremap (default: every thread of the key's mm) */
  readonly mappers?: readonly string[];
  /** remote initiator: kswapd on a CPU not running the mm (try_to_unmap_one) */
  readonly reclaim?: readonly Key[];
  readonly zuf?: ZufWorld;
  /**
   * Lazy TLB (guide §3.4, V4): a CPU going idle keeps the mm loaded (enter_lazy_tlb).
   * 'gen-check' / 'no-gen-check': v4.20 to 6.x, eager mask clearing on switch-away, shootdowns
   * skip lazy CPUs (tlb_is_not_lazy: leaf-only unmaps free no page tables), and a CPU returning
   * to the same mm flushes if its tlb_gen is stale ('gen-check', switch_mm_irqs_off's was_lazy
   * path) or, as a bug, does not. 'mainline': the 2024-25 lazy mm_cpumask (sched-mainline.ts).
   * Absent: v4.17 with PCID, an idle CPU switches to init_mm at once.
   */
  readonly lazy?: 'gen-check' | 'no-gen-check' | 'mainline';
  /** v4.20+ lazy worlds: shootdowns IPI lazy CPUs too (tlb_is_not_lazy left out: a mutant, `kripke mutate`) */
  readonly ipiLazy?: boolean;
  /**
   * Mainline with a 2025 fix left out: 'fea4e317' (should_flush_tlb does not treat
   * LOADED_MM_SWITCHING as "flush") or '83b0177a' (no smp_mb() when the bit is already set: the
   * tlb_gen read is satisfied before the loaded_mm store is visible).
   */
  readonly mainlineBug?: 'fea4e317' | '83b0177a';
  /**
   * PCID (x86 ASIDs): each CPU keeps a context per mm whose entries survive a CR3 load
   * (dormant), with the generation it was last flushed to; a switch-in flushes the context only
   * if its generation is behind the mm's tlb_gen. Absent: a CR3 load drops every entry.
   */
  readonly pcid?: boolean;
  /**
   * switch_mm_irqs_off order: 'mask-first' (v4.17: cpumask_set_cpu, then load CR3, which is
   * serialising) or 'cr3-first' (the reordering the CVE-2016-2069 barrier forbids). Default mask-first.
   */
  readonly switchOrder?: 'mask-first' | 'cr3-first';
  /** how many PTE routines may be in flight at once, on different CPUs and pages (default 1) */
  readonly routines?: number;
  /**
   * The architecture (default 'x86'). 'arm64' (arm64.ts, guide §4): mm_cpumask is never
   * maintained (empty from mm init), every mm has one ASID on all CPUs so a switch keeps the
   * other mms' entries, a kernel thread keeps TTBR0 (the CPU may still walk the user tables),
   * and a flush is a TLBI, local (non-shareable) or broadcast (inner-shareable), performed on
   * each other CPU in its own time and complete only at the issuer's DSB. No IPIs, no lazy mode.
   */
  readonly arch?: 'x86' | 'arm64';
  /**
   * AMD INVLPGB (x86, 2025; guide §3.7): the mm has a global ASID, so its flushes are a broadcast
   * INVLPGB performed on every CPU and complete at the issuer's TLBSYNC (broadcast.ts), no IPIs,
   * and a switch-in never flushes it ("Global ASIDs are always up to date"). Needs `pcid`.
   */
  readonly invlpgb?: boolean;
  /**
   * Deferred flushes and syscall semantics (deferred.ts, syscalls.ts; guide §3.10, §6.3 bug 5,
   * §7.5 V5c, V6): a remote initiator that drops the page-table lock before its flush, and the
   * syscalls that must wait for it. Worlds with it record what each returned syscall promises
   * (SyscallSemantics) and let threads store (Store) as well as access.
   */
  readonly deferred?: DeferredWorld;
  /**
   * LATR (guide §6.5, V6e; latr.ts): munmap flushes locally, posts a LATR state for the other
   * CPUs and returns; each CPU invalidates at its next tick, and the frames are freed only once
   * every CPU has ('gated'), or at once ('ungated': the gate left out). Replaces the shootdown.
   */
  readonly latr?: 'gated' | 'ungated';
}

/** The deferred-flush part of a world (World.deferred). */
export interface DeferredWorld {
  /**
   * Who clears a PTE and flushes after dropping the page-table lock, on a CPU running a kernel
   * thread: 'ubc' (kswapd: try_to_unmap_one with TTU_BATCH_FLUSH, set_tlb_ubc_flush_pending,
   * which registers the batch in mm->tlb_flush_batched; the flush is try_to_unmap_flush),
   * 'migrate' (migrate_vma_collect_pmd before 60bae7370896: the flush after the PTL release,
   * registered nowhere) or 'locked' (migrate_vma_collect_pmd since: the flush under the PTL).
   */
  readonly initiator: 'ubc' | 'migrate' | 'locked';
  /** the pages it may unmap */
  readonly keys: readonly Key[];
  /**
   * What flush_tlb_batched_pending does where the syscalls take the PTL: 'flush' (flush_tlb_mm
   * when the mm has a batch pending: x86 since 3ea277194daa, arm64 since 2025), 'dsb' (arm64's
   * arch_flush_tlb_batched_pending from 2023 to 2025: dsb(ish) on the caller's CPU, which
   * completes nothing another CPU issued) or 'none' (before 3ea277194daa).
   */
  readonly pending: 'flush' | 'dsb' | 'none';
  /** the syscalls, by the vmas (first page) they act on: mprotect(PROT_READ), MADV_DONTNEED */
  readonly mprotect?: readonly Key[];
  readonly dontneed?: readonly Key[];
}

/** The mm of a page key ('A:x' -> 'A'); memoised: guards ask it for every action instance. */
const mmOfKey = new Map<Key, Mm>();
export const keyMm = (k: Key): Mm => {
  let m = mmOfKey.get(k);
  if (m === undefined) mmOfKey.set(k, (m = k.slice(0, k.indexOf(':'))));
  return m;
};

/** The frame of a PTE or TLB entry ('f1:ro' -> 'f1', '' -> ''). */
export const pteFrame = (p: Pte): Frame => (p.endsWith(':ro') ? p.slice(0, -3) : p);
/** Whether a PTE or TLB entry allows writes. */
export const pteWritable = (p: Pte): boolean => p !== '' && !p.endsWith(':ro');
/** The same entry made read-only (mprotect PROT_READ). */
export const readOnly = (p: Pte): Pte => (p === '' || p.endsWith(':ro') ? p : `${p}:ro`);

/** The pages of a vma of `mm` named `va` with `n` pages: 'A:x', 'A:x+1', ... */
export const pagesOf = (mm: Mm, va: string, n = 1): Key[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? `${mm}:${va}` : `${mm}:${va}+${i}`));
