/**
 * AMD INVLPGB (x86, 2025; guide §3.7) as a broadcast-invalidation flavour (broadcast.ts): an mm
 * with a global ASID is flushed by INVLPGB, performed on every CPU (InvlpgbPerform) and complete
 * at the issuer's TLBSYNC (Tlbsync), with no IPIs; broadcast_tlb_flush() in arch/x86/mm/tlb.c.
 * The switch side is x86's own (sched.ts with PCID): a global ASID is never behind, so a
 * switch-in keeps its entries. The local path is the V2 guard's shortcut (an INVLPG here).
 */
import { showSet } from './helpers.js';
import type { Flavour } from './broadcast.js';

const at = (file: string, fn: string) => ({ file, fn, version: 'v6.15' });

export const INVLPGB: Flavour = {
  perform: 'InvlpgbPerform',
  sync: 'Tlbsync',
  insn: 'INVLPGB',
  docs: {
    local: 'local INVLPG on this CPU only (no INVLPGB)',
    broadcast: 'broadcast_tlb_flush: INVLPGB for the range under the global ASID, to every CPU, complete at the TLBSYNC',
    perform: 'the INVLPGB is performed on this CPU: its entries for the range go, in every context',
    sync: 'TLBSYNC on the issuer: completes once every CPU performed the INVLPGB; then tlb_finish_mmu frees the pages',
  },
  anchors: {
    local: [at('arch/x86/mm/tlb.c', 'flush_tlb_mm_range')],
    broadcast: [at('arch/x86/mm/tlb.c', 'flush_tlb_mm_range'), at('arch/x86/mm/tlb.c', 'broadcast_tlb_flush')],
    perform: [{ file: 'AMD APM Vol. 3', fn: 'INVLPGB: the invalidation is broadcast to every processor' }],
    sync: [at('arch/x86/mm/tlb.c', 'broadcast_tlb_flush'), at('mm/mmu_gather.c', 'tlb_finish_mmu')],
  },
  why: (q) => `mm_cpumask(${q.mm}) = ${showSet(q.mask)}`,
};
