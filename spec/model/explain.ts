/**
 * What a kernel trace says at each step beyond the changed values (presentation only: these run
 * when a trace is rendered, never during the search). The flush decision says which mask it
 * read, when, and for every other CPU that matters why it was sent an IPI or skipped and what it
 * still holds; the IPI handler receives the IPI and sends its ack; the final access says which
 * frame the stale entry reaches and what that frame is now.
 */
import type { ActionDef, Explanation, Message } from '../../src/index.js';
import { describeUse, staleHit } from '../../invariants/kernel.js';
import type { Ctx } from './context.js';
import { flushQuery } from './flush.js';
import { list, showSet } from './helpers.js';
import type { OpRec, State } from './state.js';
import { IDLE, INIT_MM, keyMm, pteFrame, type Cpu, type Frame, type Key } from './world.js';

type Explain = NonNullable<ActionDef<any, any>['explain']>;

const ipiId = (slot: number, d: Cpu) => `ipi:${slot}:${d}`;
const ackId = (slot: number, d: Cpu) => `ack:${slot}:${d}`;

/** How the routine's flush will reach flush_tlb_mm_range, and what that means for the patch's test of vmflag. */
const pathText = (op: OpRec) =>
  op.path === 'gather' ? 'mmu_gather: tlb_flush passes vmflag 0UL'
  : op.path === 'page' ? 'flush_tlb_page: vmflag VM_NONE'
  : "flush_tlb_range(vma): vmflag is the vma's flags";

export function explanations(ctx: Ctx): (name: string) => Explain | undefined {
  const { w, h, policy } = ctx;
  const holds = (s: State, d: Cpu, keys: Iterable<Key>) =>
    [...keys].filter((k) => s.tlb.get(d)!.has(k)).map((k) => `${k} -> ${s.tlb.get(d)!.get(k)}${h.usable(s, d, k) ? '' : ' (not in use now)'}`);

  /** The routine a step started (in t), if any, with its record. */
  const started = (t: State, c: Cpu) => h.opOf(t, c);
  const routine: Explain = (s: State, p: { c: Cpu }, t: State) => {
    const op = started(t, p.c);
    if (!op || op.phase !== 'written') return undefined;
    const before = [...op.keys].map((k) => `${k}: ${s.pte.get(k) || 'none'} -> ${t.pte.get(k) || 'none'}`);
    const free = op.free ? `; ${list(op.frames)} freed once the flush is done` : op.frames.size ? `; ${list(op.frames)} not freed here (a PFN map)` : '';
    return `${op.who === IDLE ? 'kswapd' : op.who} changes ${list(before)}; the flush comes next, via ${pathText(op)}${free}`;
  };

  const decide: Explain = (s: State, p: { c: Cpu }, t: State): Explanation | undefined => {
    const c = p.c;
    const op = h.opOf(s, c);
    if (!op) return undefined;
    const slot = h.slotOf(s, c);
    const q = flushQuery(ctx, s, op);
    const wanted = policy.targets(q);
    const after = t.ops.get(slot)!;
    const targets = after.cpu === c && after.phase === 'ipi' ? after.pending : wanted.clear();
    const when = policy.maskRead === 'before' ? 'read before the PTE write' : 'read after the PTE write';
    const notes = [
      `${policy.name}: mm_cpumask(${op.mm}) = ${showSet(q.mask)} (${when}${policy.maskRead === 'before' ? `; now ${showSet(s.mask.get(op.mm)!)}` : ''}), ` +
        `vmflag ${q.vmflag.isEmpty() ? (op.path === 'page' ? 'VM_NONE' : '0UL') : list(q.vmflag)}`,
      s.cr3.get(c) === op.mm ? `CPU ${c} flushes ${list(op.keys)} from its own TLB` : `CPU ${c} has ${s.cr3.get(c)} loaded: its own flush drops nothing`,
    ];
    const send: Message[] = [];
    for (const d of w.cpus) {
      if (d === c) continue;
      const held = holds(s, d, op.keys);
      const relevant = targets.has(d) || held.length > 0 || q.mask.has(d) || s.mask.get(op.mm)!.has(d) || s.cr3.get(d) === op.mm;
      if (!relevant) continue;
      const holding = held.length ? `; it holds ${held.join(', ')}` : '';
      if (targets.has(d)) {
        notes.push(`IPI to CPU ${d}${holding}`);
        send.push({ id: ipiId(slot, d), to: `CPU ${d}`, label: `flush IPI: ${list(op.keys)}` });
      } else {
        const why = !q.mask.has(d)
          ? `not in the mask as read${s.mask.get(op.mm)!.has(d) ? ` (it set its bit after the read)` : ''}${s.cr3.get(d) === op.mm ? `, though it has ${op.mm} loaded` : ''}`
          : !wanted.has(d) ? `the policy (${policy.name}) sends it no IPI`
          : w.lazy === 'mainline' ? 'should_flush_tlb() says no' : 'lazy: tlb_is_not_lazy() skips it';
        notes.push(`CPU ${d} skipped: ${why}${holding}${held.length ? ', which stays' : ''}`);
      }
    }
    return { note: notes, send };
  };

  const handler: Explain = (s: State, p: { c: Cpu; i?: Cpu }, t: State): Explanation | undefined => {
    const c = p.c;
    const slot = p.i === undefined ? s.ops.findKey((x) => x.phase === 'ipi') ?? -1 : h.slotOf(s, p.i);
    const op = s.ops.get(slot);
    if (!op) return undefined;
    const loaded = w.lazy === 'mainline' ? s.loaded.get(c) : s.cr3.get(c);
    const did = loaded === op.mm
      ? `${op.mm} is loaded here: drops ${list(op.keys)}`
      : w.lazy === 'mainline' ? `${op.mm} is not the loaded mm here: clears CPU ${c}'s stale bit in mm_cpumask(${op.mm})` : `${op.mm} is not loaded here: nothing to flush`;
    const last = op.pending.size === 1 ? (op.free ? '; last ack: tlb_finish_mmu may free now' : '; last ack: the routine is over') : '';
    return {
      note: `flush_tlb_func on CPU ${c}: ${did}${last}`,
      receive: [ipiId(slot, c)],
      send: [{ id: ackId(slot, c), to: `CPU ${op.cpu}`, label: 'ack' }],
    };
  };

  const finish: Explain = (s: State, p: { c: Cpu }): Explanation | undefined => {
    const op = h.opOf(s, p.c);
    const slot = h.slotOf(s, p.c);
    if (!op) return undefined;
    return { note: `every IPI acked: ${list(op.frames)} back to the page allocator`, receive: w.cpus.map((d) => ackId(slot, d)) };
  };

  /** The entries of mm's pages in CPU c's TLB. */
  const entriesOf = (x: State, c: Cpu, mm: string) => [...x.tlb.get(c)!].filter(([k]) => keyMm(k) === mm).map(([k, e]) => `${k} -> ${e}`);

  /** switch_mm: what the step did to the mask and CR3, and whether the context kept its entries. */
  const switchMm: Explain = (s: State, p: { c: Cpu; t: string }, t: State) => {
    const c = p.c;
    const next = h.mmOf(p.t);
    const prev = s.cr3.get(c)!;
    if (p.t === IDLE && w.lazy) return `enter_lazy_tlb: CPU ${c} keeps ${prev} loaded and stays in mm_cpumask(${prev})${w.lazy === 'mainline' ? '' : '; shootdowns skip it while it is lazy'}`;
    if (prev === next) {
      if (s.curr.get(c) !== IDLE || next === INIT_MM) return `${p.t} takes over in the same mm: no CR3 load`;
      const kept = entriesOf(t, c, next);
      if (w.lazy === 'no-gen-check') return `back to ${next} from lazy mode without checking tlb_gen${kept.length ? `: it uses ${kept.join(', ')} as ${kept.length === 1 ? 'it is' : 'they are'}` : ''}`;
      const before = entriesOf(s, c, next).length;
      return `back to ${next} from lazy mode: ${kept.length < before ? `tlb_gen moved, the context is flushed` : 'the context is not behind tlb_gen: kept'}`;
    }
    const clear = prev === INIT_MM ? '' : `clears CPU ${c}'s bit in mm_cpumask(${prev}) and `;
    const bits = `${clear}${w.switchOrder === 'cr3-first' ? `loads CR3 (${next}) before setting CPU ${c}'s bit in mm_cpumask(${next})` : `sets CPU ${c}'s bit in mm_cpumask(${next})`}`;
    const window = w.switchOrder === 'cr3-first' ? `: CPU ${c} walks ${next} before its bit is set`
      : prev === INIT_MM ? '; CR3 still holds init_mm until the CR3 load'
      : `; CR3 still holds ${prev} until the CR3 load, so the hardware may still walk ${prev}`;
    return next === INIT_MM ? `CPU ${c} leaves ${prev}: clears its bit in mm_cpumask(${prev}); CR3 still holds ${prev} until the CR3 load` : `${bits}${window}`;
  };

  /** The CR3 load: which context comes back, and whether it is flushed. */
  const loadCr3: Explain = (s: State, p: { c: Cpu }, t: State) => {
    const next = t.cr3.get(p.c)!;
    const before = entriesOf(s, p.c, next);
    const after = entriesOf(t, p.c, next);
    const old = s.cr3.get(p.c)!;
    const dropped = old !== next && old !== INIT_MM && !w.pcid ? `; the entries of ${old} go with the old CR3` : '';
    if (next === INIT_MM) return `CR3 := init_mm${dropped}`;
    if (before.length === 0) return `CR3 := ${next}${dropped}`;
    return after.length < before.length
      ? `CR3 := ${next}: its context is behind tlb_gen, so it is flushed (${before.join(', ')} go)`
      : `CR3 := ${next}: its context is not behind the tlb_gen read, so ${after.join(', ')} ${after.length === 1 ? 'is' : 'are'} used again`;
  };

  const table: Record<string, Explain> = {
    SwitchMm: switchMm,
    LoadCr3: loadCr3,
    CpumaskSetCpu: (s: State, p: { c: Cpu }, t: State) => {
      const mm = w.lazy === 'mainline' ? h.mmOf(t.curr.get(p.c)!) : t.cr3.get(p.c)!;
      return `sets CPU ${p.c}'s bit in mm_cpumask(${mm}): ${showSet(s.mask.get(mm) ?? [])} -> ${showSet(t.mask.get(mm) ?? [])}`;
    },
    ReadTlbGen: (_s: State, p: { c: Cpu }, t: State) => `reads tlb_gen(${h.mmOf(t.curr.get(p.c)!)}) = ${t.rgen.get(p.c)}: the CR3 load flushes a context behind it`,
    SetLoadedMm: (_s: State, p: { c: Cpu }, t: State) => `loaded_mm := ${t.loaded.get(p.c)}: from now on should_flush_tlb() sees CPU ${p.c} in it`,
    ZapPteRange: routine,
    Mprotect: routine,
    Mremap: routine,
    Reclaim: routine,
    ZtMapPages: routine,
    ZtUnmapPages: routine,
    ReadMmCpumask: (s: State, p: { c: Cpu; k: Key }) =>
      `mm_cpumask(${keyMm(p.k)}) read as ${showSet(s.mask.get(keyMm(p.k))!)} before the PTE write: the load hoisted above the store`,
    LocalFlushOnly: decide,
    FlushTlbMmRange: decide,
    FlushTlbFunc: handler,
    TlbFinishMmu: finish,
    HwFill: (s: State, p: { c: Cpu; k: Key }) =>
      `speculative or prefetch walk: CPU ${p.c} has ${keyMm(p.k)} loaded and ${p.k} is present (PTE -> ${s.pte.get(p.k)}); no thread needs to touch ${p.k}`,
    ReleasePfn: (_s: State, p: { f: Frame }) => `no PTE maps ${p.f} and the unmap returned: the driver frees it`,
    FrameAlloc: (_s: State, p: { f: Frame; use: string }) => `${p.f} was free: the kernel takes it as ${describeUse(p.use)}`,
    Access: (s: State, p: { c: Cpu; t: string; k: Key }) => {
      const e = s.tlb.get(p.c)!.get(p.k);
      if (e === undefined) return `TLB miss: ${p.t} walks ${keyMm(p.k)}'s page tables and fills ${p.k} -> ${s.pte.get(p.k)}`;
      const hit = staleHit(s, p.c, p.k);
      if (!hit) return `TLB hit: ${p.k} -> ${pteFrame(e)}`;
      const pte = s.pte.get(p.k) === '' ? `${p.k} has no PTE any more` : `the PTE of ${p.k} now says ${s.pte.get(p.k)}`;
      return `TLB hit on the stale entry ${p.k} -> ${hit.frame}: ${pte}, yet ${p.t} loads from (or stores to) ${hit.frame}, which is now ${describeUse(hit.use)}`;
    },
  };
  return (name) => table[name];
}
