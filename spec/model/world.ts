/**
 * The kernel model's vocabulary: the static world a variant runs in (CPUs, mms, threads, vmas,
 * frames), the state record, and the predicates every module shares ("is thread t running on
 * CPU c", "can CPU c use its TLB entry for A:x").
 *
 * Names: CPUs are numbers (0, 1, ... up to CPUS-1); mms are 'A', 'B' (and 'init' for init_mm,
 * loaded by idle / kernel threads); a virtual page of an mm is the key `${mm}:${va}` (e.g. 'A:x');
 * frames are 'f0' (zuf's drain page) and 'f1'..'fN'. One PTE per key; one TLB leaf entry per
 * (CPU, key). The worlds themselves, as functions of the size, are in spec/worlds.ts.
 */
import { List, Map as IMap, Record, Set as ISet, type RecordOf } from 'immutable';

export type Cpu = number;
export type Mm = string;
export type Key = string;
export type Frame = string;

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

/** The static part of a variant: who exists, where they may run, what is mapped at start. */
export interface World {
  readonly cpus: readonly Cpu[];
  readonly frames: readonly Frame[];
  readonly threads: readonly Thread[];
  /** every virtual page of the model with its vma's flags */
  readonly vmas: readonly (readonly [Key, readonly VmaFlag[]])[];
  /** initial placement: the thread current on each CPU (IDLE for none) */
  readonly running: readonly (readonly [Cpu, string])[];
  /** initial PTEs and frame uses (frames not listed are free) */
  readonly ptes?: readonly (readonly [Key, Frame])[];
  readonly uses?: readonly (readonly [Frame, Use])[];
  /** routines enabled in this world, by the keys they may act on */
  readonly insertPfn?: readonly Key[];
  readonly munmap?: readonly Key[];
  /** the threads that run InsertPfn / munmap (default: every thread of the key's mm) */
  readonly mappers?: readonly string[];
  /** remote initiator: kswapd on a CPU not running the mm (try_to_unmap_one) */
  readonly reclaim?: readonly Key[];
  readonly zuf?: ZufWorld;
  /**
   * Lazy TLB, v4.19+ style (guide §3.4, V4): a CPU going idle keeps the mm loaded and stays in
   * mm_cpumask (enter_lazy_tlb), shootdowns skip lazy CPUs (tlb_is_not_lazy: leaf-only unmaps
   * free no page tables), and a CPU returning to the same mm flushes if its tlb_gen is stale
   * ('gen-check', switch_mm_irqs_off's was_lazy path) or, as a bug, does not ('no-gen-check').
   * Absent: v4.17 with PCID, an idle CPU switches to init_mm at once.
   */
  readonly lazy?: 'gen-check' | 'no-gen-check';
  /**
   * switch_mm_irqs_off order: 'mask-first' (v4.17: cpumask_set_cpu, then load CR3, which is
   * serialising) or 'cr3-first' (the reordering the CVE-2016-2069 barrier forbids). Default mask-first.
   */
  readonly switchOrder?: 'mask-first' | 'cr3-first';
}

// ---- state ----

export type Phase = 'idle' | 'sampled' | 'written' | 'ipi';

/** The one PTE-changing routine in flight (mmap_lock / PTL serialise them in the model). */
export interface OpVars {
  phase: Phase;
  /** 'zap': PTE cleared (munmap, reclaim, zap_vma_ptes); 'remap': valid->valid PFN change (insert_pfn overwrite) */
  kind: '' | 'zap' | 'remap';
  /** initiating CPU and who runs the routine there */
  cpu: Cpu;
  who: string;
  key: Key;
  /** the frame the PTE pointed to before the change */
  frame: Frame;
  /** free `frame` after the flush (mmu_gather) */
  free: boolean;
  /** mm_cpumask as read early (policies that read it before the PTE write) */
  snap: ISet<Cpu>;
  /** CPUs that have not yet acked the flush IPI */
  pending: ISet<Cpu>;
}
export const Op = Record<OpVars>({
  phase: 'idle', kind: '', cpu: -1, who: '', key: '', frame: '', free: false, snap: ISet(), pending: ISet(),
});
export const IDLE_OP = Op();

export interface Vars {
  /** physical frames and what they are used for */
  frame: IMap<Frame, Use>;
  /** page tables: key -> frame, '' = not present */
  pte: IMap<Key, Frame>;
  /** per CPU: the mm whose page tables CR3 points to ('init' = init_mm) */
  cr3: IMap<Cpu, Mm>;
  /** per CPU: the current thread (IDLE = the CPU's kernel thread) */
  curr: IMap<Cpu, string>;
  /** per CPU: between the two steps of switch_mm_irqs_off (mask-first: mask updated, CR3 not yet loaded; cr3-first: the reverse) */
  sw: IMap<Cpu, boolean>;
  /** mm_cpumask(mm) */
  mask: IMap<Mm, ISet<Cpu>>;
  /** per-CPU TLB leaf entries, tagged by mm through the key: key -> frame */
  tlb: IMap<Cpu, IMap<Key, Frame>>;
  op: RecordOf<OpVars>;
  /** zuf operation: idle -> dispatched -> mapped -> done */
  zuf: string;
  /**
   * Lazy worlds only: the CPU's tlb_gen for its loaded mm is behind mm->context.tlb_gen (a flush
   * was requested since it last caught up). The counters themselves are abstracted away: only
   * "behind or not" matters to flush_tlb_func and to the was_lazy check, and it keeps the state
   * space finite.
   */
  behind: IMap<Cpu, boolean>;
}
export type State = RecordOf<Vars>;
export const StateRec = Record<Vars>({
  frame: IMap(), pte: IMap(), cr3: IMap(), curr: IMap(), sw: IMap(), mask: IMap(), tlb: IMap(), op: IDLE_OP, zuf: 'idle', behind: IMap(),
});
export const NO_TLB: IMap<Key, Frame> = IMap();

// ---- helpers shared by the modules ----

const mmOfKey = new Map<Key, Mm>();
/** The mm of a page key ('A:x' -> 'A'); memoised: guards ask it for every action instance. */
export const keyMm = (k: Key): Mm => {
  let m = mmOfKey.get(k);
  if (m === undefined) mmOfKey.set(k, (m = k.slice(0, k.indexOf(':'))));
  return m;
};

export function helpers(w: World) {
  const threads = new Map(w.threads.map((t) => [t.name, t]));
  const flags = new Map(w.vmas.map(([k, f]) => [k, ISet<VmaFlag>(f)]));
  const mms = [...new Set([...w.threads.map((t) => t.mm), ...w.vmas.map(([k]) => keyMm(k))])];
  const mmOf = (t: string): Mm => (t === IDLE ? INIT_MM : threads.get(t)!.mm);
  return {
    threads,
    mms,
    keys: w.vmas.map(([k]) => k),
    userThreads: w.threads.map((t) => t.name),
    mmOf,
    vmaFlags: (k: Key) => flags.get(k) ?? ISet<VmaFlag>(),
    /** thread t is current on c and its mm is loaded (not in the middle of a switch) */
    runs: (s: State, c: Cpu, t: string) => s.curr.get(c) === t && !s.sw.get(c) && s.cr3.get(c) === mmOf(t),
    /**
     * CPU c can use its entry for `k` architecturally: CR3 holds k's mm and the current thread
     * belongs to it. Mid-switch (mask-first order) CR3 still holds prev while `curr` is already
     * next, so the old context's entries do not count: the coming CR3 load drops them.
     */
    usable: (s: State, c: Cpu, k: Key) =>
      s.cr3.get(c) === keyMm(k) && mmOf(s.curr.get(c)!) === keyMm(k) && s.tlb.get(c)!.has(k),
    /** the user mm CPU c runs in (CR3 and current thread agree), or undefined */
    ctxMm: (s: State, c: Cpu) => {
      const mm = s.cr3.get(c)!;
      return mm !== INIT_MM && mmOf(s.curr.get(c)!) === mm ? mm : undefined;
    },
    allowed: (t: string, c: Cpu) => t === IDLE || threads.get(t)!.cpus.includes(c),
    /** lazy TLB: the CPU's kernel thread runs with a user mm still loaded */
    lazy: (s: State, c: Cpu) => w.lazy !== undefined && s.curr.get(c) === IDLE && !s.sw.get(c) && s.cr3.get(c) !== INIT_MM,
  };
}
export type Helpers = ReturnType<typeof helpers>;

/** The initial state of a world: CR3 and mm_cpumask consistent with who runs where, TLBs empty. */
export function initialState(w: World, h: Helpers): State {
  const running = new Map(w.running);
  const curr = IMap(w.cpus.map((c) => [c, running.get(c) ?? IDLE] as [Cpu, string]));
  const uses = new Map(w.uses ?? []);
  const ptes = new Map(w.ptes ?? []);
  return StateRec({
    frame: IMap(w.frames.map((f) => [f, uses.get(f) ?? 'free'] as [Frame, Use])),
    pte: IMap(h.keys.map((k) => [k, ptes.get(k) ?? ''] as [Key, Frame])),
    cr3: curr.map((t) => h.mmOf(t)),
    curr,
    sw: IMap(w.cpus.map((c) => [c, false] as [Cpu, boolean])),
    mask: IMap(h.mms.map((m) => [m, ISet(w.cpus.filter((c) => h.mmOf(curr.get(c)!) === m))] as [Mm, ISet<Cpu>])),
    tlb: IMap(w.cpus.map((c) => [c, NO_TLB] as [Cpu, IMap<Key, Frame>])),
    behind: w.lazy ? IMap(w.cpus.map((c) => [c, false] as [Cpu, boolean])) : IMap(),
  });
}

export const showSet = (x: ISet<Cpu> | Iterable<Cpu>) => `{${List(x).sort().join(', ')}}`;
