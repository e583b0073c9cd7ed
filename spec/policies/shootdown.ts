/** V0: x86 v4.17 flush_tlb_mm_range: IPI every other CPU in mm_cpumask (local only iff mask ⊆ {self}). */
import { maskWithinSelf, NOBODY, others, type FlushPolicy } from './policy.js';

const base: FlushPolicy = {
  name: 'shootdown',
  doc: 'flush_tlb_mm_range: if (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) flush_tlb_others(...)',
  targets: others,
  guard: maskWithinSelf,
};

export const shootdown: FlushPolicy = {
  ...base,
  rules: {
    ipiOthers: {
      doc: 'flush_tlb_mm_range sends the flush to every other CPU in mm_cpumask (an IPI, or the broadcast)',
      negated: { ...base, name: 'shootdown-without-ipis', doc: 'mutant: flush_tlb_mm_range flushes the local CPU only', targets: () => NOBODY },
    },
  },
};
