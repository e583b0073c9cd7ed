/**
 * mm and page tables: per-mm PTEs of a few virtual pages, vmas with flags (LOCAL_CPU, PFNMAP).
 *   InsertPfn      vm_insert_pfn_prot into an empty PTE: invalid -> valid needs no flush
 *                  (x86 SDM: TLBs cache only present translations).
 *   ZapPteRange    munmap / zap_page_range, first step of mmu_gather: clear the PTE; then the
 *                  flush (flush.ts), then tlb_finish_mmu frees the frame, in that order.
 *   Reclaim        try_to_unmap_one by kswapd, a remote initiator: a CPU not running the mm.
 *   ReadMmCpumask  only for policies reading the mask before the PTE write (maskRead 'before'):
 *                  the load of mm_cpumask hoisted above the PTE store (CVE-2016-2069).
 * One PTE-changing routine is in flight at a time (mmap_lock / PTL), in `op`.
 */
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { IDLE, Op, keyMm, type Cpu, type Frame, type Key, type State } from './world.js';

/**
 * Writes a PTE as the first step of a routine that then flushes (`kind` zap or remap).
 * Returns null if the routine cannot start: another one is in flight, or (early mask read)
 * this CPU has not sampled the mask for this key.
 */
export function writePte(
  ctx: Ctx, s: State, c: Cpu, who: string, k: Key, kind: 'zap' | 'remap', to: Frame, free: boolean,
): Change<State> | null {
  const op = s.op;
  if (ctx.policy.maskRead === 'before') {
    if (op.phase !== 'sampled' || op.cpu !== c || op.key !== k) return null;
  } else if (op.phase !== 'idle') return null;
  // inc_mm_tlb_gen: every CPU with the mm loaded is now behind
  const ch = ctx.w.lazy
    ? change(s).set('behind', s.behind.map((b, d) => b || s.cr3.get(d) === keyMm(k)))
    : change(s);
  return ch
    .setIn(['pte', k], to)
    .set('op', Op({ phase: 'written', kind, cpu: c, who, key: k, frame: s.pte.get(k)!, free, snap: op.snap }));
}

export function mmActions(ctx: Ctx): Actions {
  const { w, h, policy } = ctx;
  const a: Actions = {};
  if (policy.maskRead === 'before') {
    const keys = [...(w.munmap ?? []), ...(w.reclaim ?? []), ...(w.zuf?.windows.map(([, k]) => k) ?? [])];
    a.ReadMmCpumask = {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads], k: [...new Set(keys)] },
      actor: ({ c, t }: { c: Cpu; t: string }) => (t === IDLE ? `kswapd on CPU ${c}` : `thread ${t} on CPU ${c}`),
      doc: 'flush_tlb_page: mm_cpumask(mm) read, the load hoisted above the coming PTE store',
      apply: (s: State, { c, t, k }: { c: Cpu; t: string; k: Key }) => {
        if (s.op.phase !== 'idle' || s.pte.get(k) === '') return null;
        const ok = t === IDLE
          ? (w.reclaim ?? []).includes(k) && s.curr.get(c) === IDLE && !s.sw.get(c)
          : h.runs(s, c, t) && h.mmOf(t) === keyMm(k);
        return ok && change(s).set('op', Op({ phase: 'sampled', cpu: c, who: t, key: k, snap: s.mask.get(keyMm(k))! }));
      },
    };
  }
  if (w.insertPfn?.length) {
    a.InsertPfn = {
      params: { c: w.cpus, t: w.mappers ?? h.userThreads, k: w.insertPfn, f: w.frames },
      actor: ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`,
      doc: 'mmap + vm_insert_pfn_prot: empty PTE -> new page, no flush (invalid -> valid)',
      apply: (s: State, { c, t, k, f }: { c: Cpu; t: string; k: Key; f: Frame }) =>
        h.runs(s, c, t) && h.mmOf(t) === keyMm(k) && s.pte.get(k) === '' && s.frame.get(f) === 'free' &&
        change(s).setIn(['pte', k], f).setIn(['frame', f], 'user'),
    };
  }
  if (w.munmap?.length) {
    a.ZapPteRange = {
      params: { c: w.cpus, t: w.mappers ?? h.userThreads, k: w.munmap },
      actor: ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`,
      doc: 'munmap -> unmap_region -> zap_pte_range: clear the PTE, page queued on the mmu_gather',
      apply: (s: State, { c, t, k }: { c: Cpu; t: string; k: Key }) =>
        h.runs(s, c, t) && h.mmOf(t) === keyMm(k) && s.pte.get(k) !== '' &&
        !(w.zuf && w.zuf.app === t && (s.zuf === 'dispatched' || s.zuf === 'mapped')) &&
        writePte(ctx, s, c, t, k, 'zap', '', true),
    };
  }
  if (w.reclaim?.length) {
    a.Reclaim = {
      params: { c: w.cpus, k: w.reclaim },
      actor: ({ c }: { c: Cpu }) => `kswapd on CPU ${c}`,
      doc: 'shrink_page_list -> try_to_unmap_one: clear the PTE of a page being reclaimed',
      apply: (s: State, { c, k }: { c: Cpu; k: Key }) =>
        s.curr.get(c) === IDLE && !s.sw.get(c) && s.pte.get(k) !== '' && writePte(ctx, s, c, IDLE, k, 'zap', '', true),
    };
  }
  return a;
}
