/**
 * The kernel model's state record. The base fields below belong to the spec's own modules; an
 * extension (spec/README.md, "Extend the model") declares more fields, and `stateRecord` makes
 * the record type with both. Actions and properties are generic in the state (`S extends State`)
 * so the spec's modules run unchanged on an extended record.
 *
 * Fields a world does not use keep their defaults (empty maps), so they cost nothing.
 */
import { Map as IMap, Record, Set as ISet, type RecordOf } from 'immutable';
import type { Cpu, Frame, Key, Mm, Pte, Use } from './world.js';

/** Where a routine is, from its PTE write to its end. */
export type Phase = 'idle' | 'sampled' | 'written' | 'ipi';
/** How the routine reaches flush_tlb_mm_range, which decides the `vmflag` it passes (fidelity §1.1). */
export type CallPath = 'gather' | 'page' | 'range';

/** A PTE-changing routine of a CPU, from its PTE write to its end (`ops`; phase 'idle': none). */
export interface OpVars {
  phase: Phase;
  /**
   * 'zap' clears PTEs (munmap, reclaim, zap_vma_ptes, MADV_DONTNEED); 'remap' changes the frame
   * (insert_pfn overwrite); 'protect' (mprotect); 'move' (mremap); 'sync' writes nothing, a
   * flush of the whole mm (flush_tlb_batched_pending)
   */
  kind: '' | 'zap' | 'remap' | 'protect' | 'move' | 'sync';
  /** mmu_gather's tlb_flush (vmflag 0UL), flush_tlb_page (VM_NONE) or flush_tlb_range(vma) (vma->vm_flags) */
  path: CallPath;
  /** initiating CPU and who runs the routine there */
  cpu: Cpu;
  who: string;
  mm: Mm;
  /** the pages whose PTEs changed: the range flushed */
  keys: ISet<Key>;
  /** the frames the changed PTEs pointed to */
  frames: ISet<Frame>;
  /** free `frames` after the flush (mmu_gather); false for PFN maps and remaps */
  free: boolean;
  /** mm_cpumask as read early (policies that read it before the PTE write) */
  snap: ISet<Cpu>;
  /** CPUs that have not yet acked the flush IPI */
  pending: ISet<Cpu>;
  /** new_tlb_gen of the flush (worlds that track generations); -1 before the flush */
  gen: number;
  /**
   * the flush is deferred past the page-table lock (deferred.ts: reclaim's batched flush, the
   * pre-2024 migrate_device order): once the PTEs are written (arm64: once the TLBI is issued),
   * other routines may take the pages, though the flush is still to come
   */
  deferred: boolean;
}
export const Op = Record<OpVars>({
  phase: 'idle', kind: '', path: 'gather', cpu: -1, who: '', mm: '', keys: ISet(), frames: ISet(), free: false,
  snap: ISet(), pending: ISet(), gen: -1, deferred: false,
}, 'Op');
export type OpRec = RecordOf<OpVars>;
/** No routine in flight on this CPU. */
export const IDLE_OP: OpRec = Op();

export interface Vars {
  /** physical frames and what they are used for */
  frame: IMap<Frame, Use>;
  /** page tables: key -> PTE ('' = not present) */
  pte: IMap<Key, Pte>;
  /** per CPU: the mm whose page tables CR3 points to ('init' = init_mm) */
  cr3: IMap<Cpu, Mm>;
  /** per CPU: the current thread (IDLE = the CPU's kernel thread) */
  curr: IMap<Cpu, string>;
  /** per CPU: the step of switch_mm_irqs_off it is in (0: not switching; the steps are the scheduler module's) */
  sw: IMap<Cpu, number>;
  /** mm_cpumask(mm) */
  mask: IMap<Mm, ISet<Cpu>>;
  /** per-CPU TLB leaf entries, tagged by mm through the key (PCID worlds keep several mms' entries): key -> entry */
  tlb: IMap<Cpu, IMap<Key, Pte>>;
  /**
   * the PTE routines in flight: one record per routine the world allows (`routines`), IDLE_OP
   * when unused, so their fields are slots of the state; `cpu` says whose routine it is
   */
  ops: IMap<number, OpRec>;
  /** zuf operation: idle -> dispatched -> mapped -> done */
  zuf: string;
  /** generations (gen.ts): mm->context.tlb_gen */
  gen: IMap<Mm, number>;
  /** per CPU, per mm: the generation its context (PCID slot, or the loaded mm) was last flushed to */
  slot: IMap<Cpu, IMap<Mm, number>>;
  /** ghost, PCID worlds: the generation that covers the last change of each PTE (-1: not yet covered) */
  chg: IMap<Key, number>;
  /** mainline lazy mask only: cpu_tlbstate.loaded_mm ('switching' = LOADED_MM_SWITCHING) */
  loaded: IMap<Cpu, string>;
  /** mainline lazy mask only: cpu_tlbstate_shared.is_lazy */
  isLazy: IMap<Cpu, boolean>;
  /** mainline lazy mask only: next's tlb_gen as read by switch_mm_irqs_off (S3) */
  rgen: IMap<Cpu, number>;
}

/**
 * What the kernel's modules and properties see of a state: the base fields. Every
 * `KernelState<E>` is one, so a module written against `S extends State` runs on any extension.
 */
export type State = Readonly<Vars>;
/** The state record of the kernel model, extended by `E`'s fields. */
export type KernelState<E extends object = {}> = RecordOf<Vars & E>;

export const BASE_FIELDS: Vars = {
  frame: IMap(), pte: IMap(), cr3: IMap(), curr: IMap(), sw: IMap(), mask: IMap(), tlb: IMap(), ops: IMap(),
  zuf: 'idle', gen: IMap(), slot: IMap(), chg: IMap(), loaded: IMap(), isLazy: IMap(), rgen: IMap(),
};
export const StateRec = Record<Vars>(BASE_FIELDS, 'KernelState');

/** The record type of a state with the base fields and an extension's (`extra`: field defaults). */
export function stateRecord<E extends object>(extra: E): Record.Factory<Vars & E> {
  const clash = Object.keys(extra).filter((k) => k in BASE_FIELDS);
  if (clash.length) throw new Error(`extension state field ${clash.join(', ')} is already a field of the kernel state`);
  if (Object.keys(extra).length === 0) return StateRec as unknown as Record.Factory<Vars & E>;
  return Record<Vars & E>({ ...BASE_FIELDS, ...extra }, 'KernelState');
}

export const NO_TLB: IMap<Key, Pte> = IMap();
