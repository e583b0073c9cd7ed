/**
 * Deferred flushes (guide §3.10, §6.3 bugs 5 and 6, §7.5 V5c, V6), a built-in extension of the
 * worlds with `deferred`: a remote initiator clears a PTE and lets the page-table lock go before
 * its flush, so a syscall can find the PTE already none, skip the flush, and return while a CPU
 * still holds the old translation.
 *   TryToUnmapOne           kswapd: try_to_unmap_one with TTU_BATCH_FLUSH: ptep_get_and_clear,
 *                           set_tlb_ubc_flush_pending (the batch is registered in
 *                           mm->tlb_flush_batched); x86 drops the PTL now, arm64 once its
 *                           `tlbi vale1is` is issued (arch_tlbbatch_add_pending, no DSB). The
 *                           flush is try_to_unmap_flush (the flush families: IPIs, or the DSB),
 *                           then the page is freed.
 *   MigrateVmaCollect       migrate_vma_collect_pmd: the PTE cleared, then (before 60bae7370896)
 *                           the PTL dropped before flush_tlb_range, registered nowhere; since,
 *                           the flush under the PTL.
 *   FlushTlbBatchedPending  flush_tlb_batched_pending(mm), where a syscall takes the PTL: if the
 *                           mm has a batch pending, arch_flush_tlb_batched_pending and the batch
 *                           marked flushed. x86 (and arm64 since 2025): flush_tlb_mm, every CPU
 *                           that may hold the mm's entries flushed before the syscall goes on;
 *                           arm64 2023-25: dsb(ish) on this CPU, which completes nothing kswapd
 *                           issued, yet the batch is marked flushed. The syscalls
 *                           (deferred-syscalls.ts) enter their PTL sections only with no batch
 *                           pending, unless the kernel predates the function ('none').
 * Abstracted: flush_tlb_mm in flush_tlb_batched_pending is one step (the caller waits for it
 * under the PTL, and the pages it is for are none, so no CPU refills them meanwhile); the
 * batch's cpumask is mm_cpumask as read at try_to_unmap_flush rather than OR-ed in at
 * set_tlb_ubc_flush_pending (a CPU that joins in between cannot fill a PTE that is none); a
 * batch is cleared by the flush that saw it (with one kswapd no batch is added meanwhile);
 * kswapd always defers (should_defer_flush defers only when mm_cpumask has another CPU on x86,
 * above a CPU-count threshold on arm64: with no other CPU holding an entry, deferring changes
 * nothing); the flush hooks run when the batch's flush completes (x86 calls the secondary-TLB
 * notifier when the batch is queued: it matters only with a secondary TLB in a deferred world);
 * a syscall's own routine keeps its pages until it ends, whereas the kernel drops the PTL before
 * mprotect's flush_tlb_range and munmap's tlb_finish_mmu (a reviewer's mutant that lets kswapd
 * in there gave the same verdicts at 3 CPUs, with more states).
 * Worlds without PCID and lazy TLB (the flush_tlb_mm step does not model generations).
 */
import { Map as IMap } from 'immutable';
import { change, type Change } from '../../src/index.js';
import type { Extension } from '../variant.js';
import type { Actions, Ctx } from './context.js';
import { deferredSyscalls } from './deferred-syscalls.js';
import { flushCompleted } from './flush.js';
import { dropKeys } from './gen.js';
import { list } from './helpers.js';
import { cpuLane } from './lanes.js';
import { startRoutine } from './mm.js';
import { Op, type KernelState, type State } from './state.js';
import { IDLE, keyMm, type Cpu, type DeferredWorld, type Key, type Mm, type World } from './world.js';

export interface DeferredFields {
  /** mm->tlb_flush_batched: a batched flush is pending that no flush_tlb_batched_pending has seen */
  batched: IMap<Mm, boolean>;
}
type S = KernelState<DeferredFields>;

/**
 * The kernel version a deferred world models: x86 v4.12 without flush_tlb_batched_pending
 * (3ea277194daa is v4.13), arm64 v6.15 with the dsb (the 2025 fix came in the v6.16 merge
 * window) or v6.16 with flush_tlb_mm, else x86 v6.15.
 */
export const deferredVersion = (w: World): string =>
  w.deferred?.pending === 'none' ? 'v4.12' : w.arch === 'arm64' ? (w.deferred?.pending === 'dsb' ? 'v6.15' : 'v6.16') : 'v6.15';
const at = (w: World, file: string, fn: string) => ({ file, fn, version: deferredVersion(w) });

/** The deferred part of the world (the extension is only built for worlds that have one). */
export const deferredOf = (w: World): DeferredWorld => w.deferred!;

/**
 * A syscall may enter its PTL section on mm's pages: flush_tlb_batched_pending found no batch
 * pending (or the kernel has none to call), and no routine holds the pages.
 */
export const mayTakePtl = ({ w, h }: Ctx, s: State & Readonly<DeferredFields>, mm: Mm, pages: readonly Key[]): boolean =>
  (deferredOf(w).pending === 'none' || !s.batched.get(mm)) && !pages.some((k) => h.busy(s, k));

/**
 * flush_tlb_mm(mm) run to its end as one step: every CPU that may hold mm's entries loses them
 * (x86 without PCID: the CPUs in mm_cpumask; arm64: every CPU, by ASID), then the flush hooks.
 */
function flushTlbMm<T extends S>(ctx: Ctx, ch: Change<T>, s: T, c: Cpu, mm: Mm): Change<T> {
  const keys = ctx.h.keys.filter((k) => keyMm(k) === mm);
  const cpus = ctx.w.arch === 'arm64' ? ctx.w.cpus : [...s.mask.get(mm)!];
  for (const d of cpus) ch = dropKeys(ch, d, keys);
  return flushCompleted(ctx, ch, Op({ kind: 'sync', path: 'gather', cpu: c, mm, keys: Op().keys.union(keys) }));
}

export function deferredExtension(): Extension<DeferredFields> {
  return {
    name: 'deferred flushes (batched reclaim, migrate_device)',
    fields: { batched: IMap<Mm, boolean>() },
    init: (s, { w, h }) => {
      if (w.pcid || w.lazy || w.invlpgb) throw new Error('deferred flushes are modelled on x86 without PCID and lazy TLB, or on arm64');
      return s.set('batched', IMap(h.mms.map((m) => [m, false] as [Mm, boolean]))) as S;
    },
    actions: (ctx) => {
      const { w, h } = ctx;
      const d = deferredOf(w);
      const kswapd = ({ c }: { c: Cpu }) => `kswapd on CPU ${c}`;
      const idle = (s: S, c: Cpu) => s.curr.get(c) === IDLE && !s.sw.get(c);
      const initiator: Actions<S> = d.initiator === 'ubc'
        ? {
          TryToUnmapOne: {
            params: { c: w.cpus, k: d.keys },
            actor: kswapd,
            lane: cpuLane,
            doc: 'shrink_folio_list -> try_to_unmap_one (TTU_BATCH_FLUSH): clear the PTE, set_tlb_ubc_flush_pending; the flush waits for try_to_unmap_flush',
            anchor: [at(w, 'mm/rmap.c', 'try_to_unmap_one'), at(w, 'mm/rmap.c', 'set_tlb_ubc_flush_pending')],
            explain: (s: S, { k }: { k: Key }) =>
              `kswapd clears ${k} (was ${s.pte.get(k)}) and batches the flush: mm->tlb_flush_batched(${keyMm(k)}) pending; ${w.arch === 'arm64' ? 'the TLBI is issued next, without its DSB' : 'no IPI yet'}, and the PTL is ${w.arch === 'arm64' ? 'dropped once it is issued' : 'dropped now'}`,
            apply: (s: S, { c, k }: { c: Cpu; k: Key }) => {
              if (!idle(s, c) || s.pte.get(k) === '') return null;
              const ch = startRoutine(ctx, s, c, IDLE, { kind: 'zap', path: 'page', writes: [[k, '']], free: true });
              return ch && ch.updateIn(['ops', h.slotOf(s, c)], (op) => op.set('deferred', true)).setIn(['batched', keyMm(k)], true);
            },
          },
        }
        : {
          MigrateVmaCollect: {
            params: { c: w.cpus, k: d.keys },
            actor: ({ c }: { c: Cpu }) => `migrate_vma on CPU ${c}`,
            lane: cpuLane,
            doc: d.initiator === 'migrate'
              ? 'migrate_vma_collect_pmd (before 60bae7370896): clear the PTE, drop the PTL, then flush_tlb_range'
              : 'migrate_vma_collect_pmd (60bae7370896): clear the PTE and flush_tlb_range under the PTL',
            anchor: [{ file: 'mm/migrate_device.c', fn: 'migrate_vma_collect_pmd', version: d.initiator === 'migrate' ? 'v5.19' : 'v6.15' }],
            explain: (s: S, { k }: { k: Key }) =>
              `the page of ${k} (${s.pte.get(k)}) is collected for migration: PTE cleared${d.initiator === 'migrate' ? ', PTL dropped before the flush' : ', the flush under the PTL'}`,
            apply: (s: S, { c, k }: { c: Cpu; k: Key }) => {
              if (!idle(s, c) || s.pte.get(k) === '') return null;
              const ch = startRoutine(ctx, s, c, IDLE, { kind: 'zap', path: 'range', writes: [[k, '']], free: true });
              return ch && (d.initiator === 'migrate' ? ch.updateIn(['ops', h.slotOf(s, c)], (op) => op.set('deferred', true)) : ch);
            },
          },
        };
      const pending: Actions<S> = d.pending === 'none' ? {} : {
        FlushTlbBatchedPending: {
          params: { c: w.cpus, t: h.userThreads },
          actor: ({ c, t }: { c: Cpu; t: string }) => `thread ${t} on CPU ${c}`,
          lane: cpuLane,
          doc: d.pending === 'flush'
            ? 'flush_tlb_batched_pending: a batch is pending for the mm, so flush_tlb_mm before the PTEs are read'
            : 'flush_tlb_batched_pending (arm64, 2023-25): dsb(ish) on this CPU, and the batch marked flushed',
          anchor: [at(w, 'mm/rmap.c', 'flush_tlb_batched_pending'), at(w, w.arch === 'arm64' ? 'arch/arm64/include/asm/tlbflush.h' : 'arch/x86/include/asm/tlbflush.h', 'arch_flush_tlb_batched_pending')],
          explain: (s: S, { c, t }: { c: Cpu; t: string }) => {
            const mm = h.mmOf(t);
            const held = w.cpus.filter((x) => x !== c && [...s.tlb.get(x)!.keys()].some((k) => keyMm(k) === mm && s.pte.get(k) === ''));
            return d.pending === 'flush'
              ? `flush_tlb_mm(${mm}): every CPU drops ${mm}'s entries before the syscall reads a PTE`
              : `dsb(ish) on CPU ${c} completes only CPU ${c}'s own TLBIs${held.length ? `: ${list(held.map((x) => `CPU ${x}`))} still hold${held.length === 1 ? 's' : ''} entries for pages now none` : ''}; the batch is marked flushed all the same`;
          },
          apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
            const mm = h.mmOf(t);
            // called with the PTE table locked (pte_offset_map_lock first): not while another routine holds the pages
            if (!h.runs(s, c, t) || !s.batched.get(mm) || h.keys.some((k) => keyMm(k) === mm && h.busy(s, k))) return null;
            const ch = change(s).setIn(['batched', mm], false);
            return d.pending === 'flush' ? flushTlbMm(ctx, ch, s, c, mm) : ch;
          },
        },
      };
      return { ...initiator, ...pending, ...(deferredSyscalls(ctx) as unknown as Actions<S>) };
    },
    sometimes: ({ w }) => ({
      BatchedHolder: {
        doc: 'a batched or deferred flush is pending and a CPU still holds an entry for a page it cleared (on x86 a syscall now would find the PTE none; on arm64 once the TLBI is issued)',
        check: (s: S) => s.ops.some((op) => op.deferred && op.phase !== 'idle' &&
          [...op.keys].some((k) => s.pte.get(k) === '' && w.cpus.some((x) => s.tlb.get(x)!.has(k)))),
      },
      ReturnedOverBatch: {
        doc: 'a syscall has returned over a page whose deferred flush is still to come: the race window itself',
        check: (s: S & { promised?: IMap<Key, string> }) => s.ops.some((op) => op.deferred && op.phase !== 'idle' && [...op.keys].some((k) => s.promised?.has(k) === true)),
      },
    }),
  };
}
