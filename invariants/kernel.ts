/**
 * Properties of the kernel model (spec/kernel.ts). Each takes the variant's context (world,
 * helpers, flush policy) and returns a state predicate, an action property or a witness; each
 * is generic in the state, so it also checks a model extended with more fields.
 *
 * "Usable" (guide §7.4, §7.6 item 9): CPU c holds a TLB entry for A:x in the context it is
 * running architecturally: A's page tables are loaded and the current thread is one of A's.
 * Lazy CPUs (kernel thread current, A still loaded), dormant PCID contexts and the old context
 * during a mask-first switch do not count for NoStaleTranslation: it flags them the moment they
 * become usable again. The flush-time properties (LocalFlushSafe, GuardImpliesSafe) count them
 * too when they would come back without a flush ("revivable", helpers.ts).
 */
import { violated, type ActionPropertyDef, type ActionRef, type Verdict } from '../src/index.js';
import type { Ctx } from '../spec/model/context.js';
import { flushQuery } from '../spec/model/flush.js';
import { showSet } from '../spec/model/helpers.js';
import type { State } from '../spec/model/state.js';
import { keyMm, pteFrame, pteWritable, type Cpu, type Key, type Pte } from '../spec/model/world.js';

/** The use of a frame with an article, as the properties' messages say it ('a kernel page table'). */
export const describeUse = (use: string) => (use === 'free' ? 'free' : `${/^[aeiou]/.test(use) ? 'an' : 'a'} ${use}`);
/** A frame in this use was freed and taken by the kernel: a translation to it is a violation. */
export const isReused = (use: string) => use !== 'user' && use !== 'drain' && use !== 'free';
const showPte = (p: Pte) => (p === '' ? 'none' : p);

/**
 * The first CPU other than `c` whose entry for one of `keys` is usable or revivable after a flush
 * of generation g (read in `t`, the state after the flush decision), with that key.
 */
function otherHolder({ w, h }: Ctx, t: State, c: Cpu, keys: Iterable<Key>, g: number, flushed?: ReadonlySet<Cpu>): [Cpu, Key] | undefined {
  for (const k of keys) {
    const d = w.cpus.find((x) => x !== c && !flushed?.has(x) && h.revivable(t, x, k, g));
    if (d !== undefined) return [d, k];
  }
  return undefined;
}

/** How CPU d holds k: in use, or dormant and coming back without a flush. */
function holding({ h }: Ctx, t: State, d: Cpu, k: Key): string {
  const e = `${k} -> ${t.tlb.get(d)!.get(k)}`;
  if (h.usable(t, d, k)) return `CPU ${d} (thread ${t.curr.get(d)}) still holds ${e}`;
  const mm = keyMm(k);
  const where = h.lazy(t, d) ? `a lazy context of ${mm}` : t.sw.get(d) ? `the context of ${mm} it is switching to` : `a dormant context of ${mm}`;
  return `CPU ${d} still holds ${e} in ${where}, which it will use again without a flush`;
}

/** The flush's generation, read after the decision (-1 where generations are not tracked). */
const genAfter = ({ h }: Ctx, t: State, mm: string) => (h.genTracked ? t.gen.get(mm)! : -1);

/**
 * The state form of NoStaleTranslation: no CPU translates, in its running context, to a frame
 * that was freed and reused (kernel page table, kernel data). A frame freed but not yet reused is
 * not flagged: the reuse is always one FrameAlloc away, so the verdicts are the same and every
 * trace goes through the reuse, as in Rutland's argument ("after we free x, the kernel could
 * reuse the page"). `includeFree` flags free frames too. The spec checks the access form
 * (`noStaleTranslation`); test/kernel.test.ts checks that both give the same verdicts.
 */
export function noStaleUsable<S extends State>(ctx: Ctx, opts: { includeFree?: boolean } = {}) {
  const { w, h } = ctx;
  const ok = (use: string) => !isReused(use) && (use !== 'free' || !opts.includeFree);
  return (s: S): Verdict => {
    for (const c of w.cpus) {
      const mm = h.ctxMm(s, c);
      if (mm === undefined) continue;
      for (const [k, e] of s.tlb.get(c)!) {
        if (keyMm(k) !== mm) continue;
        const f = pteFrame(e);
        const use = s.frame.get(f)!;
        if (!ok(use)) {
          return violated(`CPU ${c} translates ${k} -> ${f} (thread ${s.curr.get(c)}), but ${f} is now ${describeUse(use)}`);
        }
      }
    }
    return true;
  };
}

/**
 * The frame a thread reaches when it accesses `k` on CPU c through a TLB hit, if that frame was
 * freed and reused: the harm itself (the hit needs no page walk, so the page tables do not help).
 */
export function staleHit(s: State, c: Cpu, k: Key): { frame: string; use: string } | undefined {
  const e = s.tlb.get(c)?.get(k);
  if (e === undefined) return undefined;
  const f = pteFrame(e);
  const use = s.frame.get(f)!;
  return isReused(use) ? { frame: f, use } : undefined;
}

/**
 * NoStaleTranslation: no thread accesses a frame that was freed and reused through a stale TLB
 * entry. Checked on the access itself (Access, a TLB hit), so every counterexample ends with the
 * harmful load or store: after the reuse, the CPU with the stale entry uses it. `families`: the
 * thread accesses judged (Access, and Store where the world has stores).
 */
export function noStaleTranslation<S extends State>(families: readonly string[] = ['Access']): ActionPropertyDef<S> {
  return {
    actions: families,
    doc: 'no thread reaches a freed (and reused) frame through a stale TLB entry',
    check: (s: S, a: ActionRef): Verdict => {
      const { c, t, k } = a.params as { c: Cpu; t: string; k: Key };
      const hit = staleHit(s, c, k);
      if (!hit) return true;
      return violated(`thread ${t} on CPU ${c} accesses ${k} through its stale TLB entry -> ${hit.frame}, but ${hit.frame} is now ${describeUse(hit.use)}`);
    },
  };
}

/**
 * NoStaleAfterReturn (the guide's SYS-SEM, in state form): once the routine that changed a PTE
 * has returned, no CPU can use a translation for that page that the page tables no longer grant:
 * another frame, or write access after mprotect(PROT_READ). An entry less permissive than the PTE
 * is fine (upgrades need no flush).
 */
export function noStaleAfterReturn<S extends State>({ w, h }: Ctx) {
  return (s: S): Verdict => {
    for (const c of w.cpus) {
      for (const [k, e] of s.tlb.get(c)!) {
        if (!h.usable(s, c, k) || h.inFlight(s, k)) continue;
        const p = s.pte.get(k)!;
        if (pteFrame(e) === pteFrame(p) && (!pteWritable(e) || pteWritable(p))) continue;
        const what = pteFrame(e) === pteFrame(p) ? `can still write ${k} -> ${pteFrame(e)}` : `still translates ${k} -> ${pteFrame(e)}`;
        return violated(`CPU ${c} (thread ${s.curr.get(c)}) ${what}, but the routine that changed the PTE returned (PTE ${k} is ${showPte(p)})`);
      }
    }
    return true;
  };
}

/**
 * MaskCoversRunning (INV-MASK, x86): every CPU with mm loaded and a thread of mm current is in
 * mm_cpumask(mm). arm64 keeps no mask (it is never written), so there it holds vacuously: the
 * MaskLags witness shows that the mask says nothing there.
 */
export function maskCoversRunning<S extends State>({ w, h }: Ctx) {
  return (s: S): Verdict => {
    if (w.arch === 'arm64') return true;
    for (const c of w.cpus) {
      const mm = h.ctxMm(s, c);
      if (mm === undefined) continue;
      if (!s.mask.get(mm)!.has(c)) {
        return violated(`CPU ${c} runs ${s.curr.get(c)} with mm ${mm} loaded, but mm_cpumask(${mm}) = ${showSet(s.mask.get(mm)!)}`);
      }
    }
    return true;
  };
}

/**
 * TlbGenCurrent (the guide's INV-GEN, quoted from tlbflush.h in §3.3): "the TLB will never
 * contain entries that are out-of-date as when that mm reached the tlb_gen in the list". For
 * every context of every CPU, an entry whose PTE changed in a generation the context has already
 * reached must match the PTE. PCID worlds only (elsewhere it holds trivially).
 */
export function tlbGenCurrent<S extends State>({ w }: Ctx) {
  return (s: S): Verdict => {
    if (!w.pcid) return true;
    for (const c of w.cpus) {
      for (const [k, e] of s.tlb.get(c)!) {
        const mm = keyMm(k);
        const at = s.slot.get(c)!.get(mm)!;
        const chg = s.chg.get(k)!;
        if (chg < 0 || chg > at || e === s.pte.get(k)) continue;
        return violated(`CPU ${c}'s context of ${mm} is at tlb_gen ${at}, which covers the change of ${k} (gen ${chg}), yet it holds ${k} -> ${e} (PTE ${showPte(s.pte.get(k)!)})`);
      }
    }
    return true;
  };
}

/** The routine whose flush the transition decides (the CPU parameter's). */
const opOfAction = ({ h }: Ctx, s: State, a: ActionRef) => h.opOf(s, a.params.c as number)!;

/**
 * LocalFlushSafe: when a flush leaves CPUs out (a local-only flush leaves out every other CPU; a
 * shootdown, the CPUs the era's filter skipped), none of them holds an entry for the range that it
 * uses now or will use again without a flush (a dormant or lazy context whose generation is not
 * behind the flush's).
 */
export function localFlushSafe<S extends State>(ctx: Ctx): ActionPropertyDef<S> {
  return {
    actions: ['LocalFlushOnly', 'FlushTlbMmRange'],
    doc: 'a flush leaves no entry for the range on a CPU it does not flush that is usable now or again without a flush',
    check: (s, a, t) => {
      const op = opOfAction(ctx, s, a);
      const targets = new Set(ctx.h.opOf(t, op.cpu)?.pending ?? []);
      const held = otherHolder(ctx, t, op.cpu, op.keys, genAfter(ctx, t, op.mm), targets);
      if (held === undefined) return true;
      const range = [...op.keys].sort().join(', ');
      const how = targets.size === 0 ? 'locally only' : `with IPIs to ${showSet(targets)} only`;
      return violated(`CPU ${op.cpu} flushes ${range} ${how}, but ${holding(ctx, t, ...held)}`);
    },
  };
}

/**
 * GuardImpliesSafe, the "if" half of "local flush is safe iff the mask is (within) {self}": at
 * every flush decision where the policy's mask guard is true (on the mask as the initiator read
 * it), no other CPU holds an entry for the range it uses now or again without a flush. Vacuous
 * for policies without a guard.
 */
export function guardImpliesSafe<S extends State>(ctx: Ctx): ActionPropertyDef<S> {
  return {
    actions: ['LocalFlushOnly', 'FlushTlbMmRange'],
    doc: 'policy guard true => no other CPU holds a usable (or revivable) entry',
    check: (s, a, t) => {
      const guard = ctx.policy.guard;
      if (!guard) return true;
      const op = opOfAction(ctx, s, a);
      const q = flushQuery(ctx, s, op);
      if (!guard(q)) return true;
      const held = otherHolder(ctx, t, q.initiator, q.keys, genAfter(ctx, t, op.mm));
      return held === undefined ||
        violated(`guard true (${ctx.policy.name}: mm_cpumask(${q.mm}) read as ${showSet(q.mask)} by CPU ${q.initiator}), but ${holding(ctx, t, ...held)}`);
    },
  };
}

/**
 * SafeWithoutGuard, a witness against the "only if" half: PTEs were just changed, mm_cpumask has
 * a CPU other than the initiator (the guard fails), yet no other CPU holds an entry for the range
 * that it could use: a local flush would be safe here. The mask over-approximates (§7.6 item 1).
 */
export function safeWithoutGuard<S extends State>(ctx: Ctx) {
  return (s: S): boolean =>
    s.ops.some((op) => {
      if (op.phase !== 'written') return false;
      const g = ctx.h.genTracked ? s.gen.get(op.mm)! + 1 : -1;
      return !s.mask.get(op.mm)!.remove(op.cpu).isEmpty() && otherHolder(ctx, s, op.cpu, op.keys, g) === undefined;
    });
}

/** GuardTrue (witness): a flush is about to be decided and the mask guard mask ⊆ {initiator} is true. */
export function guardTrue<S extends State>() {
  return (s: S): boolean =>
    s.ops.some((op) => op.phase === 'written' && s.mask.get(op.mm)!.remove(op.cpu).isEmpty());
}

/**
 * BreakBeforeMake (INV-BBM, arm64 worlds; guide §4.4, §7.4): no step changes a live PTE to
 * another valid output (another frame), and no step makes a PTE valid while a CPU still holds an
 * entry for the page from before the break (the break's TLBI has not completed there). Otherwise
 * a CPU (the writer's own included) may hold the old translation and fill the new one, two
 * entries for one VA (a TLB conflict abort, or an amalgamation of both). Permission changes are allowed
 * (pgattr_change_is_safe). Checked on the families that write PTEs; x86 has no such rule.
 */
export function breakBeforeMake<S extends State>({ w, h }: Ctx, families: readonly string[]): ActionPropertyDef<S> {
  return {
    actions: families,
    doc: 'arm64: no live PTE is changed to another frame without break-before-make (the invalid step and a TLBI first)',
    check: (s: S, a: ActionRef, t: S): Verdict => {
      if (w.arch !== 'arm64' || s.pte === t.pte) return true;
      for (const k of h.keys) {
        const before = s.pte.get(k)!;
        const after = t.pte.get(k)!;
        if (after === '' || pteFrame(before) === pteFrame(after)) continue;
        if (before !== '') {
          return violated(`${a.name} changes the live PTE ${k} from ${pteFrame(before)} to ${pteFrame(after)} without break-before-make: a CPU may hold ${k} -> ${pteFrame(before)} and fill ${k} -> ${pteFrame(after)}, two entries for one VA`);
        }
        // the make: the break must have been completed by a TLBI that reached every CPU
        const d = w.cpus.find((x) => s.tlb.get(x)!.has(k));
        if (d !== undefined) {
          return violated(`${a.name} makes ${k} -> ${pteFrame(after)} while CPU ${d} still holds ${k} -> ${s.tlb.get(d)!.get(k)} from before the break (no TLBI completed on it): two entries for one VA once it fills the new one`);
        }
      }
      return true;
    },
  };
}

/** MaskLags (witness): a CPU runs a thread of mm with mm loaded, and mm_cpumask(mm) lacks it (arm64: always). */
export function maskLags<S extends State>({ w, h }: Ctx) {
  return (s: S): boolean => w.cpus.some((c) => {
    const mm = h.ctxMm(s, c);
    return mm !== undefined && !s.mask.get(mm)!.has(c);
  });
}

/**
 * PendingDormant (witness): a flush has been sent and a CPU it has not reached yet holds an entry
 * for the range in a context it is not running (another ASID or PCID loaded): the invalidation
 * must reach dormant contexts too.
 */
export function pendingDormant<S extends State>({ h }: Ctx) {
  return (s: S): boolean =>
    s.ops.some((op) => op.phase === 'ipi' && [...op.pending].some((d) => [...op.keys].some((k) => s.tlb.get(d)!.has(k) && s.cr3.get(d) !== op.mm && !h.usable(s, d, k))));
}

/**
 * PendingHolder (witness): a flush has been sent (IPIs, or an arm64 broadcast TLBI) and a CPU it
 * has not yet reached still holds an entry for the range: the shootdown had work to do, so a
 * "holds" row with it is not vacuous.
 */
export function pendingHolder<S extends State>() {
  return (s: S): boolean =>
    s.ops.some((op) => op.phase === 'ipi' && [...op.pending].some((d) => [...op.keys].some((k) => s.tlb.get(d)!.has(k))));
}

/**
 * DormantStale (witness, the PCID positive control of guide §7.5 V0): a CPU keeps, in a context
 * it is not using, an entry for a frame that has been freed and reused; the switch back into the
 * mm must flush it.
 */
export function dormantStale<S extends State>({ w, h }: Ctx) {
  return (s: S): boolean =>
    w.cpus.some((c) => [...s.tlb.get(c)!].some(([k, e]) =>
      !h.usable(s, c, k) && isReused(s.frame.get(pteFrame(e))!)));
}
