/**
 * The kernel model's named rules (`kripke mutate`): what a variant's world and flush policy
 * rely on, each with the variant built without it. A rule is offered only where the world has
 * it (the mask bit before CR3 on x86's classic switch, the tlb_gen check on return from lazy in
 * v4.20+ lazy worlds, the 2025 fixes in mainline, flush_tlb_batched_pending in deferred worlds).
 */
import type { Variant } from '../variant.js';

export interface Rule {
  readonly doc: string;
  readonly negate: (v: Variant) => Variant;
}

const world = (v: Variant, w: Partial<Variant['world']>): Variant => ({ ...v, world: { ...v.world, ...w } });

/** The rules of variant `v`: its policy's, then its world's. */
export function kernelRules(v: Variant): Readonly<Record<string, Rule>> {
  const w = v.world;
  const x86 = w.arch !== 'arm64';
  const ipis = x86 && !w.invlpgb && !w.latr;
  const out: Record<string, Rule> = {};
  for (const [name, r] of Object.entries(v.policy.rules ?? {})) out[name] = { doc: r.doc, negate: (u) => ({ ...u, policy: r.negated }) };
  if (ipis && w.lazy !== 'mainline' && v.policy.maskRead !== 'before') {
    out.maskReadAfterWrite = { doc: 'flush_tlb_mm_range reads mm_cpumask after the PTE write (inc_mm_tlb_gen orders it)', negate: (u) => ({ ...u, policy: { ...u.policy, name: `${u.policy.name}-early-read`, maskRead: 'before' } }) };
  }
  if (x86 && w.lazy !== 'mainline' && (w.switchOrder ?? 'mask-first') === 'mask-first') {
    out.maskBitBeforeCr3 = { doc: 'switch_mm_irqs_off sets the mm_cpumask bit before it loads CR3 (CVE-2016-2069)', negate: (u) => world(u, { switchOrder: 'cr3-first' }) };
  }
  if (w.lazy === 'gen-check') {
    out.lazyGenCheck = { doc: 'a CPU back from lazy mode to the same mm flushes if its tlb_gen is behind', negate: (u) => world(u, { lazy: 'no-gen-check' }) };
  }
  if ((w.lazy === 'gen-check' || w.lazy === 'no-gen-check') && !w.ipiLazy) {
    out.skipLazy = { doc: 'shootdowns skip lazy CPUs (tlb_is_not_lazy), which catch up on return', negate: (u) => world(u, { ipiLazy: true }) };
  }
  if (w.lazy === 'mainline' && w.mainlineBug === undefined) {
    out.switchingIsLoaded = { doc: 'should_flush_tlb() flushes a CPU in LOADED_MM_SWITCHING (fea4e317f9e7)', negate: (u) => world(u, { mainlineBug: 'fea4e317' }) };
    out.mbWhenBitSet = { doc: 'switch_mm_irqs_off orders the loaded_mm store before the tlb_gen read even when the bit is already set (83b0177a6c48)', negate: (u) => world(u, { mainlineBug: '83b0177a' }) };
  }
  if (w.deferred?.pending === 'flush') {
    out.batchedPending = { doc: 'a syscall that takes the PTL first flushes a batch that reclaim left pending (flush_tlb_batched_pending)', negate: (u) => world(u, { deferred: { ...u.world.deferred!, pending: 'none' } }) };
  }
  if (w.deferred?.initiator === 'locked') {
    out.flushUnderPtl = { doc: 'migrate_vma_collect_pmd flushes before it drops the PTL (60bae7370896)', negate: (u) => world(u, { deferred: { ...u.world.deferred!, initiator: 'migrate' } }) };
  }
  if (w.latr === 'gated') {
    out.freeAfterSweep = { doc: 'LATR frees the frames only once every CPU swept its LATR state', negate: (u) => world(u, { latr: 'ungated' }) };
  }
  return out;
}

/** Variant `v` with rule `name` negated (undefined: `v`); an unknown rule is left to compile to refuse. */
export function withoutRule(v: Variant, name: string | undefined): Variant {
  if (name === undefined) return v;
  const r = kernelRules(v)[name];
  return r ? { ...r.negate(v), name: `${v.name}-without-${name}` } : v;
}

/** The rules' docs, as Model.rules says them. */
export const ruleDocs = (v: Variant): Record<string, string> => Object.fromEntries(Object.entries(kernelRules(v)).map(([k, r]) => [k, r.doc]));
