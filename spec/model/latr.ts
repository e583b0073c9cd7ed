/**
 * LATR, lazy translation coherence (Kumar et al., ASPLOS 2018; guide §6.5, V6e), as a flavour
 * of the broadcast-invalidation flush (broadcast.ts) on x86 without PCID: munmap flushes its own
 * TLB, posts a LATR state for the other CPUs in mm_cpumask and returns at once; each of those
 * CPUs invalidates the range at its next scheduler tick or context switch (LatrSweep), and the
 * frames go back to the allocator only once every one has (LatrFree). The range stays the
 * routine's until then, so the virtual addresses are not reused either. Frame-safe if that gate
 * is sound; the munmap has returned while other CPUs can still use the translation.
 * The paper's code is against Linux 4.10 (sslab-gatech/latr, LAZY_TLB_SHOOTDOWN); the
 * mechanism here is the paper's, its data structures are not modelled.
 */
import type { Flavour } from './broadcast.js';
import { showSet } from './helpers.js';

const LATR_CODE = 'sslab-gatech/latr (Linux 4.10, LAZY_TLB_SHOOTDOWN)';

export const LATR: Flavour = {
  perform: 'LatrSweep',
  sync: 'LatrFree',
  insn: 'LATR state',
  docs: {
    local: 'flush_tlb_mm_range, no other CPU in mm_cpumask: the local flush only',
    broadcast: 'LATR munmap: the local flush, a LATR state posted for every other CPU in mm_cpumask, and munmap returns',
    perform: 'the scheduler tick (or a context switch) on this CPU sweeps the LATR states: its entries for the range go',
    sync: 'every CPU has swept the LATR state: the frames go back to the page allocator and the range may be reused',
  },
  anchors: {
    local: [{ file: 'arch/x86/mm/tlb.c', fn: 'flush_tlb_mm_range', version: 'v4.10' }],
    broadcast: [{ file: LATR_CODE, fn: 'the munmap path: post a LATR state instead of the IPIs' }],
    perform: [{ file: LATR_CODE, fn: 'the per-core sweep at the scheduler tick' }],
    sync: [{ file: LATR_CODE, fn: 'the deferred free, once every core swept' }],
  },
  why: (q) => `mm_cpumask(${q.mm}) = ${showSet(q.mask)}`,
  returnsAtIssue: true,
};

/** LATR with the deferral gate left out: the frames are freed as munmap returns (V6e-nogate). */
export const LATR_NO_GATE: Flavour = {
  ...LATR,
  docs: { ...LATR.docs, broadcast: 'LATR munmap without the gate: the local flush, a LATR state posted for the other CPUs, the frames freed at once, and munmap returns' },
  freesAtIssue: true,
};
