/**
 * tlbbench: the reference benchmark model (../shared/bench/tlbbench.md), written as an ordinary
 * kripke spec: one mm, N CPUs, P virtual pages, F physical frames.
 *
 *   npx kripke check bench/tlbbench.ts --const N=3,P=3,F=3
 *   npx kripke check bench/tlbbench.ts --const MODE=local     # NoStaleTranslation fails
 */
import { Map as IMap, Record, type RecordOf } from 'immutable';
import { change, defineSpec, range, violated } from '../src/index.js';

interface Vars {
  /** a thread of the mm runs on the CPU (mm loaded) */
  running: IMap<number, boolean>;
  /** mm_cpumask bits */
  mask: IMap<number, boolean>;
  /** page table; 0 = not present */
  pte: IMap<number, number>;
  /** per-CPU cached translations; 0 = none */
  tlb: IMap<number, IMap<number, number>>;
  /** frame is in the free pool */
  free: IMap<number, boolean>;
  /** one unmap is in flight (mmap_lock held for write) */
  busy: boolean;
  /** page being unmapped (0 when idle) */
  opPage: number;
  /** frame being released (0 when idle) */
  opFrame: number;
  /** flush IPI not yet acknowledged by that CPU */
  pending: IMap<number, boolean>;
}
type State = RecordOf<Vars>;

const fn = <K, V>(keys: K[], v: (k: K) => V) => IMap(keys.map((k) => [k, v(k)] as [K, V]));

export default defineSpec({
  name: 'tlbbench',
  doc: 'One mm, N CPUs, P pages, F frames; unmap by shootdown (correct) or local flush (VM_LOCAL_CPU).',
  constants: {
    N: { default: 2, min: 1, max: 16, doc: 'CPUs' },
    P: { default: 2, min: 1, max: 16, doc: 'virtual pages' },
    F: { default: 2, min: 1, max: 16, doc: 'physical frames' },
    MODE: { default: 'shootdown', values: ['shootdown', 'local'], doc: 'unmap flush policy' },
  },
  build: ({ N, P, F, MODE }) => {
    const CPUS = range(1, N);
    const PAGES = range(1, P);
    const FRAMES = range(1, F);
    const S = Record<Vars>({
      running: fn(CPUS, () => false),
      mask: fn(CPUS, () => false),
      pte: fn(PAGES, () => 0),
      tlb: fn(CPUS, () => fn(PAGES, () => 0)),
      free: fn(FRAMES, () => true),
      busy: false,
      opPage: 0,
      opFrame: 0,
      pending: fn(CPUS, () => false),
    });
    const noTlb = fn(PAGES, () => 0);

    return {
      init: S(),
      deadlock: true,
      // The CPUs are interchangeable: no action or property names one. (Pages and frames are
      // too; test/engine/symmetry.test.ts declares them as well.)
      symmetry: { CPUS: { values: CPUS, keys: ['running', 'mask', 'tlb', 'pending'] } },
      actions: {
        SwitchIn: {
          params: { c: CPUS },
          apply: (s: State, { c }) => !s.running.get(c) && change(s).setIn(['running', c], true).setIn(['mask', c], true),
        },
        SwitchOut: {
          params: { c: CPUS },
          apply: (s: State, { c }) => s.running.get(c) && change(s).setIn(['running', c], false).setIn(['tlb', c], noTlb),
        },
        TrimMask: {
          params: { c: CPUS },
          apply: (s: State, { c }) => !s.running.get(c) && s.mask.get(c) && change(s).setIn(['mask', c], false),
        },
        Map: {
          params: { c: CPUS, p: PAGES, f: FRAMES },
          apply: (s: State, { c, p, f }) =>
            s.running.get(c) && !s.busy && s.pte.get(p) === 0 && s.free.get(f) &&
            change(s).setIn(['pte', p], f).setIn(['free', f], false),
        },
        Fill: {
          params: { c: CPUS, p: PAGES },
          apply: (s: State, { c, p }) =>
            s.running.get(c) && s.pte.get(p) !== 0 && s.tlb.get(c)!.get(p) === 0 &&
            change(s).setIn(['tlb', c, p], s.pte.get(p)),
        },
        Unmap: {
          params: { c: CPUS, p: PAGES },
          apply: (s: State, { c, p }) =>
            s.running.get(c) && !s.busy && s.pte.get(p) !== 0 &&
            change(s)
              .setIn(['pte', p], 0)
              .setIn(['tlb', c, p], 0)
              .set('busy', true)
              .set('opPage', p)
              .set('opFrame', s.pte.get(p))
              .set('pending', s.mask.map((inMask, d) => MODE === 'shootdown' && d !== c && inMask)),
        },
        Ack: {
          params: { c: CPUS },
          apply: (s: State, { c }) =>
            s.pending.get(c) && change(s).setIn(['tlb', c, s.opPage], 0).setIn(['pending', c], false),
        },
        Release: {
          apply: (s: State) =>
            s.busy && !s.pending.some((x) => x) &&
            change(s).setIn(['free', s.opFrame], true).set('busy', false).set('opPage', 0).set('opFrame', 0),
        },
      },
      invariants: {
        NoStaleTranslation: (s: State) => {
          for (const [c, row] of s.tlb) {
            for (const [p, f] of row) {
              if (f !== 0 && s.free.get(f)) return violated(`tlb[${c}][${p}] = ${f} and free[${f}]`);
            }
          }
          return true;
        },
        TlbCoherent: (s: State) => {
          for (const [c, row] of s.tlb) {
            for (const [p, f] of row) {
              if (f !== 0 && f !== s.pte.get(p) && !(s.busy && p === s.opPage && s.pending.get(c))) {
                return violated(`tlb[${c}][${p}] = ${f} but pte[${p}] = ${s.pte.get(p)}`);
              }
            }
          }
          return true;
        },
      },
    };
  },
});
