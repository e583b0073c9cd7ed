/**
 * `kripke/kernel`: the kernel spec's building blocks, for composing a new variant (a flush
 * policy in a world) or a new mechanism outside this repository. `kernelSpec({ name, world,
 * policy })` makes a checkable spec; the worlds, policies, model modules and properties below
 * are the parts the shipped variants are made of (see spec/README.md, "Add a variant").
 */
export { kernelSpec, kernelModel, kernelContext, type Variant } from './variant.js';
export { variant, variantNames, VARIANTS, type VariantName } from './variants.js';
export { DEFAULT_SIZE, rutland, reclaim, zuf, rutlandLazy, mixed, rutlandCr3First, type Size } from './worlds.js';
export { others, maskWithinSelf, type FlushPolicy, type FlushQuery } from './policies/policy.js';
export { shootdown } from './policies/shootdown.js';
export { vmLocalCpu } from './policies/vm-local-cpu.js';
export { maskSelf, maskSelfEarly, maskSingleton } from './policies/mask-guard.js';
export type { Ctx, Actions } from './model/context.js';
export { frameActions } from './model/frames.js';
export { mmActions, writePte } from './model/mm.js';
export { schedActions } from './model/sched.js';
export { tlbActions } from './model/tlb.js';
export { flushActions, flushQuery } from './model/flush.js';
export { zufActions } from './model/zuf.js';
export {
  IDLE,
  INIT_MM,
  IDLE_OP,
  NO_TLB,
  Op,
  REUSE_TARGETS,
  StateRec,
  helpers,
  initialState,
  keyMm,
  showSet,
  type Cpu,
  type Frame,
  type Helpers,
  type Key,
  type Mm,
  type OpVars,
  type Phase,
  type State,
  type Thread,
  type Use,
  type Vars,
  type VmaFlag,
  type World,
  type ZufWorld,
} from './model/world.js';
export { noStaleTranslation, maskCoversRunning, localFlushSafe, guardImpliesSafe, safeWithoutGuard } from '../invariants/kernel.js';
