/**
 * The predicates every module and property shares: "is thread t running on CPU c", "can CPU c
 * use its TLB entry for A:x now", "would it use it again without a flush", and the initial
 * state of a world.
 */
import { List, Map as IMap, Set as ISet, type Record } from 'immutable';
import { IDLE_OP, NO_TLB, type OpRec, type State, type Vars } from './state.js';
import {
  IDLE, INIT_MM, keyMm, type Cpu, type Frame, type Key, type Mm, type Pte, type Use, type Vma, type VmaFlag, type World,
} from './world.js';

export function helpers(w: World) {
  const threads = new Map(w.threads.map((t) => [t.name, t]));
  const vmaOfKey = new Map<Key, Vma>(w.vmas.flatMap((v) => v.pages.map((k) => [k, v] as const)));
  const flags = new Map(w.vmas.flatMap((v) => v.pages.map((k) => [k, ISet<VmaFlag>(v.flags)] as const)));
  const keys = w.vmas.flatMap((v) => v.pages);
  const mms = [...new Set([...w.threads.map((t) => t.mm), ...keys.map(keyMm)])];
  const mmOf = (t: string): Mm => (t === IDLE ? INIT_MM : threads.get(t)!.mm);
  /** generations are tracked (tlb_gen, per-CPU context generations) in PCID and lazy worlds */
  const genTracked = w.pcid === true || w.lazy !== undefined;
  const lazy = (s: State, c: Cpu) => w.lazy !== undefined && s.curr.get(c) === IDLE && !s.sw.get(c) && s.cr3.get(c) !== INIT_MM;
  const usable = (s: State, c: Cpu, k: Key) =>
    s.cr3.get(c) === keyMm(k) && mmOf(s.curr.get(c)!) === keyMm(k) && s.tlb.get(c)!.has(k);
  return {
    threads,
    mms,
    keys,
    userThreads: w.threads.map((t) => t.name),
    mmOf,
    genTracked,
    /** the vma a page belongs to */
    vmaOf: (k: Key): Vma => vmaOfKey.get(k)!,
    vmaFlags: (k: Key) => flags.get(k) ?? ISet<VmaFlag>(),
    /** thread t is current on c and its mm is loaded (not in the middle of a switch) */
    runs: (s: State, c: Cpu, t: string) => s.curr.get(c) === t && !s.sw.get(c) && s.cr3.get(c) === mmOf(t),
    /**
     * CPU c can use its entry for `k` architecturally now: CR3 holds k's mm and the current
     * thread belongs to it. Mid-switch (mask-first order) CR3 still holds prev while `curr` is
     * already next, so the old context's entries do not count: the coming CR3 load leaves them.
     */
    usable,
    /**
     * CPU d holds an entry for `k` that it uses now or will use again without a flush (guide
     * §7.4): a dormant PCID context, a lazy context or the old context of a switch whose
     * generation is not behind `g` (the flush's new tlb_gen) comes back as it is, and so does
     * the context a mainline switch is loading if it is not behind the tlb_gen the switch read;
     * a lazy CPU that returns without the tlb_gen check ('no-gen-check') keeps everything.
     * Without PCID a CR3 load drops every entry, so only lazy contexts can come back.
     */
    revivable: (s: State, d: Cpu, k: Key, g: number) => {
      if (!s.tlb.get(d)!.has(k)) return false;
      if (usable(s, d, k)) return true;
      // arm64: an ASID is the mm's on every CPU and switching never flushes: every entry comes back
      if (w.arch === 'arm64') return true;
      const mm = keyMm(k);
      // mainline, switching into mm after S3: the CR3 load keeps the context iff it is not behind the read
      if (w.lazy === 'mainline' && s.rgen.get(d)! >= 0 && mmOf(s.curr.get(d)!) === mm) return s.slot.get(d)!.get(mm)! >= s.rgen.get(d)!;
      const kept = w.pcid || (lazy(s, d) && s.cr3.get(d) === mm);
      if (!kept) return false;
      if (w.lazy === 'no-gen-check' && lazy(s, d)) return true;
      return genTracked && (s.slot.get(d)!.get(mm) ?? -1) >= g;
    },
    /** the user mm CPU c runs in (CR3 and current thread agree), or undefined */
    ctxMm: (s: State, c: Cpu) => {
      const mm = s.cr3.get(c)!;
      return mm !== INIT_MM && mmOf(s.curr.get(c)!) === mm ? mm : undefined;
    },
    allowed: (t: string, c: Cpu) => t === IDLE || threads.get(t)!.cpus.includes(c),
    /** lazy TLB: the CPU's kernel thread runs with a user mm still loaded */
    lazy,
    /** the routine CPU c has in flight, if any */
    opOf: (s: State, c: Cpu): OpRec | undefined => s.ops.find((op) => op.phase !== 'idle' && op.cpu === c),
    /** the record (index in `ops`) of CPU c's routine, or of a free one if c has none; -1 if none is free */
    slotOf: (s: State, c: Cpu): number =>
      s.ops.findKey((op) => op.phase !== 'idle' && op.cpu === c) ?? s.ops.findKey((op) => op.phase === 'idle') ?? -1,
    /**
     * a routine holds page k (its page-table lock, its mmap_lock): no other routine may change
     * it. A deferred flush lets go once the PTE is written (arm64: once its TLBI is issued),
     * though the routine is still in flight.
     */
    busy: (s: State, k: Key) => s.ops.some((op) => op.keys.has(k) && !(op.deferred && (w.arch !== 'arm64' || op.phase !== 'written'))),
    /**
     * a routine in flight changed page k and has not returned to its caller (an idle CPU's record
     * has no pages; a LATR munmap has returned once its LATR state is posted)
     */
    inFlight: (s: State, k: Key) => s.ops.some((op) => op.keys.has(k) && !(w.latr !== undefined && op.phase === 'ipi')),
  };
}
export type Helpers = ReturnType<typeof helpers>;

/** The initial state of a world: CR3 and mm_cpumask consistent with who runs where, TLBs empty. */
export function initialState<S extends State>(w: World, h: Helpers, Rec: Record.Factory<any>): S {
  const running = new Map(w.running);
  const curr = IMap(w.cpus.map((c) => [c, running.get(c) ?? IDLE] as [Cpu, string]));
  const uses = new Map(w.uses ?? []);
  const ptes = new Map(w.ptes ?? []);
  const perCpu = <V>(v: (c: Cpu) => V) => IMap(w.cpus.map((c) => [c, v(c)] as [Cpu, V]));
  const cr3 = curr.map((t) => h.mmOf(t));
  const vars: Partial<Vars> = {
    frame: IMap(w.frames.map((f) => [f, uses.get(f) ?? 'free'] as [Frame, Use])),
    pte: IMap(h.keys.map((k) => [k, ptes.get(k) ?? ''] as [Key, Pte])),
    cr3,
    curr,
    sw: perCpu(() => 0),
    // arm64 never maintains mm_cpumask: it stays as mm init left it, empty
    mask: IMap(h.mms.map((m) => [m, w.arch === 'arm64' ? ISet<Cpu>() : ISet(w.cpus.filter((c) => h.mmOf(curr.get(c)!) === m))] as [Mm, ISet<Cpu>])),
    tlb: perCpu(() => NO_TLB),
    ops: IMap(Array.from({ length: w.routines ?? 1 }, (_, i) => [i, IDLE_OP] as [number, OpRec])),
  };
  if (h.genTracked) {
    vars.gen = IMap(h.mms.map((m) => [m, 0] as [Mm, number]));
    // every context starts flushed to generation 0 (TLBs are empty)
    vars.slot = perCpu(() => IMap(h.mms.map((m) => [m, 0] as [Mm, number])));
  }
  if (w.pcid) vars.chg = IMap(h.keys.map((k) => [k, 0] as [Key, number]));
  if (w.lazy === 'mainline') {
    vars.loaded = cr3;
    vars.isLazy = perCpu(() => false);
    vars.rgen = perCpu(() => -1);
  }
  return Rec(vars as Vars) as unknown as S;
}

export const showSet = (x: ISet<Cpu> | Iterable<Cpu>) => `{${List(x).sort().join(', ')}}`;
/** `a, b, c`, as notes list pages and frames. */
export const list = (xs: Iterable<string>) => [...xs].join(', ');
