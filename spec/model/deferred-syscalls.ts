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
import { mayTakePtl, deferredOf, type DeferredFields } from './deferred.js';
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
  const version = w.arch === 'arm64' ? 'v6.15' : d.pending === 'none' ? 'v4.12' : 'v6.15';
  const at = (file: string, fn: string) => ({ file, fn, version });
  /**
   * A syscall over the vma of k: its PTL section writes `writes(s, k)`; nothing to write: it
   * returns at once with its promise.
   */
  const syscall = (kind: 'protect' | 'zap', path: 'range' | 'gather', free: boolean, writes: (s: S, k: Key) => [Key, Pte][]) =>
    (s: S, { c, t, k }: { c: Cpu; t: string; k: Key }) => {
      const pages = h.vmaOf(k).pages;
      if (!runsIn(s, c, t, k) || h.opOf(s, c) || !mayTakePtl(ctx, s, keyMm(k), pages)) return null;
      const ws = writes(s, k);
      if (ws.length === 0) return returnsAtOnce(ctx, change(s), c, t, k, kind);
      const ch = startRoutine(ctx, s, c, t, { kind, path, writes: ws, free });
      return ch && promisesLapse(ch, pages);
    };
  const explainWrites = (what: string) => (s: S, { k }: { k: Key }, t: S) => {
    const changed = h.vmaOf(k).pages.filter((p) => s.pte.get(p) !== t.pte.get(p));
    return changed.length
      ? `${what}: ${list(changed.map((p) => `${p}: ${s.pte.get(p)} -> ${t.pte.get(p) || 'none'}`))}; the flush comes next`
      : `${what}: no PTE to change (${list(h.vmaOf(k).pages.map((p) => `${p} is ${s.pte.get(p) || 'none'}`))}), so no flush: the call returns`;
  };
  const a: Actions<S> = {};
  if (d.mprotect?.length) {
    a.Mprotect = {
      params: { c: w.cpus, t: mappers, k: d.mprotect },
      actor: mapper,
      lane: cpuLane,
      doc: 'mprotect(PROT_READ) -> change_pte_range: under the PTL (after flush_tlb_batched_pending), writable PTEs become read-only, then flush_tlb_range(vma)',
      anchor: [at('mm/mprotect.c', 'change_pte_range')],
      explain: explainWrites('mprotect(PROT_READ)'),
      apply: syscall('protect', 'range', false, (s, k) =>
        h.vmaOf(k).pages.filter((p) => pteWritable(s.pte.get(p)!)).map((p) => [p, readOnly(s.pte.get(p)!)])),
    };
  }
  if (d.dontneed?.length) {
    a.MadviseDontneed = {
      params: { c: w.cpus, t: mappers, k: d.dontneed },
      actor: mapper,
      lane: cpuLane,
      doc: 'madvise(MADV_DONTNEED) -> zap_pte_range: under the PTL (after flush_tlb_batched_pending), clear the present PTEs; mmu_gather flushes and frees',
      anchor: [at('mm/madvise.c', 'madvise_dontneed_single_vma'), at('mm/memory.c', 'zap_pte_range')],
      explain: explainWrites('MADV_DONTNEED'),
      apply: syscall('zap', 'gather', true, (s, k) => h.vmaOf(k).pages.filter((p) => s.pte.get(p) !== '').map((p) => [p, ''])),
    };
  }
  return a;
}
