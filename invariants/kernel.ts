/**
 * Properties of the kernel model (spec/kernel.ts). Each takes the variant's context (world,
 * helpers, flush policy) and returns a state predicate, an action property or a witness.
 *
 * "Usable" (guide §7.4, §7.6 item 9): CPU c holds a TLB entry for A:x in the context it is
 * running architecturally: A's page tables are loaded and the current thread is one of A's.
 * Lazy CPUs (kernel thread current, A still loaded) and the old context during a mask-first
 * switch (CR3 about to be reloaded, which drops it) do not count.
 */
import { violated, type ActionPropertyDef, type Verdict } from '../src/index.js';
import type { Ctx } from '../spec/model/context.js';
import { flushQuery } from '../spec/model/flush.js';
import { keyMm, showSet, type Cpu, type Key, type State } from '../spec/model/world.js';

const article = (use: string) => (use === 'free' ? 'free' : `${/^[aeiou]/.test(use) ? 'an' : 'a'} ${use}`);

/** The first CPU other than `c` with a usable entry for `k`, or undefined. */
function otherHolder({ w, h }: Ctx, s: State, c: Cpu, k: Key): Cpu | undefined {
  return w.cpus.find((d) => d !== c && h.usable(s, d, k));
}

/**
 * NoStaleTranslation: no CPU translates, in its running context, to a frame that was freed and
 * reused (kernel page table, kernel data). A frame freed but not yet reused is not flagged: the
 * reuse is always one FrameAlloc away, so the verdicts are the same and every trace ends at the
 * reuse, as in Rutland's argument ("after we free x, the kernel could reuse the page").
 * `includeFree` flags free frames too (test/kernel.test.ts checks the verdicts agree).
 */
export function noStaleTranslation(ctx: Ctx, opts: { includeFree?: boolean } = {}) {
  const { w, h } = ctx;
  const ok = (use: string) => use === 'user' || use === 'drain' || (use === 'free' && !opts.includeFree);
  return (s: State): Verdict => {
    for (const c of w.cpus) {
      if (h.ctxMm(s, c) === undefined) continue;
      for (const [k, f] of s.tlb.get(c)!) {
        const use = s.frame.get(f)!;
        if (!ok(use)) {
          return violated(`CPU ${c} translates ${k} -> ${f} (thread ${s.curr.get(c)}), but ${f} is now ${article(use)}`);
        }
      }
    }
    return true;
  };
}

/** MaskCoversRunning: every CPU with mm loaded and a thread of mm current is in mm_cpumask(mm). */
export function maskCoversRunning({ w, h }: Ctx) {
  return (s: State): Verdict => {
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

/** LocalFlushSafe: when a flush is local-only, no other CPU holds a usable entry for the page. */
export function localFlushSafe(ctx: Ctx): ActionPropertyDef<State> {
  return {
    actions: ['LocalFlushOnly'],
    doc: 'a local-only flush leaves no usable entry for the page on another CPU',
    check: (s) => {
      const { cpu, key } = s.op;
      const d = otherHolder(ctx, s, cpu, key);
      return d === undefined ||
        violated(`CPU ${cpu} flushes ${key} locally only, but CPU ${d} (thread ${s.curr.get(d)}) still holds ${key} -> ${s.tlb.get(d)!.get(key)}`);
    },
  };
}

/**
 * GuardImpliesSafe, the "if" half of "local flush is safe iff the mask is (within) {self}": at
 * every flush decision where the policy's mask guard is true (on the mask as the initiator read
 * it), no other CPU holds a usable entry for the page. Vacuous for policies without a guard.
 */
export function guardImpliesSafe(ctx: Ctx): ActionPropertyDef<State> {
  return {
    actions: ['LocalFlushOnly', 'FlushTlbMmRange'],
    doc: 'policy guard true => no other CPU holds a usable entry',
    check: (s) => {
      const guard = ctx.policy.guard;
      if (!guard) return true;
      const q = flushQuery(ctx, s);
      if (!guard(q)) return true;
      const d = otherHolder(ctx, s, q.initiator, q.key);
      return d === undefined ||
        violated(`guard true (${ctx.policy.name}: mm_cpumask(${q.mm}) read as ${showSet(q.mask)} by CPU ${q.initiator}), but CPU ${d} holds ${q.key} -> ${s.tlb.get(d)!.get(q.key)}`);
    },
  };
}

/**
 * SafeWithoutGuard, a witness against the "only if" half: a PTE was just changed, mm_cpumask has
 * a CPU other than the initiator (the guard fails), yet no other CPU holds a usable entry for the
 * page: a local flush would be safe here. The mask over-approximates (guide §7.6 item 1).
 */
export function safeWithoutGuard(ctx: Ctx) {
  return (s: State): boolean => {
    const op = s.op;
    if (op.phase !== 'written') return false;
    const mask = s.mask.get(keyMm(op.key))!;
    return !mask.remove(op.cpu).isEmpty() && otherHolder(ctx, s, op.cpu, op.key) === undefined;
  };
}
