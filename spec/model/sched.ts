/**
 * CPUs and scheduling, x86 v4.17 classic semantics with PCID (so an idle CPU leaves the mm:
 * enter_lazy_tlb -> switch_mm(init_mm)). switch_mm_irqs_off is split where the order matters:
 *   SwitchMm  clears this CPU's bit in prev's mm_cpumask and sets it in next's (before CR3);
 *   LoadCr3   load_new_mm_cr3: CR3 := next's page tables. Without PCID slots in the model, a
 *             CR3 load drops all non-global entries (the PCID generation check is abstracted
 *             into this flush; dormant PCID contexts are not modelled).
 * With `lazy` (V4), going idle keeps the mm loaded (enter_lazy_tlb) and coming back to the same
 * mm checks tlb_gen (or not, in the buggy variant).
 * With `switchOrder: 'cr3-first'` the two stores are swapped (CR3 loaded, then the bit set), the
 * switch-side half of CVE-2016-2069; the second step is then CpumaskSetCpu.
 * Threads switch on the CPUs of their affinity (pinned ZT threads have one); a thread of the
 * same mm takes over without touching CR3 (switch_mm's real_prev == next path).
 */
import { change, type Change } from '../../src/index.js';
import type { Actions, Ctx } from './context.js';
import { IDLE, INIT_MM, NO_TLB, type Cpu, type State } from './world.js';

export function schedActions({ w, h }: Ctx): Actions {
  const cr3First = w.switchOrder === 'cr3-first';
  const loadCr3 = (s: State, c: Cpu, ch0: Change<State>) => {
    const next = h.mmOf(ch0.getIn(['curr', c]));
    const ch = ch0.setIn(['cr3', c], next).setIn(['tlb', c], NO_TLB).setIn(['sw', c], false);
    return w.lazy ? ch.setIn(['behind', c], false) : ch;
  };
  return {
    SwitchMm: {
      params: { c: w.cpus, t: [IDLE, ...h.userThreads] },
      actor: ({ c }: { c: Cpu }) => `CPU ${c}`,
      doc: 'schedule() -> switch_mm_irqs_off: cpumask_clear_cpu(prev), cpumask_set_cpu(next)',
      apply: (s: State, { c, t }: { c: Cpu; t: string }) => {
        const cur = s.curr.get(c)!;
        if (cur === t || s.sw.get(c) || !h.allowed(t, c)) return null;
        if (t !== IDLE) for (const d of w.cpus) if (d !== c && s.curr.get(d) === t) return null; // t runs elsewhere
        // the initiator of a PTE change does not schedule until its routine is done
        if (s.op.phase !== 'idle' && s.op.cpu === c) return null;
        const prev = s.cr3.get(c)!;
        const next = h.mmOf(t);
        // lazy worlds: enter_lazy_tlb keeps prev loaded and this CPU in its mask
        if (w.lazy && t === IDLE) return change(s).setIn(['curr', c], t);
        if (prev === next) {
          // same mm: no CR3 load. Back from lazy mode: flush if tlb_gen moved meanwhile.
          let ch = change(s).setIn(['curr', c], t);
          if (w.lazy === 'gen-check' && cur === IDLE && s.behind.get(c)) {
            ch = ch.setIn(['tlb', c], NO_TLB).setIn(['behind', c], false);
          }
          return ch;
        }
        let ch = change(s).setIn(['curr', c], t).setIn(['sw', c], true);
        if (prev !== INIT_MM) ch = ch.setIn(['mask', prev], s.mask.get(prev)!.remove(c));
        if (cr3First) return loadCr3(s, c, ch).setIn(['sw', c], true);
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
          apply: (s: State, { c }: { c: Cpu }) => {
            if (s.sw.get(c) !== true) return null;
            const next = s.cr3.get(c)!;
            const ch = change(s).setIn(['sw', c], false);
            return next === INIT_MM ? ch : ch.setIn(['mask', next], s.mask.get(next)!.add(c));
          },
        },
      }
      : {
        LoadCr3: {
          params: { c: w.cpus },
          actor: ({ c }: { c: Cpu }) => `CPU ${c}`,
          doc: 'load_new_mm_cr3: CR3 := next->pgd (flushes the old context)',
          apply: (s: State, { c }: { c: Cpu }) => s.sw.get(c) === true && loadCr3(s, c, change(s)),
        },
      }),
  };
}
