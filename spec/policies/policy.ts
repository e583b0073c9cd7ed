/**
 * A flush policy: what `flush_tlb_mm_range()` does after a PTE of `mm` changed. It decides which
 * other CPUs get the shootdown IPI (`flush_tlb_others`); an empty set means "local flush only"
 * (`flush_tlb_func_local` on the initiator, if it has the mm loaded).
 *
 * A new policy is one module exporting a FlushPolicy (see README "Add a variant").
 */
import type { Set as ISet } from 'immutable';
import type { Cpu, Key, Mm, VmaFlag } from '../model/world.js';

/** What the initiator knows when it decides. */
export interface FlushQuery {
  /** the CPU running flush_tlb_mm_range */
  readonly initiator: Cpu;
  /** the routine's thread ('idle' for kswapd / a kernel thread) and its affinity */
  readonly thread: string;
  readonly affinity: readonly Cpu[];
  readonly mm: Mm;
  readonly key: Key;
  readonly vmaFlags: ISet<VmaFlag>;
  /** mm_cpumask(mm) as the initiator read it (when: see `maskRead`) */
  readonly mask: ISet<Cpu>;
}

export interface FlushPolicy {
  readonly name: string;
  /** one line: the kernel code this stands for */
  readonly doc: string;
  /**
   * When mm_cpumask is read: 'after' the PTE write (correct: inc_mm_tlb_gen orders it), or
   * 'before' it (the load hoisted above the store: CVE-2016-2069). Default 'after'.
   */
  readonly maskRead?: 'after' | 'before';
  /** The CPUs to IPI; empty = local flush only. */
  readonly targets: (q: FlushQuery) => ISet<Cpu>;
  /**
   * If the local-only path is taken under a mask guard, the guard (checked by GuardImpliesSafe:
   * whenever it is true, no other CPU may hold a usable entry).
   */
  readonly guard?: (q: FlushQuery) => boolean;
}

/** The x86 v4.17 shootdown set: every other CPU in the mask. */
export const others = (q: FlushQuery): ISet<Cpu> => q.mask.remove(q.initiator);
/** `cpumask_any_but(mm_cpumask(mm), cpu) >= nr_cpu_ids`, i.e. mask ⊆ {self}. */
export const maskWithinSelf = (q: FlushQuery): boolean => others(q).isEmpty();
