/**
 * arm64 (guide §4): the scheduling and flush families of a world with `arch: 'arm64'`, in place
 * of switch_mm's mask and CR3 steps (sched.ts) and the IPI shootdown (flush.ts).
 *   SwitchMm   switch_mm -> check_and_switch_context: TTBR0 := next's tables, one ASID per mm on
 *              every CPU, so the other mms' entries stay (dormant); no mm_cpumask update; a
 *              kernel thread keeps TTBR0, so the CPU may still walk the user tables (Catalin, §4.5).
 *   the flush  broadcast.ts with the TLBI flavour: a local `tlbi vale1` + `dsb nsh`, or a
 *              broadcast `tlbi vale1is` performed on each CPU (TlbiPerform) and complete at the
 *              issuer's `dsb ish` (DsbIsh), then tlb_finish_mmu frees.
 */
import { change } from '../../src/index.js';
import { broadcastFlushActions, type Flavour } from './broadcast.js';
import type { Actions, Ctx } from './context.js';
import { showSet } from './helpers.js';
import { cpuLane } from './lanes.js';
import type { State } from './state.js';
import { IDLE, type Cpu } from './world.js';

const ARM64 = 'v6.15';
const tlbflush = (fn: string) => ({ file: 'arch/arm64/include/asm/tlbflush.h', fn, version: ARM64 });

/** arm64's TLBI as a broadcast-invalidation flavour. */
export const TLBI: Flavour = {
  perform: 'TlbiPerform',
  sync: 'DsbIsh',
  insn: 'TLBI',
  docs: {
    local: 'local TLBI: tlbi vale1 (non-shareable) + dsb nsh: this CPU\'s TLB only',
    broadcast: 'broadcast TLBI: dsb ishst; tlbi vale1is: issued to every CPU, complete at the issuer\'s dsb ish',
    perform: 'the broadcast TLBI is performed on this CPU: its entries for the range go, in every ASID',
    sync: 'dsb ish on the issuer: completes once every CPU performed the TLBI; then tlb_finish_mmu frees the pages',
  },
  anchors: {
    local: [tlbflush('__flush_tlb_range')],
    broadcast: [tlbflush('__flush_tlb_range')],
    perform: [{ file: 'Arm ARM', fn: 'TLB maintenance: a broadcast TLBI is performed on each PE of the Inner Shareable domain, complete at the issuer\'s DSB' }],
    sync: [tlbflush('__flush_tlb_range'), { file: 'mm/mmu_gather.c', fn: 'tlb_finish_mmu', version: ARM64 }],
  },
  why: (q) => `mm_cpumask(${q.mm}) = ${showSet(q.mask)} (arm64 never maintains it), mm_users ${q.mmUsers}`,
};

export function arm64Actions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  return {
    SwitchMm: {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads] },
      actor,
      lane: cpuLane,
      doc: 'schedule() -> switch_mm -> check_and_switch_context: TTBR0 := next (one ASID per mm), no mm_cpumask update',
      anchor: [{ file: 'arch/arm64/include/asm/mmu_context.h', fn: 'switch_mm', version: ARM64 }, { file: 'arch/arm64/mm/context.c', fn: 'check_and_switch_context', version: ARM64 }],
      explain: (s: S, { c, t }: { c: Cpu; t: string }) => t === IDLE
        ? `a kernel thread runs: TTBR0 keeps ${s.cr3.get(c)}, whose tables CPU ${c} may still walk`
        : `TTBR0 := ${h.mmOf(t)}; the entries of other mms stay under their ASIDs; mm_cpumask is not touched`,
      apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
        if (s.curr.get(c) === t || !h.allowed(t, c) || h.opOf(s, c)) return null;
        if (t !== IDLE && w.cpus.some((d) => d !== c && s.curr.get(d) === t)) return null;
        const ch = change(s).setIn(['curr', c], t);
        return t === IDLE || h.mmOf(t) === s.cr3.get(c) ? ch : ch.setIn(['cr3', c], h.mmOf(t));
      },
    },
    ...broadcastFlushActions<S>(ctx, TLBI),
  };
}
