/**
 * One step of a random walk, and the replay of a walk's choices: what simulation (simulate.ts)
 * and its shrinking (shrink.ts) share. A walk is Init (one of the initial states) and a list of
 * action instances; each state on it is judged as the BFS judges a new state (the invariants),
 * each transition as the BFS judges one (the action properties of its family), with the same
 * readings of a verdict (verdict.ts). A state outside the constraints ends the walk (checked, as
 * the BFS checks it, but not continued from), and, with deadlock checking on, a state with no
 * enabled action is a deadlock.
 */
import { isChange } from './change.js';
import { KripkeError, messageOf } from './errors.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import type { PropertyKind } from './result.js';
import { failed, reasonOf, within } from './verdict.js';

/** What a walk found: a property that fails, where, and why. */
export interface Finding {
  readonly kind: PropertyKind;
  readonly property: string;
  readonly reason?: string;
  /** [init index, action index, ...]: the walk up to and including the failing state or transition */
  readonly path: readonly number[];
}

/** The judge of a model's states and transitions (the `only` properties, else all). */
export interface Judge<S> {
  /** The first invariant that fails in `s`, or null. */
  state(s: S, path: readonly number[]): Finding | null;
  /** The first action property that fails on s -> t by `inst`, or null. */
  transition(s: S, inst: Instance<S>, t: S, path: readonly number[]): Finding | null;
  /** Whether `s` satisfies every constraint. */
  inside(s: S): boolean;
  /** Whether the family of instance `ai` has action properties (its successors must be judged). */
  readonly judged: (ai: number) => boolean;
}

/** The judge of `m`, for property `only` (one property's name) or every property when undefined. */
export function judge<S>(m: CompiledModel<S>, only?: string): Judge<S> {
  const invariants = m.invariants.filter((p) => only === undefined || p.name === only);
  const actionProps = m.actionProperties.filter((p) => only === undefined || p.name === only);
  const judgedFam = new Uint8Array(m.families.length);
  for (const p of actionProps) for (const f of p.families) judgedFam[f] = 1;
  const eval_ = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw e instanceof KripkeError ? e : new KripkeError('eval', `${what} threw: ${messageOf(e)}`);
    }
  };
  return {
    state(s, path) {
      for (const p of invariants) {
        const v = eval_(`property ${p.name}`, () => p.check(s));
        if (v !== true && failed('invariant', p.name, v)) return { kind: 'invariant', property: p.name, reason: reasonOf(v), path };
      }
      return null;
    },
    transition(s, inst, t, path) {
      if (judgedFam[inst.family.index] === 0) return null;
      for (const p of actionProps) {
        if (!p.families.has(inst.family.index)) continue;
        const v = eval_(`action property ${p.name} on ${formatAction(inst)}`, () => p.check(s, inst, t));
        if (v !== true && failed('action property', p.name, v)) return { kind: 'action', property: p.name, reason: reasonOf(v), path };
      }
      return null;
    },
    inside: (s) => m.constraints.every((c) => eval_(`constraint ${c.name}`, () => within(c.name, c.check(s)))),
    judged: (ai) => judgedFam[m.instances[ai].family.index] === 1,
  };
}

/** The successor of `s` by `inst`, built, or null if not enabled; a throw names the action. */
export function step<S>(inst: Instance<S>, s: S): S | null {
  let r: unknown;
  try {
    r = inst.apply(s, inst.params);
  } catch (e) {
    throw new KripkeError('eval', `action ${formatAction(inst)} threw: ${messageOf(e)}`);
  }
  if (r === null || r === undefined || r === false) return null;
  return (isChange(r) ? r.materialize() : r) as S;
}

/** Whether any action is enabled in `s`. */
export function anyEnabled<S>(m: CompiledModel<S>, s: S): boolean {
  return m.instances.some((inst) => step(inst, s) !== null);
}

/**
 * Replays a walk given as Init's index and a list of action instances, skipping those not
 * enabled where they come (as a shrunk walk's are), judging as it goes. Returns the first
 * finding of property `target` (any property when undefined), or null; the finding's path holds
 * the instances that were applied.
 */
export function replayChoices<S>(m: CompiledModel<S>, j: Judge<S>, init: number, choices: readonly number[], target?: string): Finding | null {
  let s = m.inits[init % m.inits.length];
  const path: number[] = [init % m.inits.length];
  const hit = (f: Finding | null) => f !== null && (target === undefined || f.property === target);
  const first = j.state(s, path);
  if (hit(first)) return first;
  if (!j.inside(s)) return null; // not walked from, as the BFS does
  const deadlock = m.deadlock && (target === undefined || target === 'Deadlock');
  for (const c of choices) {
    const inst = m.instances[c % m.instances.length];
    const t = step(inst, s);
    if (t === null) continue;
    const at = [...path, inst.index];
    const tr = j.transition(s, inst, t, at);
    if (hit(tr)) return tr;
    const st = j.state(t, at);
    if (hit(st)) return st;
    path.push(inst.index);
    s = t;
    if (!j.inside(s)) return null;
  }
  if (deadlock && !anyEnabled(m, s)) return { kind: 'deadlock', property: 'Deadlock', reason: 'no action is enabled', path };
  return null;
}
