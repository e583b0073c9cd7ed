/** V0: x86 v4.17 flush_tlb_mm_range: IPI every other CPU in mm_cpumask (local only iff mask ⊆ {self}). */
import { maskWithinSelf, others, withLocalOnlyRule, type FlushPolicy } from './policy.js';

const base: FlushPolicy = {
  name: 'shootdown',
  doc: 'flush_tlb_mm_range: if (cpumask_any_but(mm_cpumask(mm), cpu) < nr_cpu_ids) flush_tlb_others(...)',
  targets: others,
  guard: maskWithinSelf,
};

export const shootdown: FlushPolicy = withLocalOnlyRule(base, 'ipiOthers',
  'flush_tlb_mm_range sends the flush to every other CPU in mm_cpumask (an IPI, or the broadcast)',
  'shootdown-without-ipis', 'mutant: flush_tlb_mm_range flushes the local CPU only');
