/**
 * `kripke/kernel`: the kernel spec's building blocks, for composing a new variant (a flush
 * policy in a world) or a new mechanism outside this repository (spec/README.md, "Extend the
 * model"). `kernelSpec({ name, world, policy }, ...extensions)` makes a checkable spec; the
 * worlds, policies, model modules, generation bookkeeping and properties below are the parts the
 * shipped variants are made of. Modules and properties are generic in the state, so they run on
 * a state record an extension has added fields to.
 */
export { kernelSpec, kernelModel, kernelContext, type Variant, type Extension } from './variant.js';
export { variant, variantNames, VARIANTS, type VariantName } from './variants.js';
export {
  DEFAULT_SIZE, rutland, rutlandMprotect, rutlandMremap, rutlandPcid, rutlandMainline, reclaim, zuf, rutlandLazy, mixed, rutlandCr3First,
  type Size,
} from './worlds.js';
export { others, maskWithinSelf, NOBODY, type FlushPolicy, type FlushQuery } from './policies/policy.js';
export { shootdown } from './policies/shootdown.js';
export { vmLocalCpu, vmLocalCpuEveryPath } from './policies/vm-local-cpu.js';
export { maskSelf, maskSelfEarly, maskSingleton, maskSelfRaw } from './policies/mask-guard.js';
export type { Ctx, Actions, FlushHook } from './model/context.js';
export { frameActions } from './model/frames.js';
export { mmActions, startRoutine, type Routine } from './model/mm.js';
export { schedActions, maySwitch } from './model/sched.js';
export { mainlineSchedActions, shouldFlushTlb, SWITCHING } from './model/sched-mainline.js';
export { tlbActions } from './model/tlb.js';
export { flushActions, flushQuery } from './model/flush.js';
export { bumpGen, dropKeys, dropMm, flushFunc, switchIn, leaveLazy, normalizeGens } from './model/gen.js';
export { zufActions } from './model/zuf.js';
export {
  kernelSymmetry, renamePte, symmetricCpus, symmetricFrames, symmetricPages, symmetricValues,
  type ExtensionSymmetry, type SymmetricValues,
} from './model/symmetry.js';
export { helpers, initialState, showSet, type Helpers } from './model/helpers.js';
export {
  BASE_FIELDS, IDLE_OP, NO_TLB, Op, StateRec, stateRecord,
  type CallPath, type KernelState, type OpRec, type OpVars, type Phase, type State, type Vars,
} from './model/state.js';
export {
  IDLE, INIT_MM, REUSE_TARGETS, keyMm, pagesOf, pteFrame, pteWritable, readOnly,
  type Cpu, type Frame, type Key, type Mm, type Pte, type Thread, type Use, type Vma, type VmaFlag, type World, type ZufWorld,
} from './model/world.js';
export {
  noStaleTranslation, noStaleUsable, staleHit, noStaleAfterReturn, maskCoversRunning, tlbGenCurrent, localFlushSafe, guardImpliesSafe,
  safeWithoutGuard, guardTrue, dormantStale, pendingHolder, pendingDormant, maskLags, breakBeforeMake, isReused, describeUse,
} from '../invariants/kernel.js';
export { kernelLanes, versionOf, DRIVER_LANE, KERNEL_LANE } from './model/lanes.js';
