/**
 * A flush policy: what `flush_tlb_mm_range()` does after PTEs of `mm` changed. It decides which
 * other CPUs get the shootdown IPI (`flush_tlb_others`); an empty set means "local flush only"
 * (`flush_tlb_func_local` on the initiator, if it has the mm loaded). It sees the whole state,
 * so a policy may look at loaded_mm, generations or an extension's fields.
 *
 * A new policy is one module exporting a FlushPolicy (see spec/README.md "Add a variant").
 */
import { Set as ISet } from 'immutable';
import type { CallPath, State } from '../model/state.js';
import type { Cpu, Key, Mm, VmaFlag } from '../model/world.js';

/** What the initiator knows when it decides. */
export interface FlushQuery {
  /** the CPU running flush_tlb_mm_range */
  readonly initiator: Cpu;
  /** the routine's thread ('idle' for kswapd / a kernel thread) and its affinity */
  readonly thread: string;
  readonly affinity: readonly Cpu[];
  readonly mm: Mm;
  /** the pages flushed (the range), and the first of them */
  readonly keys: readonly Key[];
  readonly key: Key;
  /** the flags of the vma the pages belong to */
  readonly vmaFlags: ISet<VmaFlag>;
  /**
   * the `vmflag` argument flush_tlb_mm_range receives on this call path (fidelity §1.1):
   * mmu_gather's tlb_flush passes 0UL, flush_tlb_page VM_NONE, flush_tlb_range(vma) vm_flags
   */
  readonly vmflag: ISet<VmaFlag>;
  readonly path: CallPath;
  /** mm_cpumask(mm) as the initiator read it (when: see `maskRead`) */
  readonly mask: ISet<Cpu>;
  /** the whole state at the decision (after the PTE write) */
  readonly state: State;
  /** every CPU of the world (an arm64 broadcast reaches them all) */
  readonly cpus: readonly Cpu[];
  /** the architecture */
  readonly arch: 'x86' | 'arm64';
  /** flushes are broadcast invalidations (arm64 TLBI, x86 INVLPGB): one that is not local reaches every CPU */
  readonly broadcast: boolean;
  /** mm_users: how many threads the mm has (Andrea Arcangeli's 2020 arm64 heuristic reads it) */
  readonly mmUsers: number;
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
  /**
   * The local-only flush: 'tracked' (flush_tlb_func_local: bumps tlb_gen, the context catches
   * up; default) or 'raw' (INVLPG / flush_tlb_one_user under the guard: no tlb_gen bump).
   */
  readonly localFlush?: 'tracked' | 'raw';
  /**
   * The policy's named rules, each with what it says and the policy without it: what
   * `kripke mutate` negates to show which rule a verdict rests on.
   */
  readonly rules?: Readonly<Record<string, { readonly doc: string; readonly negated: FlushPolicy }>>;
}

/**
 * Where a flush that is not local goes: with IPIs (x86 v4.17's shootdown set) every other CPU in
 * the mask; with broadcast invalidation (arm64 TLBI, INVLPGB) every other CPU.
 */
export const others = (q: FlushQuery): ISet<Cpu> => (q.broadcast ? ISet(q.cpus).remove(q.initiator) : q.mask.remove(q.initiator));
/** `cpumask_any_but(mm_cpumask(mm), cpu) >= nr_cpu_ids`, i.e. mask ⊆ {self}. */
export const maskWithinSelf = (q: FlushQuery): boolean => q.mask.remove(q.initiator).isEmpty();
/** No IPI. */
export const NOBODY: ISet<Cpu> = ISet();

/**
 * `policy` with a named rule whose negation flushes no other CPU: everything else of the policy
 * (its guard, its mask read, its local flush) stays, so `kripke mutate` changes the rule alone.
 */
export function withLocalOnlyRule(policy: FlushPolicy, rule: string, doc: string, negatedName: string, negatedDoc: string, targets: (q: FlushQuery) => ISet<Cpu> = () => NOBODY): FlushPolicy {
  return { ...policy, rules: { ...policy.rules, [rule]: { doc, negated: { ...policy, name: negatedName, doc: negatedDoc, targets } } } };
}
