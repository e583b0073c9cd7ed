/**
 * The syscalls of a world with deferred flushes (deferred.ts), each entering its page-table-lock
 * section the way the kernel does: pte_offset_map_lock, then flush_tlb_batched_pending(mm)
 * (`mayTakePtl`: no batch left pending), then the PTEs. A syscall that finds nothing to change
 * returns at once, and its promise (syscalls.ts) holds from then on: that is the race of §6.3
 * bug 5, where the PTE is already none because kswapd cleared it and batched the flush.
 *   Mprotect          mprotect(PROT_READ) -> change_pte_range: writable PTEs become read-only,
 *                     then flush_tlb_range(vma).
 *   MadviseDontneed   madvise(MADV_DONTNEED) -> zap_pte_range: clear the PTEs; mmu_gather
 *                     flushes and frees.
 */
import { change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { deferredOf, deferredVersion, mayTakePtl, type DeferredFields } from './deferred.js';
import { list } from './helpers.js';
import { cpuLane } from './lanes.js';
import { startRoutine } from './mm.js';
import type { KernelState } from './state.js';
import { promisesLapse, returnsAtOnce, type SyscallFields } from './syscalls.js';
import { keyMm, pteWritable, readOnly, type Cpu, type Key, type Pte } from './world.js';

type S = KernelState<DeferredFields & SyscallFields>;

export function deferredSyscalls(ctx: Ctx): Actions<S> {
  const { w, h } = ctx;
  const d = deferredOf(w);
  const mapper = ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`;
  const mappers = w.mappers ?? h.userThreads;
  const runsIn = (s: S, c: Cpu, t: string, k: Key) => h.runs(s, c, t) && h.mmOf(t) === keyMm(k);
  const at = (file: string, fn: string) => ({ file, fn, version: deferredVersion(w) });
  /** What distinguishes one syscall of these worlds from another. */
  interface Syscall {
    readonly keys: readonly Key[];
    readonly what: string;
    readonly doc: string;
    readonly anchor: readonly { file: string; fn: string; version: string }[];
    readonly kind: 'protect' | 'zap';
    readonly path: 'range' | 'gather';
    readonly free: boolean;
    /** the PTL section's writes over the vma of k */
    readonly writes: (s: S, k: Key) => [Key, Pte][];
  }
  /** A syscall by a mapper over the vma of k: its PTL section writes, or (nothing to write) it returns at once with its promise. */
  const syscall = (x: Syscall) => ({
    params: { c: w.cpus, t: mappers, k: x.keys },
    actor: mapper,
    lane: cpuLane,
    doc: x.doc,
    anchor: x.anchor,
    explain: (s: S, { k }: { k: Key }, t: S) => {
      const changed = h.vmaOf(k).pages.filter((p) => s.pte.get(p) !== t.pte.get(p));
      return changed.length
        ? `${x.what}: ${list(changed.map((p) => `${p}: ${s.pte.get(p)} -> ${t.pte.get(p) || 'none'}`))}; the flush comes next`
        : `${x.what}: no PTE to change (${list(h.vmaOf(k).pages.map((p) => `${p} is ${s.pte.get(p) || 'none'}`))}), so no flush: the call returns`;
    },
    apply: (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) => {
      const pages = h.vmaOf(k).pages;
      if (!runsIn(s, c, t, k) || h.opOf(s, c) || !mayTakePtl(ctx, s, keyMm(k), pages)) return null;
      const ws = x.writes(s, k);
      if (ws.length === 0) return returnsAtOnce(ctx, change(s), c, t, k, x.kind);
      const ch = startRoutine(ctx, s, c, t, { kind: x.kind, path: x.path, writes: ws, free: x.free });
      return ch && promisesLapse(ch, pages);
    },
  });
  const a: Actions<S> = {};
  if (d.mprotect?.length) {
    a.Mprotect = syscall({
      keys: d.mprotect, what: 'mprotect(PROT_READ)', kind: 'protect', path: 'range', free: false,
      doc: 'mprotect(PROT_READ) -> change_pte_range: under the PTL (after flush_tlb_batched_pending), writable PTEs become read-only, then flush_tlb_range(vma)',
      anchor: [at('mm/mprotect.c', 'change_pte_range')],
      writes: (s, k) => h.vmaOf(k).pages.filter((p) => pteWritable(s.pte.get(p)!)).map((p) => [p, readOnly(s.pte.get(p)!)]),
    });
  }
  if (d.dontneed?.length) {
    a.MadviseDontneed = syscall({
      keys: d.dontneed, what: 'MADV_DONTNEED', kind: 'zap', path: 'gather', free: true,
      doc: 'madvise(MADV_DONTNEED) -> zap_pte_range: under the PTL (after flush_tlb_batched_pending), clear the present PTEs; mmu_gather flushes and frees',
      anchor: [at('mm/madvise.c', 'madvise_dontneed_single_vma'), at('mm/memory.c', 'zap_pte_range')],
      writes: (s, k) => h.vmaOf(k).pages.filter((p) => s.pte.get(p) !== '').map((p) => [p, '']),
    });
  }
  return a;
}
