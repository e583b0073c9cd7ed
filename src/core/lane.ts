/**
 * The lane of an action instance: the column a trace draws it in, and the "actor" whose turn it
 * is for counting interleavings (interleavings.ts). The spec's `lane`, else its `actor`, else the
 * first parameter (`p=1`: most specs name the process or CPU first), else the action's name.
 * A hook that throws falls back to the next (`onThrow` hears of it).
 */
import type { Instance } from './model.js';
import { messageOf } from './errors.js';
import { showValue } from './values.js';

export function laneOf<S>(inst: Instance<S>, onThrow?: (hook: string, message: string) => void): string {
  const def = inst.family.def;
  const tryHook = (name: 'lane' | 'actor'): string | undefined => {
    const f = def[name] as ((p: never) => unknown) | undefined;
    if (!f) return undefined;
    try {
      return String(f(inst.params as never));
    } catch (e) {
      onThrow?.(`${name} of ${inst.name}`, messageOf(e));
      return undefined;
    }
  };
  const names = inst.family.paramNames;
  return tryHook('lane') || tryHook('actor') || (names.length > 0 ? `${names[0]}=${showValue(inst.params[names[0]])}` : inst.name);
}
