/**
 * The kernel verdict table (guide §7.5, §7.6): one row per (variant, property), each checked
 * with only that property. `npm start` / `kripke suite spec/suite.ts` runs it; the tests in
 * test/kernel.test.ts assert the same verdicts and pinned lengths.
 *
 * expectLength counts states on the trace (actions + 1), as measured by BFS (shortest).
 */
import { defineSuite, type SuiteRow } from '../src/index.js';
import kernel from './kernel.js';
import affinityOnly from './variants/affinity-only.js';

const row = (variant: string, property: string, expect: SuiteRow['expect'], note: string, expectLength?: number): SuiteRow => ({
  variant, spec: kernel, module: 'spec/kernel.ts', constants: { VARIANT: variant }, property, expect, note, ...(expectLength ? { expectLength } : {}),
});

export default defineSuite({
  name: 'kernel',
  doc: 'VM_LOCAL_CPU review: x86 v4.17 mm_cpumask/shootdown semantics against local-flush policies',
  rows: [
    row('V0', 'NoStaleTranslation', 'holds', 'munmap shoots down every CPU in mm_cpumask before free_pages: no stale entry survives the free'),
    row('V0', 'MaskCoversRunning', 'holds', 'switch_mm sets the bit before CR3 is loaded and clears it only on switch-away'),
    row('V0', 'LocalFlushSafe', 'holds', 'x86 flushes locally only when mask ⊆ {self}: any CPU running the mm is in the mask'),
    row('V0', 'GuardImpliesSafe', 'holds', 'the x86 guard itself (cpumask_any_but) read after the PTE write: the "if" half holds'),
    row('V0', 'SafeWithoutGuard', 'witness', 't1 runs A on CPU 1 (in the mask) but never filled x: local would be safe, so the "only if" half is false'),
    row('V1', 'NoStaleTranslation', 'violated', "Rutland's x/y: CPU 1 speculatively fills x, CPU 0's local-only munmap frees f1, f1 becomes a kernel page table", 7),
    row('V1', 'LocalFlushSafe', 'violated', 'VM_LOCAL_CPU skips flush_tlb_others although CPU 1 (in the mask) holds x', 5),
    row('V1', 'MaskCoversRunning', 'holds', 'the patch does not touch switch_mm: the mask is right, it is just ignored'),
    row('V2a', 'NoStaleTranslation', 'holds', 'guard mask ⊆ {self} read after the PTE write: the guard fails whenever another CPU may hold x'),
    row('V2a', 'LocalFlushSafe', 'holds', 'the guarded local flush is taken only when no other CPU runs the mm'),
    row('V2a', 'GuardImpliesSafe', 'holds', '"local flush is safe if mm_cpumask ⊆ {self}" under classical x86 mask semantics (§7.6 a-e)'),
    row('V2a', 'SafeWithoutGuard', 'witness', 'the mask over-approximates: a CPU in it need not hold the entry'),
    row('V2b', 'NoStaleTranslation', 'violated', 'CVE-2016-2069 order: mask read as {0}, CPU 1 switches in and fills x, local flush, free, reuse', 12),
    row('V2b', 'LocalFlushSafe', 'violated', 'the early mask read misses CPU 1, which switched in between the read and the PTE write', 10),
    row('V2b', 'GuardImpliesSafe', 'violated', 'the guard is true on a stale read of mm_cpumask', 10),
    row('V2c-singleton', 'NoStaleTranslation', 'violated', 'kswapd on CPU 0 sees mask {1}, a singleton, flushes its own (unrelated) TLB and frees f1', 6),
    row('V2c-singleton', 'GuardImpliesSafe', 'violated', '"mask is a singleton" is the wrong guard when the initiator is not the CPU running the mm', 4),
    row('V2c-singleton', 'LocalFlushSafe', 'violated', 'the local flush on CPU 0 cannot reach CPU 1\'s entry', 4),
    row('V2c-self', 'NoStaleTranslation', 'holds', 'guard mask ⊆ {initiator}: kswapd IPIs CPU 1 whenever it runs the mm'),
    row('V2c-self', 'GuardImpliesSafe', 'holds', 'mask ⊆ {initiator} is the right guard for a remote initiator'),
    row('V3', 'NoStaleTranslation', 'violated', 'zuf: the window VA is never freed, but the app frame behind it is; CPU 1 (zt1) still maps it', 15),
    row('V3', 'LocalFlushSafe', 'violated', 'the drain-page remap flushes CPU 0 only while zt1 on CPU 1 holds the window entry', 7),
    row("V3'", 'NoStaleTranslation', 'holds', 'zuf 2019: zap_vma_ptes shoots down every CPU running a ZT before the app frame can be freed'),
    row("V3'", 'LocalFlushSafe', 'holds', 'local-only flushes happen only when the zus mm runs nowhere else'),
    row("V3''", 'NoStaleTranslation', 'holds', 'one mm per ZT: no other CPU loads zt0\'s page tables, so the guarded local flush suffices'),
    row("V3''", 'LocalFlushSafe', 'holds', 'mm_cpumask(A) ⊆ {0} whenever zt0 remaps its window'),
    row("V3''", 'SafeWithoutGuard', 'no-witness', 'with one pinned thread per mm the guard is exact: the mask never holds a clean extra CPU at a flush'),
    row('V4a', 'NoStaleTranslation', 'holds', 'lazy CPUs are skipped by the shootdown but flush on return: their tlb_gen is behind'),
    row('V4a', 'LocalFlushSafe', 'holds', 'a lazy CPU holds entries it cannot use architecturally until it returns'),
    row('V4c', 'NoStaleTranslation', 'violated', 'the lazy CPU, skipped by the IPI, returns to the mm without the tlb_gen check and uses x -> f1', 9),
    row('V4c', 'LocalFlushSafe', 'holds', 'at the flush the stale entry is not usable: safety rests on the return-from-lazy check'),
    row('V3-guarded', 'NoStaleTranslation', 'holds', 'the 2018 drain remap is safe in the shared zus mm once guarded by mask ⊆ {self} (it then IPIs)'),
    row('V0-cr3-first', 'MaskCoversRunning', 'violated', 'switch_mm loads CR3 before setting the bit: a CPU runs the mm outside its mask', 4),
    row('V0-cr3-first', 'LocalFlushSafe', 'violated', 'the initiator reads the mask before CPU 1 set its bit, though CPU 1 already walks A', 8),
    row('V0-cr3-first', 'NoStaleTranslation', 'violated', 'the switch-side half of CVE-2016-2069: a correct flush policy is not enough if the mask lags CR3', 10),
    row('V0-mixed', 'NoStaleTranslation', 'holds', 'x86 v4.17 stays safe with migration, a second mm and a remote initiator (18.8k states)'),
    row('V0-mixed', 'LocalFlushSafe', 'holds', 'local-only flushes (mask ⊆ {self}, or kswapd on an empty mask) leave nothing usable elsewhere'),
    row('V0-mixed', 'MaskCoversRunning', 'holds', 'migration goes through switch_mm: the bit follows the thread'),
    row('V1-mixed', 'NoStaleTranslation', 'violated', 'the same world with VM_LOCAL_CPU: fill elsewhere, local munmap, reuse', 7),
    {
      variant: 'Vx-affinity', spec: affinityOnly, module: 'spec/variants/affinity-only.ts', property: 'NoStaleTranslation', expect: 'violated', expectLength: 7,
      note: 'flushing only the CPUs the unmapping thread may run on is V1 again: speculation ignores affinity',
    },
  ],
});
