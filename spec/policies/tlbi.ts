/**
 * arm64 flush policies (guide §4, §7.5 V5): which TLBI a flush issues. There is no mm_cpumask to
 * consult (arm64 never maintains it): a broadcast names every other CPU (`others` on arm64), and
 * the x86 policies run unchanged (their shootdown is a broadcast there, their local path local).
 *   broadcastTlbi  the kernel's: every flush is `tlbi ...is`, inner-shareable (V5a)
 *   mmUsersLocal   Andrea Arcangeli's 2020 proposal: a local TLBI when mm_users == 1 (V5b);
 *                  Catalin: a CPU that ran the mm before may still walk its tables
 * The mask guard of V2 (mask-guard.ts) on arm64 is V2d: the mask is empty, the guard always true.
 */
import { NOBODY, others, withLocalOnlyRule, type FlushPolicy } from './policy.js';

const broadcast: FlushPolicy = {
  name: 'tlbi-broadcast',
  doc: 'arm64 __flush_tlb_range: dsb ishst; tlbi vale1is (every CPU); dsb ish',
  targets: others,
};

export const broadcastTlbi: FlushPolicy = withLocalOnlyRule(broadcast, 'broadcast', 'every flush is a broadcast (inner-shareable) TLBI', 'tlbi-local', 'mutant: every flush a local tlbi vale1');

export const mmUsersLocal: FlushPolicy = {
  name: 'tlbi-local-mm-users-1',
  doc: 'proposed 2020 (not merged): a local tlbi vale1 when mm_users == 1, else broadcast',
  targets: (q) => (q.mmUsers === 1 ? NOBODY : others(q)),
};
