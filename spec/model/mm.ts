/**
 * mm and page tables: per-mm PTEs, vmas of one or more pages with flags (LOCAL_CPU, PFNMAP).
 * Each routine that changes present PTEs is split where order matters: its PTE writes (here),
 * then the flush (flush.ts), then, for mmu_gather, the free. Each names the call path by which it
 * reaches flush_tlb_mm_range, since that decides the `vmflag` the VM_LOCAL_CPU patch tests:
 *   InsertPfn      vm_insert_pfn_prot into an empty PTE: invalid -> valid needs no flush.
 *   ZapPteRange    munmap -> unmap_region -> zap_pte_range over the whole vma, then
 *                  tlb_finish_mmu -> tlb_flush -> flush_tlb_mm_range(mm, start, end, 0UL).
 *                  A PFNMAP zap frees no frame (vm_normal_page is NULL); the driver releases it
 *                  after the unmap returned (ReleasePfn).
 *   Mprotect       mprotect(PROT_READ) -> change_protection_range -> flush_tlb_range(vma).
 *   Mremap         mremap -> move_ptes, then flush_tlb_range(vma, old range).
 *   Reclaim        try_to_unmap_one by kswapd, a remote initiator: ptep_clear_flush ->
 *                  flush_tlb_page (VM_NONE). rmap does not reach PFN-map PTEs, so kswapd on a
 *                  PFNMAP vma is a design exercise (V2c).
 *   ReadMmCpumask  only for policies reading the mask before the PTE write (maskRead 'before').
 * A routine holds its pages until it ends (mmap_lock / PTL); up to `routines` may be in flight,
 * each on its own CPU and pages.
 */
import { Set as ISet } from 'immutable';
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { Op, type CallPath, type OpVars, type State } from './state.js';
import { IDLE, keyMm, pteFrame, pteWritable, readOnly, type Cpu, type Frame, type Key, type Pte } from './world.js';

export interface Routine {
  readonly kind: OpVars['kind'];
  readonly path: CallPath;
  /** the PTE writes: page -> new PTE */
  readonly writes: readonly (readonly [Key, Pte])[];
  /** the pages the flush covers (default: every written page) */
  readonly flush?: readonly Key[];
  /** free the old frames after the flush (mmu_gather) */
  readonly free: boolean;
}

/**
 * Starts a routine on CPU c: writes its PTEs and records it in `ops`. Returns null if it cannot
 * start: c has a routine in flight, `routines` are in flight already, a page is another
 * routine's, or (early mask read) c has not sampled the mask for this page.
 */
export function startRoutine<S extends State>(ctx: Ctx, s: S, c: Cpu, who: string, r: Routine): Change<S> | null {
  const { w, policy } = ctx;
  const flushed = r.flush ?? r.writes.map(([k]) => k);
  if (flushed.length === 0) return null;
  const mine = ctx.h.opOf(s, c);
  if (policy.maskRead === 'before') {
    if (mine?.phase !== 'sampled' || !mine.keys.has(flushed[0])) return null;
  } else if (mine) return null;
  const slot = ctx.h.slotOf(s, c);
  if (slot < 0) return null;
  for (const [k] of r.writes) if (ctx.h.busy(s, k) && !mine?.keys.has(k)) return null;
  let ch = change(s);
  for (const [k, v] of r.writes) {
    ch = ch.setIn(['pte', k], v);
    if (w.pcid && flushed.includes(k)) ch = ch.setIn(['chg', k], -1);
  }
  const frames = ISet(flushed.map((k) => pteFrame(s.pte.get(k)!)).filter((f) => f !== ''));
  return ch.setIn(['ops', slot], Op({
    phase: 'written', kind: r.kind, path: r.path, cpu: c, who, mm: keyMm(flushed[0]), keys: ISet(flushed), frames, free: r.free,
    snap: mine?.snap ?? ISet(),
  }));
}

export function mmActions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h, policy } = ctx;
  const a: Actions<S> = {};
  const mapper = ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`;
  const mappers = w.mappers ?? h.userThreads;
  /** thread t runs on c in k's mm */
  const runsIn = (s: S, c: Cpu, t: string, k: Key) => h.runs(s, c, t) && h.mmOf(t) === keyMm(k);
  const pfn = (k: Key) => h.vmaFlags(k).has('PFNMAP');
  const present = (s: S, k: Key) => h.vmaOf(k).pages.filter((p) => s.pte.get(p) !== '');
  if (policy.maskRead === 'before') {
    const keys = [...(w.munmap ?? []), ...(w.mprotect ?? []), ...(w.mremap ?? []).map((m) => m.from), ...(w.reclaim ?? []),
      ...(w.zuf?.windows.map(([, k]) => k) ?? [])];
    a.ReadMmCpumask = {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads], k: [...new Set(keys)] },
      actor: ({ c, t }: { c: Cpu; t: string }) => (t === IDLE ? `kswapd on CPU ${c}` : `thread ${t} on CPU ${c}`),
      doc: 'flush_tlb_page: mm_cpumask(mm) read, the load hoisted above the coming PTE store',
      apply: (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) => {
        const slot = h.slotOf(s, c);
        if (h.opOf(s, c) || slot < 0 || s.pte.get(k) === '') return null;
        const ok = t === IDLE
          ? (w.reclaim ?? []).includes(k) && s.curr.get(c) === IDLE && !s.sw.get(c)
          : runsIn(s, c, t, k);
        return ok && change(s).setIn(['ops', slot], Op({ phase: 'sampled', cpu: c, who: t, mm: keyMm(k), keys: ISet([k]), snap: s.mask.get(keyMm(k))! }));
      },
    };
  }
  if (w.insertPfn?.length) {
    a.InsertPfn = {
      params: { c: w.cpus, t: mappers, k: w.insertPfn, f: w.frames },
      actor: mapper,
      doc: 'mmap + vm_insert_pfn_prot: empty PTE -> new page, no flush (invalid -> valid)',
      apply: (s: S, { c, t, k, f }: { c: Cpu; t: string; k: Key; f: Frame }) =>
        runsIn(s, c, t, k) && s.pte.get(k) === '' && !h.busy(s, k) && s.frame.get(f) === 'free' &&
        change(s).setIn(['pte', k], f).setIn(['frame', f], 'user'),
    };
    a.ReleasePfn = {
      params: { f: w.frames },
      actor: () => 'driver (any CPU)',
      doc: 'the driver frees the PFN page once no PTE maps it and the unmap returned (vm_ops->close, __free_page)',
      guards: {
        // the unmap (its flush) has returned before the driver's close frees the page
        unmapReturned: (s: S, { f }: { f: Frame }) => !s.ops.some((op) => op.frames.has(f)),
      },
      apply: (s: S, { f }: { f: Frame }) =>
        s.frame.get(f) === 'user' && !s.pte.some((p) => pteFrame(p) === f) && change(s).setIn(['frame', f], 'free'),
    };
  }
  /** A syscall on the vmas starting at `keys`, by a mapper thread running in the vma's mm on CPU c. */
  const syscall = (doc: string, keys: readonly Key[], routine: (s: S, c: Cpu, t: string, k: Key) => Change<S> | null | false) => ({
    params: { c: w.cpus, t: mappers, k: keys },
    actor: mapper,
    doc,
    apply: (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) => runsIn(s, c, t, k) && routine(s, c, t, k),
  });
  if (w.munmap?.length) {
    a.ZapPteRange = syscall('munmap -> unmap_region -> zap_pte_range: clear the vma\'s PTEs, pages queued on the mmu_gather', w.munmap, (s, c, t, k) =>
      !(w.zuf && w.zuf.app === t && (s.zuf === 'dispatched' || s.zuf === 'mapped')) &&
      startRoutine(ctx, s, c, t, { kind: 'zap', path: 'gather', writes: present(s, k).map((p) => [p, '']), free: !pfn(k) }));
  }
  if (w.mprotect?.length) {
    a.Mprotect = syscall('mprotect(PROT_READ) -> change_pte_range: writable PTEs become read-only, then flush_tlb_range(vma)', w.mprotect, (s, c, t, k) =>
      startRoutine(ctx, s, c, t, {
        kind: 'protect', path: 'range', free: false,
        writes: present(s, k).filter((p) => pteWritable(s.pte.get(p)!)).map((p) => [p, readOnly(s.pte.get(p)!)]),
      }));
  }
  if (w.mremap?.length) {
    const moves = new Map(w.mremap.map((m) => [m.from, m.to]));
    a.Mremap = syscall('mremap -> move_page_tables -> move_ptes: the PTEs move to the new range, then flush_tlb_range(vma, old range)', [...moves.keys()], (s, c, t, k) => {
      const from = h.vmaOf(k).pages;
      const to = h.vmaOf(moves.get(k)!).pages;
      if (to.some((p) => s.pte.get(p) !== '' || h.busy(s, p))) return null;
      const moved = from.map((p, i) => [p, to[i]] as const).filter(([p]) => s.pte.get(p) !== '');
      return startRoutine(ctx, s, c, t, {
        kind: 'move', path: 'range', free: false, flush: moved.map(([p]) => p),
        writes: [...moved.map(([p]) => [p, ''] as const), ...moved.map(([p, q]) => [q, s.pte.get(p)!] as const)],
      });
    });
  }
  if (w.reclaim?.length) {
    a.Reclaim = {
      params: { c: w.cpus, k: w.reclaim },
      actor: ({ c }: { c: Cpu }) => `kswapd on CPU ${c}`,
      doc: 'shrink_page_list -> try_to_unmap_one -> ptep_clear_flush: clear the PTE, flush_tlb_page (VM_NONE)',
      apply: (s: S, { c, k }: { c: Cpu; k: Key }) =>
        s.curr.get(c) === IDLE && !s.sw.get(c) && s.pte.get(k) !== '' &&
        startRoutine(ctx, s, c, IDLE, { kind: 'zap', path: 'page', writes: [[k, '']], free: true }),
    };
  }
  return a;
}
