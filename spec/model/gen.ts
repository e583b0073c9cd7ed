/**
 * Generations (guide §3.3): mm->context.tlb_gen, bumped by every flush request
 * (inc_mm_tlb_gen in flush_tlb_mm_range), and per CPU the generation each of its contexts was
 * last flushed to (cpu_tlbstate.ctxs[].tlb_gen; without PCID only the loaded mm's counts).
 *   flushFunc  flush_tlb_func: nothing if the context already reached the request's
 *              generation; INVLPG of the range if it is exactly one behind and the request is
 *              the newest; otherwise a full flush of the context. Then it is at mm's tlb_gen.
 *   switchIn   the CR3 load of switch_mm_irqs_off (choose_new_asid): with PCID the context
 *              keeps its entries unless its generation is behind; without PCID every entry goes.
 *
 * Bounded counters: only the order of the generations of one mm and whether two differ by
 * exactly one are ever compared, so whenever a value appears or may disappear (a bump, a context
 * catching up, the end of a routine or of a switch) the live values (tlb_gen, the contexts', the
 * routines', the PTE-change ghosts, a switch's read) are renumbered from 0 with gaps of at most 2:
 * states that differ only in the numbering are one state. That keeps every comparison's outcome,
 * and with it the behaviour, and bounds every value by twice the number of live values. The
 * renumbering is the last write of an action (normalizeGens), after every generation the action
 * sets: a value computed before it (a routine's gen, a record read earlier) would be stale after.
 */
import type { Map as IMap } from 'immutable';
import { type Change } from '../../src/index.js';
import type { Ctx } from './context.js';
import { NO_TLB, type State } from './state.js';
import { keyMm, type Cpu, type Key, type Mm, type Pte } from './world.js';

const get = <S extends State>(ch: Change<S>, path: readonly unknown[]) => ch.getIn(path) as number;
const tlbOf = <S extends State>(ch: Change<S>, c: Cpu) => ch.getIn(['tlb', c]) as IMap<Key, Pte>;

/** INVLPG of `keys` on CPU c. */
export function dropKeys<S extends State>(ch: Change<S>, c: Cpu, keys: Iterable<Key>): Change<S> {
  for (const k of keys) if (tlbOf(ch, c).has(k)) ch = ch.removeIn(['tlb', c, k]);
  return ch;
}

/** inc_mm_tlb_gen: the change with mm's tlb_gen one higher, and that generation. */
export function bumpGen<S extends State>(ch: Change<S>, mm: Mm): [Change<S>, number] {
  const g = get(ch, ['gen', mm]) + 1;
  return [ch.setIn(['gen', mm], g), g];
}

/** Drops every entry of mm from CPU c's TLB (a full flush of that context). */
export function dropMm<S extends State>(ch: Change<S>, c: Cpu, mm: Mm): Change<S> {
  const t = tlbOf(ch, c);
  const kept = t.filter((_, k) => keyMm(k) !== mm);
  return kept.size === t.size ? ch : ch.setIn(['tlb', c], kept.size ? kept : NO_TLB);
}

/** flush_tlb_func on CPU c, which has mm loaded, for a request of generation g over `keys`. */
export function flushFunc<S extends State>({ h }: Ctx, ch: Change<S>, c: Cpu, mm: Mm, keys: Iterable<Key>, g: number): Change<S> {
  if (!h.genTracked) return dropKeys(ch, c, keys);
  const local = get(ch, ['slot', c, mm]);
  if (g <= local) return ch;
  const mmGen = get(ch, ['gen', mm]);
  ch = g === local + 1 && g === mmGen ? dropKeys(ch, c, keys) : dropMm(ch, c, mm);
  return ch.setIn(['slot', c, mm], mmGen);
}

/**
 * The CR3 load of a switch to `next` on CPU c (`read`: next's tlb_gen as the switch read it;
 * default: now). PCID: a context that is not behind keeps its entries, the others are flushed;
 * no PCID: every entry goes.
 */
export function switchIn<S extends State>({ w, h }: Ctx, ch: Change<S>, c: Cpu, next: Mm, read?: number): Change<S> {
  if (!w.pcid) ch = ch.setIn(['tlb', c], NO_TLB);
  if (!h.genTracked || next === 'init') return ch;
  const g = read ?? get(ch, ['gen', next]);
  const slot = get(ch, ['slot', c, next]);
  if (w.pcid && slot < g) ch = dropMm(ch, c, next);
  return slot === g || (w.pcid && slot > g) ? ch : ch.setIn(['slot', c, next], g);
}

/**
 * Back from lazy mode to the same mm (switch_mm_irqs_off's was_lazy path): smp_mb(), re-read
 * tlb_gen, and flush the context fully if it went out of date meanwhile.
 */
export function leaveLazy<S extends State>(ch: Change<S>, c: Cpu, mm: Mm): Change<S> {
  const g = get(ch, ['gen', mm]);
  return get(ch, ['slot', c, mm]) < g ? dropMm(ch, c, mm).setIn(['slot', c, mm], g) : ch;
}

/** Renumbers mm's live generations from 0 with gaps of at most 2 (see the header). */
export function normalizeGens<S extends State>({ w, h }: Ctx, ch: Change<S>, mm: Mm): Change<S> {
  if (!h.genTracked || mm === 'init') return ch;
  const refs: (readonly unknown[])[] = [['gen', mm]];
  for (const c of w.cpus) refs.push(['slot', c, mm]);
  const ops = ch.get('ops') as State['ops'];
  for (const [c, op] of ops) if (op.phase !== 'idle' && op.mm === mm && op.gen >= 0) refs.push(['ops', c, 'gen']);
  if (w.pcid) for (const k of h.keys) if (keyMm(k) === mm && get(ch, ['chg', k]) >= 0) refs.push(['chg', k]);
  if (w.lazy === 'mainline') {
    for (const c of w.cpus) if (get(ch, ['rgen', c]) >= 0 && h.mmOf(ch.getIn(['curr', c]) as string) === mm) refs.push(['rgen', c]);
  }
  const vals = refs.map((p) => get(ch, p));
  const sorted = [...new Set(vals)].sort((a, b) => a - b);
  const to = new Map<number, number>();
  let prev = sorted[0];
  let n = 0;
  for (const v of sorted) {
    n += Math.min(v - prev, 2);
    to.set(v, n);
    prev = v;
  }
  refs.forEach((p, i) => {
    const v = to.get(vals[i])!;
    if (v !== vals[i]) ch = ch.setIn(p, v);
  });
  return ch;
}
