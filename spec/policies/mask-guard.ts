/**
 * V2: a VM_LOCAL_CPU vma may flush locally only under a mask guard (Morton's suggestion).
 *   maskSelf           guard mask ⊆ {self}, mask read after the PTE write (V2a; V2c with a remote initiator)
 *   maskSelfEarly      the same guard read before the PTE write (V2b, CVE-2016-2069 ordering)
 *   maskSingleton      guard "mask is a singleton" (V2c: wrong when the initiator is not the runner)
 */
import { Set as ISet } from 'immutable';
import { maskWithinSelf, others, type FlushPolicy, type FlushQuery } from './policy.js';

function guarded(name: string, doc: string, guard: (q: FlushQuery) => boolean, maskRead: 'after' | 'before'): FlushPolicy {
  return {
    name,
    doc,
    maskRead,
    guard: (q) => q.vmaFlags.has('LOCAL_CPU') && guard(q),
    targets: (q) => (q.vmaFlags.has('LOCAL_CPU') && guard(q) ? ISet() : others(q)),
  };
}

export const maskSelf = guarded('mask-self', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) ⊆ {this cpu}, read after the PTE write', maskWithinSelf, 'after');
export const maskSelfEarly = guarded('mask-self-early', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) ⊆ {this cpu}, read BEFORE the PTE write', maskWithinSelf, 'before');
export const maskSingleton = guarded('mask-singleton', 'VM_LOCAL_CPU: local only if mm_cpumask(mm) has one bit (whichever)', (q) => q.mask.size <= 1, 'after');
