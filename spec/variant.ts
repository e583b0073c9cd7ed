/**
 * Composition: a variant is a world (who runs where, what is mapped, which routines exist) plus
 * a flush policy. `kernelModel` assembles the modules' action families, in this order (the order
 * BFS tries them, so it decides which of several equally short traces is reported): scheduling,
 * hardware TLB, mm routines, zuf, flush, frame reuse, then thread accesses.
 */
import { Record } from 'immutable';
import { defineSpec, type Model, type Spec } from '../src/index.js';
import {
  guardImpliesSafe, localFlushSafe, maskCoversRunning, noStaleTranslation, safeWithoutGuard,
} from '../invariants/kernel.js';
import type { Ctx } from './model/context.js';
import { flushActions } from './model/flush.js';
import { frameActions } from './model/frames.js';
import { mmActions } from './model/mm.js';
import { schedActions } from './model/sched.js';
import { tlbActions } from './model/tlb.js';
import { StateRec, helpers, initialState, type State, type World } from './model/world.js';
import { zufActions } from './model/zuf.js';
import type { FlushPolicy } from './policies/policy.js';

export interface Variant {
  /** short label, e.g. 'V1' */
  readonly name: string;
  /** one line: the kernel meaning */
  readonly doc: string;
  readonly world: World;
  readonly policy: FlushPolicy;
}

/** Traces show only the variables this world uses (no zuf phase outside zuf, no tlb_gen bits outside lazy worlds). */
function viewOf(w: World): (s: State) => unknown {
  const keys = Object.keys(StateRec().toObject()).filter((k) => (k !== 'zuf' || w.zuf) && (k !== 'behind' || w.lazy));
  const View = Record(Object.fromEntries(keys.map((k) => [k, undefined as unknown])));
  return (s) => View(Object.fromEntries(keys.map((k) => [k, (s as unknown as { get(k: string): unknown }).get(k)])));
}

/** The context the modules and properties of a variant are built from. */
export const kernelContext = (v: Variant): Ctx => ({ w: v.world, h: helpers(v.world), policy: v.policy });

export function kernelModel(v: Variant): Model<State> {
  const ctx = kernelContext(v);
  const { Access, ...hw } = tlbActions(ctx);
  return {
    init: initialState(v.world, ctx.h),
    deadlock: false,
    view: viewOf(v.world),
    actions: {
      ...schedActions(ctx),
      ...hw,
      ...mmActions(ctx),
      ...zufActions(ctx),
      ...flushActions(ctx),
      ...frameActions(ctx),
      Access,
    },
    invariants: {
      NoStaleTranslation: { check: noStaleTranslation(ctx), doc: 'no CPU translates to a freed (and reused) frame' },
      MaskCoversRunning: { check: maskCoversRunning(ctx), doc: 'every CPU running the mm is in mm_cpumask' },
    },
    actionProperties: {
      LocalFlushSafe: localFlushSafe(ctx),
      GuardImpliesSafe: guardImpliesSafe(ctx),
    },
    sometimes: {
      SafeWithoutGuard: { check: safeWithoutGuard(ctx), doc: 'local flush safe although mm_cpumask ⊄ {initiator}' },
    },
  };
}

/** A variant as a spec of its own (for a variant module: `export default kernelSpec({...})`). */
export function kernelSpec(v: Variant): Spec<State> {
  return defineSpec<State>({ name: `kernel-${v.name}`, doc: v.doc, build: () => kernelModel(v) }) as unknown as Spec<State>;
}
