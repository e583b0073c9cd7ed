/**
 * V2: a VM_LOCAL_CPU vma may flush locally only under a mask guard (Morton's suggestion). These
 * are designs, not kernel code: the guard is consulted on every path that flushes the vma.
 *   maskSelf           guard mask ⊆ {self}, mask read after the PTE write (V2a; V2c with a remote initiator)
 *   maskSelfEarly      the same guard read before the PTE write (V2b, CVE-2016-2069 ordering)
 *   maskSingleton      guard "mask is a singleton" (V2c: wrong when the initiator is not the runner)
 *   maskSelfRaw        mask ⊆ {self}, but the local flush is a raw INVLPG that skips inc_mm_tlb_gen
 */
import { maskWithinSelf, NOBODY, others, withLocalOnlyRule, type FlushPolicy, type FlushQuery } from './policy.js';

function guarded(name: string, doc: string, guard: (q: FlushQuery) => boolean, opts: Partial<FlushPolicy> = {}): FlushPolicy {
  const policy: FlushPolicy = {
    name,
    doc,
    ...opts,
    guard: (q) => q.vmaFlags.has('LOCAL_CPU') && guard(q),
    targets: (q) => (q.vmaFlags.has('LOCAL_CPU') && guard(q) ? NOBODY : others(q)),
  };
  // the mutant keeps everything (mask read, local flush, the guard GuardImpliesSafe judges) but the rule
  return withLocalOnlyRule(policy, 'maskGuard', `a VM_LOCAL_CPU flush stays local only if the guard holds (${doc})`,
    `${name}-unguarded`, 'mutant: every VM_LOCAL_CPU flush local, the guard ignored', (q) => (q.vmaFlags.has('LOCAL_CPU') ? NOBODY : others(q)));
}

export const maskSelf = guarded('mask-self', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) ⊆ {this cpu}, read after the PTE write', maskWithinSelf);
export const maskSelfEarly = guarded('mask-self-early', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) ⊆ {this cpu}, read BEFORE the PTE write', maskWithinSelf, { maskRead: 'before' });
export const maskSingleton = guarded('mask-singleton', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) has one bit (whichever)', (q) => q.mask.size <= 1);
export const maskSelfRaw = guarded('mask-self-raw', 'VM_LOCAL_CPU: if mm_cpumask(mm) ⊆ {this cpu}, a raw INVLPG (flush_tlb_one_user) with no tlb_gen bump', maskWithinSelf, { localFlush: 'raw' });
