/**
 * CPUs and scheduling, x86 classic mm_cpumask semantics (v4.17 to 6.x: the bit is cleared on
 * switch-away). switch_mm_irqs_off is split where the order matters:
 *   SwitchMm  clears this CPU's bit in prev's mm_cpumask and sets it in next's (before CR3);
 *   LoadCr3   reads next's tlb_gen, chooses the context and loads CR3 (gen.ts switchIn):
 *             with PCID the context keeps its entries unless its generation is behind;
 *             without PCID every non-global entry goes.
 * v4.17 with PCID: an idle CPU leaves the mm (enter_lazy_tlb -> switch_mm(init_mm)). With
 * `lazy` (V4, v4.20+), going idle keeps the mm loaded and coming back to the same mm checks
 * tlb_gen (or not, in the buggy variant). Mainline's lazy mask is sched-mainline.ts.
 * With `switchOrder: 'cr3-first'` the two stores are swapped (CR3 loaded, then the bit set), the
 * switch-side half of CVE-2016-2069; the second step is then CpumaskSetCpu.
 * Threads switch on the CPUs of their affinity (pinned ZT threads have one); a thread of the
 * same mm takes over without touching CR3 (switch_mm's real_prev == next path).
 */
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { leaveLazy, normalizeGens, switchIn } from './gen.js';
import type { State } from './state.js';
import { IDLE, INIT_MM, type Cpu } from './world.js';

/** Whether CPU c may switch to thread t now: allowed there, not running elsewhere, c not mid-switch or mid-routine. */
export function maySwitch(ctx0: Ctx, s: State, c: Cpu, t: string): boolean {
  const { w, h } = ctx0;
  const cur = s.curr.get(c)!;
  if (cur === t || s.sw.get(c) || !h.allowed(t, c)) return false;
  if (t !== IDLE) for (const d of w.cpus) if (d !== c && s.curr.get(d) === t) return false; // t runs elsewhere
  // the initiator of a PTE change does not schedule until its routine is done
  return ctx0.h.opOf(s, c) === undefined;
}

export function schedActions<S extends State>(ctx: Ctx): Actions<S> {
  const { w, h } = ctx;
  const cr3First = w.switchOrder === 'cr3-first';
  const loadCr3 = (c: Cpu, ch0: Change<S>) => {
    const next = h.mmOf(ch0.getIn(['curr', c]) as string);
    return normalizeGens(ctx, switchIn(ctx, ch0.setIn(['cr3', c], next), c, next).setIn(['sw', c], 0), next);
  };
  return {
    SwitchMm: {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads] },
      actor: ({ c }: { c: Cpu }) => `CPU ${c}`,
      doc: 'schedule() -> switch_mm_irqs_off: cpumask_clear_cpu(prev), cpumask_set_cpu(next)',
      apply: (s: S, { c, t }: { c: Cpu; t: string }) => {
        if (!maySwitch(ctx, s, c, t)) return null;
        const cur = s.curr.get(c)!;
        const prev = s.cr3.get(c)!;
        const next = h.mmOf(t);
        // lazy worlds: enter_lazy_tlb keeps prev loaded and this CPU in its mask
        if (w.lazy && t === IDLE) return change(s).setIn(['curr', c], t);
        if (prev === next) {
          // same mm: no CR3 load. Back from lazy mode: flush if tlb_gen moved meanwhile.
          const ch = change(s).setIn(['curr', c], t);
          return w.lazy === 'gen-check' && cur === IDLE && next !== INIT_MM ? normalizeGens(ctx, leaveLazy(ch, c, next), next) : ch;
        }
        let ch = change(s).setIn(['curr', c], t).setIn(['sw', c], 1);
        if (prev !== INIT_MM) ch = ch.setIn(['mask', prev], s.mask.get(prev)!.remove(c));
        if (cr3First) return loadCr3(c, ch).setIn(['sw', c], 1);
        if (next !== INIT_MM) ch = ch.setIn(['mask', next], s.mask.get(next)!.add(c));
        return ch;
      },
    },
    ...(cr3First
      ? {
        CpumaskSetCpu: {
          params: { c: w.cpus },
          actor: ({ c }: { c: Cpu }) => `CPU ${c}`,
          doc: 'cpumask_set_cpu(cpu, mm_cpumask(next)), after CR3 was loaded: the reordered store',
          apply: (s: S, { c }: { c: Cpu }) => {
            if (s.sw.get(c) !== 1) return null;
            const next = s.cr3.get(c)!;
            const ch = change(s).setIn(['sw', c], 0);
            return next === INIT_MM ? ch : ch.setIn(['mask', next], s.mask.get(next)!.add(c));
          },
        },
      }
      : {
        LoadCr3: {
          params: { c: w.cpus },
          actor: ({ c }: { c: Cpu }) => `CPU ${c}`,
          doc: w.pcid
            ? 'choose_new_asid + load_new_mm_cr3: CR3 := next->pgd; flush next\'s context only if its tlb_gen is behind'
            : 'load_new_mm_cr3: CR3 := next->pgd (flushes the old context)',
          apply: (s: S, { c }: { c: Cpu }) => s.sw.get(c) === 1 && loadCr3(c, change(s)),
        },
      }),
  };
}
