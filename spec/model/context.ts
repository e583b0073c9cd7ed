/** What every module of the kernel model is built from: the world, its helpers, the flush policy, the flush hooks. */
import type { ActionDef, Change } from '../../src/index.js';
import type { FlushPolicy } from '../policies/policy.js';
import type { Helpers } from './helpers.js';
import type { OpRec, State } from './state.js';
import type { World } from './world.js';

/**
 * Called at the end of every flush_tlb_mm_range, once every IPI is acked and before anything is
 * freed (where v6.6+ calls mmu_notifier_arch_invalidate_secondary_tlbs; before 6.6 secondary TLBs
 * were invalidated from core mm, ->invalidate_range): `ch` is the step that completes it (the state type is
 * the extension's, so a hook reads and writes its own fields), `op` the routine. An extension's
 * secondary TLB (an IOMMU, a device) invalidates itself here. A policy's raw local flush
 * (`localFlush: 'raw'`, an INVLPG that bypasses flush_tlb_mm_range) calls no hook.
 */
export type FlushHook<S extends State = State> = (ch: Change<S>, op: OpRec) => Change<S>;

export interface Ctx {
  readonly w: World;
  readonly h: Helpers;
  readonly policy: FlushPolicy;
  /** the flush hooks of the model's extensions (none in the spec's own variants) */
  readonly onFlush: readonly FlushHook<any>[];
  /**
   * the return hooks: called, with the same signature, when a PTE routine returns to its caller
   * (munmap, mprotect or madvise returns to the thread; kswapd moves on): after its flush and
   * free, or where a design returns earlier (LATR returns before the remote invalidations).
   * syscalls.ts records what the returned syscall promises here.
   */
  readonly onReturn: readonly FlushHook<any>[];
}

/** A module's action families, in enumeration order; generic in the (possibly extended) state. */
export type Actions<S extends State = State> = Record<string, ActionDef<S, any>>;
