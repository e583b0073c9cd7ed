/**
 * TLB flush after a PTE change (flush_tlb_mm_range), split where order matters:
 *   LocalFlushOnly   no CPU to IPI: inc_mm_tlb_gen, flush_tlb_func_local on the initiator only
 *                    (if it has the mm loaded; kswapd with init_mm loaded flushes nothing). A
 *                    policy with a raw local flush (INVLPG) skips the generation bump.
 *   FlushTlbMmRange  inc_mm_tlb_gen, local flush + flush_tlb_others: IPI each target CPU.
 *   FlushTlbFunc     a target CPU runs the IPI handler (flush_tlb_func_remote) and acks.
 *   TlbFinishMmu     the initiator, all acks in (smp_call_function_many waits), frees the
 *                    frames: mmu_gather's "unhook -> invalidate -> free" order.
 * A routine with nothing to free is over when the last ack arrives.
 * Which CPUs get the IPI: the policy's targets, then the era's filter: v4.20+ lazy worlds skip
 * lazy CPUs (tlb_is_not_lazy); mainline applies should_flush_tlb (sched-mainline.ts).
 */
import { Set as ISet } from 'immutable';
import { change, type Change } from '../../src/index.js';
import type { FlushQuery } from '../policies/policy.js';
import type { Actions, Ctx } from './context.js';
import { bumpGen, dropKeys, flushFunc, normalizeGens } from './gen.js';
import { shouldFlushTlb } from './sched-mainline.js';
import { IDLE_OP, type OpRec, type State } from './state.js';
import { IDLE, type Cpu } from './world.js';

/** The decision input for the flush of CPU c's routine (mask: sampled early, or now). */
export function flushQuery({ w, h, policy }: Ctx, s: State, op: OpRec): FlushQuery {
  const keys = [...op.keys];
  const vmaFlags = h.vmaFlags(keys[0]);
  return {
    initiator: op.cpu,
    thread: op.who,
    affinity: op.who === IDLE ? w.cpus : h.threads.get(op.who)!.cpus,
    mm: op.mm,
    keys,
    key: keys[0],
    vmaFlags,
    vmflag: op.path === 'range' ? vmaFlags : ISet(),
    path: op.path,
    mask: policy.maskRead === 'before' ? op.snap : s.mask.get(op.mm)!,
    state: s,
    cpus: w.cpus,
    arch: w.arch ?? 'x86',
    broadcast: w.arch === 'arm64' || w.invlpgb === true,
    mmUsers: w.threads.filter((t) => t.mm === op.mm).length,
  };
}

/**
 * The end of a flush, every CPU reached (every IPI acked, or a broadcast invalidation complete):
 * the model's flush hooks (mmu_notifier_arch_invalidate_secondary_tlbs).
 */
export function flushCompleted<S extends State>(ctx: Ctx, ch: Change<S>, op: OpRec): Change<S> {
  for (const hook of ctx.onFlush) ch = hook(ch, op);
  return ch;
}

/** The routine returns to its caller: the model's return hooks (Ctx.onReturn). */
export function routineReturned<S extends State>(ctx: Ctx, ch: Change<S>, op: OpRec): Change<S> {
  for (const hook of ctx.onReturn) ch = hook(ch, op);
  return ch;
}

/** Ends the routine in record `slot` of `ops`: it returns, the record is free again, and its generation stops counting. */
function endRoutine<S extends State>(ctx: Ctx, ch: Change<S>, slot: number, op: OpRec): Change<S> {
  return normalizeGens(ctx, routineReturned(ctx, ch, op).setIn(['ops', slot], IDLE_OP), op.mm);
}

export function flushActions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h, policy } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  /** the era's filter on the policy's targets (trim: mainline's periodic should_trim_cpumask) */
  const filtered = (s: S, op: OpRec, t: ISet<Cpu>, trim: boolean) => {
    if (w.lazy === 'mainline') return t.filter((d) => shouldFlushTlb(w, s, d, op.mm, trim));
    return w.lazy && !w.ipiLazy ? t.filter((d) => !h.lazy(s, d)) : t;
  };
  /** the end of flush_tlb_mm_range, every IPI acked: the flush hooks (mmu_notifier_arch_invalidate_secondary_tlbs) */
  const completed = (ch: Change<S>, op: OpRec) => flushCompleted(ctx, ch, op);
  /**
   * The flush decision: inc_mm_tlb_gen and the local flush on the initiator, then `targets` IPIs
   * (or done). `raw`: the policy's local path is an INVLPG outside flush_tlb_mm_range (no bump, no hooks).
   */
  const flush = (s: S, c: Cpu, slot: number, op: OpRec, targets: ISet<Cpu>, raw: boolean) => {
    let ch = change(s);
    let g = -1;
    if (h.genTracked && !raw) [ch, g] = bumpGen(ch, op.mm);
    // the change is covered by the bumped generation, or (raw) by the one the contexts already have
    if (w.pcid) for (const k of op.keys) ch = ch.setIn(['chg', k], raw ? s.gen.get(op.mm)! : g);
    if (s.cr3.get(c) === op.mm) ch = raw ? dropKeys(ch, c, op.keys) : flushFunc(ctx, ch, c, op.mm, op.keys, g);
    if (targets.isEmpty() && !raw) ch = completed(ch, op);
    if (targets.isEmpty() && !op.free) return endRoutine(ctx, ch, slot, op);
    return normalizeGens(ctx, ch.setIn(['ops', slot], op.set('phase', 'ipi').set('pending', targets).set('gen', g)), op.mm);
  };
  const decide = (local: boolean) => (s: S, { c, trim }: { c: Cpu; trim?: boolean }) => {
    const op = h.opOf(s, c);
    if (op?.phase !== 'written') return null;
    const wanted = policy.targets(flushQuery(ctx, s, op));
    const t = filtered(s, op, wanted, trim === true);
    // raw only where the policy itself flushes locally: a CPU the era's filter skips is no reason
    return t.isEmpty() === local && flush(s, c, h.slotOf(s, c), op, t, wanted.isEmpty() && policy.localFlush === 'raw');
  };
  /** mainline decides whether this flush trims the mask (at most once a second: either may happen) */
  const trimParam: { trim?: readonly boolean[] } = w.lazy === 'mainline' ? { trim: [false, true] } : {};
  return {
    LocalFlushOnly: {
      params: { c: w.cpus, ...trimParam } as { c: readonly Cpu[]; trim?: readonly boolean[] },
      actor,
      doc: `flush_tlb_mm_range, no remote flush (${policy.name}): flush_tlb_func_local only`,
      apply: decide(true),
    },
    FlushTlbMmRange: {
      params: { c: w.cpus, ...trimParam } as { c: readonly Cpu[]; trim?: readonly boolean[] },
      actor,
      doc: `flush_tlb_mm_range (${policy.name}): local flush + flush_tlb_others(IPI)`,
      apply: decide(false),
    },
    FlushTlbFunc: {
      // with one routine in flight the initiator is implied (and traces name only the target)
      params: ((w.routines ?? 1) > 1 ? { c: w.cpus, i: w.cpus } : { c: w.cpus }) as { c: readonly Cpu[]; i?: readonly Cpu[] },
      actor,
      doc: w.lazy === 'mainline'
        ? 'the IPI, IRQs on: flush_tlb_func (not the loaded mm: clear the stale mask bit), then ack'
        : 'the IPI: flush_tlb_func_remote (flush if the mm is loaded here), then ack',
      apply: (s: S, p: { c: Cpu; i?: Cpu }) => {
        const c = p.c;
        const slot = p.i === undefined ? s.ops.findKey((x) => x.phase === 'ipi') ?? -1 : h.slotOf(s, p.i);
        const op = s.ops.get(slot);
        if (op?.phase !== 'ipi' || !op.pending.has(c)) return null;
        let ch = change(s);
        if (w.lazy === 'mainline') {
          // IRQs are off in switch_mm_irqs_off: the IPI waits for the switch to end
          if (s.sw.get(c)) return null;
          if (s.loaded.get(c) !== op.mm) ch = ch.setIn(['mask', op.mm], s.mask.get(op.mm)!.remove(c));
          else ch = flushFunc(ctx, ch, c, op.mm, op.keys, op.gen);
        } else if (s.cr3.get(c) === op.mm) ch = flushFunc(ctx, ch, c, op.mm, op.keys, op.gen);
        const pending = op.pending.remove(c);
        if (pending.isEmpty()) ch = completed(ch, op);
        if (pending.isEmpty() && !op.free) return endRoutine(ctx, ch, slot, op);
        return normalizeGens(ctx, ch.setIn(['ops', slot], op.set('pending', pending)), op.mm);
      },
    },
    TlbFinishMmu: {
      params: { c: w.cpus },
      actor,
      doc: 'tlb_finish_mmu -> free_pages: every ack in, the frames go back to the allocator',
      guards: {
        // smp_call_function_many waits for every ack before flush_tlb_mm_range returns
        ackWait: (s: S, { c }: { c: Cpu }) => h.opOf(s, c)?.pending.isEmpty() === true,
      },
      apply: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c);
        if (op?.phase !== 'ipi' || !op.free) return null;
        let ch = change(s);
        for (const f of op.frames) ch = ch.setIn(['frame', f], 'free');
        // only without the ack wait (kripke mutate): the frames go now, the IPIs are still on their way
        if (!op.pending.isEmpty()) return ch.setIn(['ops', h.slotOf(s, c), 'free'], false);
        return endRoutine(ctx, ch, h.slotOf(s, c), op);
      },
    },
  };
}
