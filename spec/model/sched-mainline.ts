/**
 * Mainline x86 (2024-25) lazy mm_cpumask, guide §3.4, fidelity §1.5 (world `lazy: 'mainline'`,
 * with PCID). switch_mm_irqs_off for prev != next, IRQs off throughout, in its real steps:
 *   SwitchMm       schedule() picks the thread; is_lazy := false; S1 loaded_mm := LOADED_MM_SWITCHING
 *   CpumaskSetCpu  S2 set the bit in next's mask if it is clear (a locked op), else smp_mb() (83b0177a6c48)
 *   ReadTlbGen     S3 next_tlb_gen := next->context.tlb_gen
 *   LoadCr3        S4 choose_new_asid (flush iff the context is behind the read), S5 load CR3
 *   SetLoadedMm    S6 loaded_mm := next
 * The prev bit is NOT cleared (209954cbc7d0 "Update mm_cpumask lazily"). A kernel thread keeps the
 * mm loaded (enter_lazy_tlb: is_lazy := true); coming back to the same mm re-reads tlb_gen and
 * flushes a stale context. flush_tlb_multi sends the IPI only where should_flush_tlb() says so:
 * not to lazy CPUs; to a CPU that is switching (fea4e317f9e7) or has the mm loaded; to the others
 * only when the periodic trim is due (6db2526c1d69, at most once a second: either may happen).
 * The IPI handler on a CPU that no longer has the mm loaded clears its stale bit.
 * Not modelled: freed page tables (lazy CPUs would be IPI'd), global ASIDs (INVLPGB).
 */
import { change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { leaveLazy, normalizeGens, switchIn } from './gen.js';
import { maySwitch } from './sched.js';
import type { State } from './state.js';
import { IDLE, type Cpu, type Mm, type World } from './world.js';

/** LOADED_MM_SWITCHING */
export const SWITCHING = 'switching';

/** should_flush_tlb(cpu d, info) for a flush of mm (trim: info->trim_cpumask). */
export function shouldFlushTlb(w: World, s: State, d: Cpu, mm: Mm, trim: boolean): boolean {
  if (s.isLazy.get(d)) return false; // lazy TLB will get flushed at the next context switch
  const loaded = s.loaded.get(d);
  // the remote CPU could have state from either mm: flush (fea4e317f9e7)
  if (loaded === SWITCHING && w.mainlineBug !== 'fea4e317') return true;
  if (loaded === mm) return true; // the target mm is loaded, and the CPU is not lazy
  return trim; // in the mask but not the loaded mm: periodically remove by flushing
}

export function mainlineSchedActions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h } = ctx;
  const actor = ({ c }: { c: Cpu }) => `CPU ${c}`;
  const nextOf = (s: S, c: Cpu) => h.mmOf(s.curr.get(c)!);
  /** the step of a switch in progress, as the value of `sw` */
  const step = (n: number, name: string, doc: string, fn: (s: S, c: Cpu) => ReturnType<typeof change<S>>) => ({
    [name]: {
      params: { c: w.cpus },
      actor,
      doc,
      apply: (s: S, { c }: { c: Cpu }) => s.sw.get(c) === n && fn(s, c).setIn(['sw', c], n === 4 ? 0 : n + 1),
    },
  });
  return {
    SwitchMm: {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads] },
      actor,
      doc: 'schedule() -> enter_lazy_tlb, or switch_mm_irqs_off: is_lazy := false, loaded_mm := LOADED_MM_SWITCHING',
      apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
        if (!maySwitch(ctx, s, c, t)) return null;
        const cur = s.curr.get(c)!;
        const next = h.mmOf(t);
        // enter_lazy_tlb: the kernel thread runs on whatever mm is loaded
        if (t === IDLE) return change(s).setIn(['curr', c], t).setIn(['isLazy', c], true);
        let ch = change(s).setIn(['curr', c], t).setIn(['isLazy', c], false);
        if (s.loaded.get(c) === next) {
          // prev == next: back from lazy, smp_mb(), re-read tlb_gen, flush if out of date
          return cur === IDLE ? normalizeGens(ctx, leaveLazy(ch, c, next), next) : ch;
        }
        // 83b0177a6c48 absent: with the bit already set there is no smp_mb(), so the tlb_gen load
        // (S3) is satisfied now, before the loaded_mm store leaves the store buffer (at S2)
        if (w.mainlineBug === '83b0177a' && s.mask.get(next)!.has(c)) return ch.setIn(['rgen', c], s.gen.get(next)!).setIn(['sw', c], 1);
        return ch.setIn(['loaded', c], SWITCHING).setIn(['sw', c], 1);
      },
    },
    ...step(1, 'CpumaskSetCpu', 'switch_mm_irqs_off S2: cpumask_set_cpu(next) if clear (else smp_mb())', (s, c) => {
      const next = nextOf(s, c);
      const ch = change(s).setIn(['mask', next], s.mask.get(next)!.add(c));
      return s.rgen.get(c)! >= 0 ? ch.setIn(['loaded', c], SWITCHING) : ch;
    }),
    ...step(2, 'ReadTlbGen', 'switch_mm_irqs_off S3: next_tlb_gen = atomic64_read(&next->context.tlb_gen)', (s, c) =>
      s.rgen.get(c)! >= 0 ? change(s) : change(s).setIn(['rgen', c], s.gen.get(nextOf(s, c))!)),
    ...step(3, 'LoadCr3', 'choose_new_asid + load_new_mm_cr3: flush next\'s context iff it is behind next_tlb_gen', (s, c) => {
      const next = nextOf(s, c);
      return normalizeGens(ctx, switchIn(ctx, change(s).setIn(['cr3', c], next).setIn(['rgen', c], -1), c, next, s.rgen.get(c)!), next);
    }),
    ...step(4, 'SetLoadedMm', 'switch_mm_irqs_off S6: this_cpu_write(cpu_tlbstate.loaded_mm, next)', (s, c) =>
      change(s).setIn(['loaded', c], nextOf(s, c))),
  };
}
