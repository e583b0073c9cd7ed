/** V1: the 2018 VM_LOCAL_CPU patch: a VM_LOCAL_CPU vma skips flush_tlb_others whatever the mask. */
import { Set as ISet } from 'immutable';
import { others, type FlushPolicy } from './policy.js';

export const vmLocalCpu: FlushPolicy = {
  name: 'vm-local-cpu',
  doc: 'flush_tlb_mm_range: if (!(vmflag & VM_LOCAL_CPU) && cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) flush_tlb_others(...)',
  targets: (q) => (q.vmaFlags.has('LOCAL_CPU') ? ISet() : others(q)),
};
