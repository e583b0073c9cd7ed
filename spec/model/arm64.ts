/**
 * arm64 (guide §4): the scheduling and flush families of a world with `arch: 'arm64'`, in place
 * of switch_mm's mask and CR3 steps (sched.ts) and the IPI shootdown (flush.ts).
 *   SwitchMm         switch_mm -> check_and_switch_context: TTBR0 := next's tables, one ASID per
 *                    mm on every CPU, so the other mms' entries stay (dormant); no mm_cpumask
 *                    update; a kernel thread keeps TTBR0, so the CPU may still walk the user
 *                    tables (Catalin, §4.5).
 *   LocalFlushOnly   the flush as a non-shareable TLBI (`tlbi vale1` + `dsb nsh`): this CPU only.
 *   FlushTlbMmRange  the flush as a broadcast TLBI (`dsb ishst; tlbi vale1is`), issued: each
 *                    other CPU performs it in its own time (TlbiPerform).
 *   TlbiPerform      CPU d performs the broadcast TLBI: its entries for the range go, whatever
 *                    context they are in (the TLBI names the ASID).
 *   DsbIsh           the issuer's `dsb ish`: it completes only once every CPU performed the
 *                    TLBI (a DSB on another CPU completes nothing); then tlb_finish_mmu frees.
 * The policy's targets decide as on x86: empty means local only; on arm64 a broadcast reaches
 * every other CPU, so `broadcastTlbi` (policies/tlbi.ts) names them all, mask or not.
 */
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { dropKeys } from './gen.js';
import { flushQuery } from './flush.js';
import { showSet } from './helpers.js';
import { IDLE_OP, type OpRec, type State } from './state.js';
import { IDLE, type Cpu } from './world.js';

const ARM64 = 'v6.15';
const tlbflush = (fn: string) => ({ file: 'arch/arm64/include/asm/tlbflush.h', fn, version: ARM64 });
const cpuLane = ({ c }: { c: Cpu }) => `CPU ${c}`;
const list = (xs: Iterable<string>) => [...xs].join(', ');

export function arm64Actions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h, policy } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  /** the routine ends: its record is free again */
  const end = (ch: Change<S>, slot: number) => ch.setIn(['ops', slot], IDLE_OP);
  /** the flush is complete: the flush hooks (secondary TLBs) */
  const completed = (ch: Change<S>, op: OpRec) => {
    for (const hook of ctx.onFlush) ch = hook(ch, op);
    return ch;
  };
  /** the decision: the local TLBI on the issuer now, the broadcast (if any) issued to `targets` */
  const decide = (local: boolean) => (s: S, { c }: { c: Cpu }) => {
    const op = h.opOf(s, c);
    if (op?.phase !== 'written') return null;
    const targets = policy.targets(flushQuery(ctx, s, op));
    if (targets.isEmpty() !== local) return null;
    const slot = h.slotOf(s, c);
    const ch = dropKeys(change(s), c, op.keys); // by VA and ASID: whichever context holds them
    // a local TLBI completes at its own dsb nsh; a broadcast one waits for the issuer's dsb ish
    if (targets.isEmpty() && !op.free) return end(completed(ch, op), slot);
    return ch.setIn(['ops', slot], op.set('phase', 'ipi').set('pending', targets));
  };
  /** the routine whose TLBI CPU c performs: the only one in flight, or initiator i's */
  const routineOf = (s: S, c: Cpu, i?: Cpu) =>
    (i === undefined ? s.ops.findKey((op) => op.phase === 'ipi' && op.pending.has(c)) : s.ops.findKey((op) => op.phase === 'ipi' && op.cpu === i && op.pending.has(c))) ?? -1;
  /** with several routines in flight a CPU may perform their TLBIs in any order (as x86's FlushTlbFunc) */
  const performParams = ((w.routines ?? 1) > 1 ? { c: w.cpus, i: w.cpus } : { c: w.cpus }) as { c: readonly Cpu[]; i?: readonly Cpu[] };
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
    LocalFlushOnly: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: `local TLBI (${policy.name}): tlbi vale1 (non-shareable) + dsb nsh: this CPU's TLB only`,
      anchor: tlbflush('__flush_tlb_range'),
      explain: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c)!;
        const q = flushQuery(ctx, s, op);
        const others = w.cpus.filter((d) => d !== c && [...op.keys].some((k) => s.tlb.get(d)!.has(k)));
        return [
          `${policy.name}: mm_cpumask(${op.mm}) = ${showSet(q.mask)} (arm64 never maintains it), mm_users ${q.mmUsers}, vmflag ${q.vmflag.isEmpty() ? '0UL' : list(q.vmflag)}: the policy keeps it local`,
          ...others.map((d) => `CPU ${d} is not reached: it holds ${list([...op.keys].filter((k) => s.tlb.get(d)!.has(k)).map((k) => `${k} -> ${s.tlb.get(d)!.get(k)}`))}, which stays`),
        ];
      },
      apply: decide(true),
    },
    FlushTlbMmRange: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: `broadcast TLBI (${policy.name}): dsb ishst; tlbi vale1is: issued to every CPU, complete at the issuer's dsb ish`,
      anchor: tlbflush('__flush_tlb_range'),
      explain: (s: S, { c }: { c: Cpu }, t: S) => {
        const op = h.opOf(s, c)!;
        const slot = h.slotOf(s, c);
        const targets = t.ops.get(slot)!.pending;
        return {
          note: `tlbi vale1is for ${list(op.keys)}: issued to ${showSet(targets)}, each performs it in its own time`,
          send: [...targets].map((d) => ({ id: `tlbi:${slot}:${d}`, to: `HW CPU ${d}`, label: `TLBI ${list(op.keys)}` })),
        };
      },
      apply: decide(false),
    },
    TlbiPerform: {
      params: performParams,
      actor: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      lane: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      doc: 'the broadcast TLBI is performed on this CPU: its entries for the range go, in every ASID',
      anchor: { file: 'Arm ARM', fn: 'TLB maintenance: a broadcast TLBI is performed on each PE of the Inner Shareable domain, complete at the issuer\'s DSB' },
      explain: (s: S, { c, i }: { c: Cpu; i?: Cpu }) => {
        const slot = routineOf(s, c, i);
        const op = s.ops.get(slot)!;
        const held = [...op.keys].filter((k) => s.tlb.get(c)!.has(k));
        return { note: held.length ? `drops ${list(held)}` : 'nothing of the range here', receive: [`tlbi:${slot}:${c}`] };
      },
      apply: (s: S, { c, i }: { c: Cpu; i?: Cpu }) => {
        const slot = routineOf(s, c, i);
        if (slot < 0) return null;
        const op = s.ops.get(slot)!;
        return dropKeys(change(s), c, op.keys).setIn(['ops', slot], op.set('pending', op.pending.remove(c)));
      },
    },
    DsbIsh: {
      params: { c: w.cpus },
      actor,
      lane: cpuLane,
      doc: 'dsb ish on the issuer: completes once every CPU performed the TLBI; then tlb_finish_mmu frees the pages',
      anchor: [tlbflush('__flush_tlb_range'), { file: 'mm/mmu_gather.c', fn: 'tlb_finish_mmu', version: ARM64 }],
      explain: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c)!;
        return `the TLBI is complete on every CPU${op.free ? `: ${list(op.frames)} back to the page allocator` : ''}`;
      },
      apply: (s: S, { c }: { c: Cpu }) => {
        const op = h.opOf(s, c);
        if (op?.phase !== 'ipi' || !op.pending.isEmpty()) return null;
        let ch = completed(change(s), op);
        if (op.free) for (const f of op.frames) ch = ch.setIn(['frame', f], 'free');
        return end(ch, h.slotOf(s, c));
      },
    },
  };
}
