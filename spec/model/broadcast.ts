/**
 * Broadcast invalidation, the flush families of a world without IPIs: arm64's TLBI (guide §4.1)
 * and AMD's INVLPGB (§3.7, x86 with global ASIDs). The flavour names the instructions, the
 * families and the code; the mechanism is one:
 *   LocalFlushOnly   the local path: this CPU's TLB only, complete at once (arm64 tlbi vale1 +
 *                    dsb nsh; x86 INVLPG).
 *   FlushTlbMmRange  the broadcast, issued to every other CPU: each performs it in its own time.
 *   <perform>        CPU d performs it: its entries for the range go, in every context (the
 *                    instruction names the ASID, so dormant entries go too).
 *   <sync>           the issuer's completion (arm64 dsb ish, x86 TLBSYNC): only once every CPU
 *                    performed it; a barrier on another CPU completes nothing. Then
 *                    tlb_finish_mmu frees.
 * The policy's targets decide as on x86: empty means local only.
 */
import type { Anchor } from '../../src/index.js';
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { dropKeys } from './gen.js';
import { flushCompleted, flushQuery, routineReturned } from './flush.js';
import { list, showSet } from './helpers.js';
import { cpuLane } from './lanes.js';
import { IDLE_OP, type OpRec, type State } from './state.js';
import type { Cpu } from './world.js';

/** What a broadcast-invalidation architecture calls things. */
export interface Flavour {
  /** the family names of the perform and completion steps */
  readonly perform: string;
  readonly sync: string;
  /** the instruction, for notes and message labels ('TLBI', 'INVLPGB') */
  readonly insn: string;
  readonly docs: { readonly local: string; readonly broadcast: string; readonly perform: string; readonly sync: string };
  readonly anchors: { readonly local: readonly Anchor[]; readonly broadcast: readonly Anchor[]; readonly perform: readonly Anchor[]; readonly sync: readonly Anchor[] };
  /** why the local path was taken, for its note */
  readonly why: (q: ReturnType<typeof flushQuery>) => string;
  /**
   * the routine returns when the broadcast is issued, not at its completion (LATR: munmap returns
   * before the remote invalidations; the free still waits for the completion step)
   */
  readonly returnsAtIssue?: boolean;
  /** the frames are freed when the broadcast is issued, without waiting for it (an unsound gate: V6e-nogate) */
  readonly freesAtIssue?: boolean;
}


export function broadcastFlushActions<S extends State>(ctx: Ctx, f: Flavour): Actions<S> {
  const { w, h, policy } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  /** the routine ends: it returns (unless it did at the issue), its record is free again */
  const end = (ch: Change<S>, slot: number, op: OpRec, issued: boolean) =>
    (issued && f.returnsAtIssue ? ch : routineReturned(ctx, ch, op)).setIn(['ops', slot], IDLE_OP);
  /** the flush is complete: the flush hooks (secondary TLBs) */
  const completed = (ch: Change<S>, op: OpRec) => flushCompleted(ctx, ch, op);
  /** the decision: the local invalidation on the issuer now, the broadcast (if any) issued to `targets` */
  const decide = (local: boolean) => (s: S, { c }: { c: Cpu }) => {
    const op = h.opOf(s, c);
    if (op?.phase !== 'written') return null;
    const targets = policy.targets(flushQuery(ctx, s, op));
    if (targets.isEmpty() !== local) return null;
    const slot = h.slotOf(s, c);
    const ch = dropKeys(change(s), c, op.keys); // by VA and ASID: whichever context holds them
    // a deferred flush (reclaim's batch) lets the pages go once its TLBI is issued (helpers' busy)
    // a local invalidation completes at once; a broadcast one waits for the issuer's completion step
    if (targets.isEmpty() && !op.free) return end(completed(ch, op), slot, op, false);
    let issued = ch.setIn(['ops', slot], op.set('phase', 'ipi').set('pending', targets).set('free', op.free && !f.freesAtIssue));
    if (f.freesAtIssue && op.free) for (const fr of op.frames) issued = issued.setIn(['frame', fr], 'free');
    return f.returnsAtIssue ? routineReturned(ctx, issued, op) : issued;
  };
  /** the routine whose invalidation CPU c performs: the only one in flight, or initiator i's */
  const routineOf = (s: S, c: Cpu, i?: Cpu) =>
    (i === undefined ? s.ops.findKey((op) => op.phase === 'ipi' && op.pending.has(c)) : s.ops.findKey((op) => op.phase === 'ipi' && op.cpu === i && op.pending.has(c))) ?? -1;
  /** with several routines in flight a CPU may perform their invalidations in any order (as x86's FlushTlbFunc) */
  const performParams = ((w.routines ?? 1) > 1 ? { c: w.cpus, i: w.cpus } : { c: w.cpus }) as { c: readonly Cpu[]; i?: readonly Cpu[] };
  return {
    LocalFlushOnly: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: `${f.docs.local} (${policy.name})`,
      anchor: f.anchors.local,
      explain: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c)!;
        const q = flushQuery(ctx, s, op);
        const others = w.cpus.filter((d) => d !== c && [...op.keys].some((k) => s.tlb.get(d)!.has(k)));
        return [
          `${policy.name}: ${f.why(q)}, vmflag ${q.vmflag.isEmpty() ? '0UL' : list(q.vmflag)}: the policy keeps it local`,
          ...others.map((d) => `CPU ${d} is not reached: it holds ${list([...op.keys].filter((k) => s.tlb.get(d)!.has(k)).map((k) => `${k} -> ${s.tlb.get(d)!.get(k)}`))}, which stays`),
        ];
      },
      apply: decide(true),
    },
    FlushTlbMmRange: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: `${f.docs.broadcast} (${policy.name})`,
      anchor: f.anchors.broadcast,
      explain: (s: S, { c }: { c: Cpu }, t: S) => {
        const op = h.opOf(s, c)!;
        const slot = h.slotOf(s, c);
        const targets = t.ops.get(slot)!.pending;
        return {
          note: `${f.insn} for ${list(op.keys)}: issued to ${showSet(targets)}, each performs it in its own time`,
          send: [...targets].map((d) => ({ id: `bcast:${slot}:${d}`, to: `HW CPU ${d}`, label: `${f.insn} ${list(op.keys)}` })),
        };
      },
      apply: decide(false),
    },
    [f.perform]: {
      params: performParams,
      actor: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      lane: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      doc: f.docs.perform,
      anchor: f.anchors.perform,
      explain: (s: S, { c, i }: { c: Cpu; i?: Cpu }) => {
        const slot = routineOf(s, c, i);
        const op = s.ops.get(slot)!;
        const held = [...op.keys].filter((k) => s.tlb.get(c)!.has(k));
        return { note: held.length ? `drops ${list(held)}` : 'nothing of the range here', receive: [`bcast:${slot}:${c}`] };
      },
      apply: (s: S, { c, i }: { c: Cpu; i?: Cpu }) => {
        const slot = routineOf(s, c, i);
        if (slot < 0) return null;
        const op = s.ops.get(slot)!;
        return dropKeys(change(s), c, op.keys).setIn(['ops', slot], op.set('pending', op.pending.remove(c)));
      },
    },
    [f.sync]: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: f.docs.sync,
      anchor: f.anchors.sync,
      explain: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c)!;
        return `the ${f.insn} is complete on every CPU${op.free ? `: ${list(op.frames)} back to the page allocator` : ''}`;
      },
      apply: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c);
        if (op?.phase !== 'ipi' || !op.pending.isEmpty()) return null;
        let ch = completed(change(s), op);
        if (op.free) for (const f of op.frames) ch = ch.setIn(['frame', f], 'free');
        return end(ch, h.slotOf(s, c), op, true);
      },
    },
  };
}
