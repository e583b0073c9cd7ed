/** What every module of the kernel model is built from: the world, its helpers, the flush policy. */
import type { ActionDef } from '../../src/index.js';
import type { FlushPolicy } from '../policies/policy.js';
import type { Helpers, State, World } from './world.js';

export interface Ctx {
  readonly w: World;
  readonly h: Helpers;
  readonly policy: FlushPolicy;
}

/** A module's action families, in enumeration order. */
export type Actions = Record<string, ActionDef<State, any>>;
