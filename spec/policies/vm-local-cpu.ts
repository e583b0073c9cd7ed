/**
 * V1: the 2018 VM_LOCAL_CPU patch. It tests flush_tlb_mm_range's `vmflag` argument, so the flag
 * acts only where the call path passes the vma's flags (flush_tlb_range: the patch's insert_pfn
 * overwrite, mprotect, mremap); munmap's mmu_gather passes 0UL and still shoots down.
 * `vmLocalCpuEveryPath` is Rutland's hypothetical `local_cpu_munmap`: the flag honoured on every
 * path, which no kernel did.
 */
import { NOBODY, others, type FlushPolicy } from './policy.js';

export const vmLocalCpu: FlushPolicy = {
  name: 'vm-local-cpu',
  doc: 'flush_tlb_mm_range: if (!(vmflag & VM_LOCAL_CPU) && cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) flush_tlb_others(...)',
  targets: (q) => (q.vmflag.has('LOCAL_CPU') ? NOBODY : others(q)),
};

export const vmLocalCpuEveryPath: FlushPolicy = {
  name: 'vm-local-cpu-every-path',
  doc: 'hypothetical: every flush of a VM_LOCAL_CPU vma is local, munmap\'s included (Rutland\'s local_cpu_munmap)',
  targets: (q) => (q.vmaFlags.has('LOCAL_CPU') ? NOBODY : others(q)),
};
