/**
 * TLBs and accesses. Hardware fill is ALWAYS enabled for any present PTE of the mm whose page
 * tables are loaded on the CPU (speculation, prefetch: Wilcox, PeterZ, Hansen in the thread),
 * whether or not any thread touches the address; eviction may drop any entry at any time.
 * Access is a thread's architectural use: a hit uses the entry (the state does not change: the
 * step is there so NoStaleTranslation can judge the use), a miss walks and fills.
 * An entry is a copy of the PTE (frame and write permission) at the time of the walk.
 */
import { change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import type { State } from './state.js';
import { keyMm, type Cpu, type Key } from './world.js';

export function tlbActions<S extends State>({ w, h }: Ctx): Actions<S> {
  const fill = (s: S, c: Cpu, k: Key) => {
    const p = s.pte.get(k)!;
    return s.cr3.get(c) === keyMm(k) && p !== '' && !s.tlb.get(c)!.has(k) && change(s).setIn(['tlb', c, k], p);
  };
  return {
    HwFill: {
      params: { c: w.cpus, k: h.keys },
      actor: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      doc: 'page walk + TLB fill, speculative or prefetch: any present PTE of the loaded mm',
      apply: (s: S, { c, k }: { c: Cpu; k: Key }) => fill(s, c, k),
    },
    HwEvict: {
      params: { c: w.cpus, k: h.keys },
      actor: ({ c }: { c: Cpu }) => `HW CPU ${c}`,
      doc: 'TLB eviction (capacity / replacement)',
      apply: (s: S, { c, k }: { c: Cpu; k: Key }) => s.tlb.get(c)!.has(k) && change(s).removeIn(['tlb', c, k]),
    },
    Access: {
      params: { c: w.cpus, t: h.userThreads, k: h.keys },
      actor: ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`,
      doc: w.deferred || w.latr
        ? 'load by the thread (its stores are Store): TLB hit, or walk + fill; no PTE = fault'
        : 'load/store by the thread: TLB hit, or walk + fill; no PTE = fault (zuf: SIGBUS)',
      apply: (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) =>
        h.runs(s, c, t) && h.mmOf(t) === keyMm(k) && (s.tlb.get(c)!.has(k) ? s : fill(s, c, k)),
    },
  };
}
