/**
 * TLB flush after a PTE change (x86 v4.17 flush_tlb_mm_range), split where order matters:
 *   LocalFlushOnly   the policy sends no IPI: flush_tlb_func_local on the initiator only
 *                    (if it has the mm loaded; kswapd with init_mm loaded flushes nothing).
 *   FlushTlbMmRange  local flush + flush_tlb_others: IPI each target CPU.
 *   FlushTlbFunc     a target CPU runs the IPI handler (flush_tlb_func_remote) and acks.
 *   TlbFinishMmu     the initiator, all acks in (smp_call_function_many waits), frees the
 *                    frame: mmu_gather's "unhook -> invalidate -> free" order.
 * A remap (no frame to free) is over when the last ack arrives.
 */
import { Set as ISet } from 'immutable';
import { change } from '../../src/index.js';
import type { FlushQuery } from '../policies/policy.js';
import type { Actions, Ctx } from './context.js';
import { IDLE, IDLE_OP, keyMm, type Cpu, type State } from './world.js';

/** The decision input for the flush of the routine in flight (mask: sampled early, or now). */
export function flushQuery({ w, h, policy }: Ctx, s: State): FlushQuery {
  const op = s.op;
  const mm = keyMm(op.key);
  return {
    initiator: op.cpu,
    thread: op.who,
    affinity: op.who === IDLE ? w.cpus : h.threads.get(op.who)!.cpus,
    mm,
    key: op.key,
    vmaFlags: h.vmaFlags(op.key),
    mask: policy.maskRead === 'before' ? op.snap : s.mask.get(mm)!,
  };
}

export function flushActions(ctx: Ctx): Actions {
  const { w, policy } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  /** flush_tlb_func on CPU c: drop the entry if c has the mm loaded (and catch up tlb_gen) */
  const flushOn = (s: State, c: Cpu) => {
    const mm = keyMm(s.op.key);
    let ch = change(s);
    if (s.cr3.get(c) !== mm) return ch;
    if (s.tlb.get(c)!.has(s.op.key)) ch = ch.removeIn(['tlb', c, s.op.key]);
    return w.lazy ? ch.setIn(['behind', c], false) : ch;
  };
  /** the CPUs the IPI goes to: lazy worlds skip lazy CPUs (on_each_cpu_cond_mask(tlb_is_not_lazy)) */
  const targetsOf = (s: State) => {
    const t = policy.targets(flushQuery(ctx, s));
    return w.lazy ? t.filter((d) => !ctx.h.lazy(s, d)) : t;
  };
  /** local flush on the initiator, then `pending` IPIs (or done) */
  const flush = (s: State, c: Cpu, targets: ISet<Cpu>) => {
    const op = s.op;
    const ch = flushOn(s, c);
    if (targets.isEmpty() && !op.free) return ch.set('op', IDLE_OP);
    return ch.set('op', op.set('phase', 'ipi').set('pending', targets));
  };
  return {
    LocalFlushOnly: {
      params: { c: w.cpus },
      actor,
      doc: `flush_tlb_mm_range, no remote flush (${policy.name}): flush_tlb_func_local only`,
      apply: (s: State, { c }: { c: Cpu }) => {
        if (s.op.phase !== 'written' || s.op.cpu !== c) return null;
        const t = targetsOf(s);
        return t.isEmpty() && flush(s, c, t);
      },
    },
    FlushTlbMmRange: {
      params: { c: w.cpus },
      actor,
      doc: `flush_tlb_mm_range (${policy.name}): local flush + flush_tlb_others(IPI)`,
      apply: (s: State, { c }: { c: Cpu }) => {
        if (s.op.phase !== 'written' || s.op.cpu !== c) return null;
        const t = targetsOf(s);
        return !t.isEmpty() && flush(s, c, t);
      },
    },
    FlushTlbFunc: {
      params: { c: w.cpus },
      actor,
      doc: 'IPI: flush_tlb_func_remote (flush if the mm is loaded here), then ack',
      apply: (s: State, { c }: { c: Cpu }) => {
        const op = s.op;
        if (op.phase !== 'ipi' || !op.pending.has(c)) return null;
        const ch = flushOn(s, c);
        const pending = op.pending.remove(c);
        return ch.set('op', pending.isEmpty() && !op.free ? IDLE_OP : op.set('pending', pending));
      },
    },
    TlbFinishMmu: {
      params: { c: w.cpus },
      actor,
      doc: 'tlb_finish_mmu -> free_pages: every ack in, the frame goes back to the allocator',
      apply: (s: State, { c }: { c: Cpu }) => {
        const op = s.op;
        return op.phase === 'ipi' && op.cpu === c && op.free && op.pending.isEmpty() &&
          change(s).setIn(['frame', op.frame], 'free').set('op', IDLE_OP);
      },
    },
  };
}
