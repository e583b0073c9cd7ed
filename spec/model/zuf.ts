/**
 * zuf (§2.2 of the guide): each ZT thread owns a persistent window (a fixed VA of a
 * VM_LOCAL_CPU|VM_PFNMAP vma of the zus mm) that it never unmaps; per operation it maps the
 * application's page there, the server uses it, and it drops it again:
 *   ZufsDispatch   the app's syscall on CPU c wakes the ZT pinned to c (the app then blocks)
 *   ZtMapPages     _map_pages -> vm_insert_pfn_prot(window, app page). 2018: over the live drain
 *                  PTE (the patch's insert_pfn overwrite + flush_tlb_range); 2019: into an empty PTE.
 *   ZtUnmapPages   _unmap_pages. 2018: punch the drain page over the live PTE (+ flush per policy);
 *                  2019: zap_vma_ptes (clear + flush per policy). The app page is not freed here.
 * The app then unmaps its buffer in its own mm (ZapPteRange, correct shootdown for that mm), and
 * the frame that was behind the window goes back to the allocator.
 */
import { change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { startRoutine } from './mm.js';
import type { State } from './state.js';
import type { Cpu } from './world.js';

export function zufActions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h } = ctx;
  const z = w.zuf;
  if (!z) return {};
  const win = new Map(z.windows);
  const zts = z.windows.map(([t]) => t);
  const actor = ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`;
  /** the ZT on CPU c serves the app's operation (zri->_all_zt[smp_processor_id()]) */
  const servesApp = (s: S, c: Cpu, t: string) =>
    h.runs(s, c, t) && h.threads.get(z.app)!.cpus.includes(c);
  return {
    ZufsDispatch: {
      params: { c: w.cpus, t: [z.app] },
      actor,
      doc: 'zufs_dispatch: the app syscall hands its pages to the ZT of this CPU and waits',
      apply: (s: S, { c, t }: { c: Cpu; t: string }) =>
        // get_user_pages on the app's buffer: it must be mapped (and is pinned from here on)
        h.runs(s, c, t) && s.zuf === 'idle' && s.pte.get(z.appKey) === z.appFrame && change(s).set('zuf', 'dispatched'),
    },
    ZtMapPages: {
      params: { c: w.cpus, t: zts },
      actor,
      doc: '_map_pages -> vm_insert_pfn_prot(zt->vma, window, app page)',
      apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
        const k = win.get(t)!;
        if (s.zuf !== 'dispatched' || !servesApp(s, c, t)) return null;
        if (z.unmap === 'zap') return s.pte.get(k) === '' && change(s).setIn(['pte', k], z.appFrame).set('zuf', 'mapped');
        // the patch's insert_pfn overwrite: set_pte_at, then flush_tlb_range(vma) (vm_flags reach the flush)
        const ch = s.pte.get(k) === z.drainFrame && startRoutine(ctx, s, c, t, { kind: 'remap', path: 'range', writes: [[k, z.appFrame]], free: false });
        return ch && ch.set('zuf', 'mapped');
      },
    },
    ZtUnmapPages: {
      params: { c: w.cpus, t: zts },
      actor,
      doc: z.unmap === 'drain'
        ? '_unmap_pages: vm_insert_pfn_prot(window, drain page) over the live PTE'
        : '_unmap_pages: zap_vma_ptes(zt->vma, window)',
      apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
        const k = win.get(t)!;
        if (s.zuf !== 'mapped' || !servesApp(s, c, t) || s.pte.get(k) !== z.appFrame) return null;
        // 2018: the insert_pfn overwrite again; 2019: zap_vma_ptes -> mmu_gather (0UL); a PFN map frees nothing
        const ch = z.unmap === 'drain'
          ? startRoutine(ctx, s, c, t, { kind: 'remap', path: 'range', writes: [[k, z.drainFrame]], free: false })
          : startRoutine(ctx, s, c, t, { kind: 'zap', path: 'gather', writes: [[k, '']], free: false });
        return ch && ch.set('zuf', 'done');
      },
    },
  };
}
