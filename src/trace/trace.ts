/**
 * A trace as data: the states and actions along an action-index path, rebuilt by replaying the
 * path from an initial state (the explorer keeps no states, only parent links).
 */
import { KripkeError, messageOf } from '../core/errors.js';
import { formatAction, type CompiledModel, type Instance } from '../core/model.js';
import type { ActionRef, Verdict } from '../core/spec.js';
import { judgeClaim, successorOf } from '../core/claim.js';
import { guarded, type HookNotes } from './hooks.js';
import { failed, reasonOf, type PropertyRole } from '../core/verdict.js';

/** One step of a trace: the action that produced the state (none for the initial state). */
export interface Step<S = unknown> {
  readonly state: S;
  readonly action?: ActionRef & { readonly index: number; readonly actor?: string; readonly doc?: string };
}

/** What a trace demonstrates. */
export interface TraceClaim {
  readonly property: string;
  readonly kind: 'invariant' | 'action' | 'deadlock' | 'sometimes';
  readonly reason?: string;
}

export interface Trace<S = unknown> {
  /** [init index, action index, ...] */
  readonly path: readonly number[];
  readonly steps: readonly Step<S>[];
  readonly claim?: TraceClaim;
  /** Display hooks (actor, doc, view) that threw while the trace was rebuilt or shown. */
  readonly notes?: HookNotes;
}

/** Formats a path as `0/3/1/7` (init index, then action indices). */
export function formatPath(path: readonly number[]): string {
  return path.join('/');
}

/** Parses `0/3/1/7`; throws KripkeError('trace') for anything else. */
export function parsePath(text: string): number[] {
  if (!/^\d+(\/\d+)*$/.test(text.trim())) {
    throw new KripkeError('trace', `'${text}' is not an index path (expected e.g. 0/3/1/7) or an existing .itf.json file`);
  }
  return text.trim().split('/').map(Number);
}

function describeStep<S>(inst: Instance<S>, notes: HookNotes): Step<S>['action'] {
  const def = inst.family.def;
  const actor = def.actor;
  return {
    name: inst.name,
    params: inst.params,
    index: inst.index,
    actor: actor ? guarded(notes, `actor of ${inst.name}`, () => String(actor(inst.params as never)), undefined) : undefined,
    doc: guarded(notes, `doc of ${inst.name}`, () => (def.doc === undefined ? undefined : String(def.doc)), undefined),
  };
}


/**
 * Replays a path from Init. Every step must be an enabled action; throws KripkeError('trace')
 * naming the step otherwise.
 */
export function replayPath<S>(m: CompiledModel<S>, path: readonly number[]): Trace<S> {
  if (path.length === 0) throw new KripkeError('trace', 'empty path');
  const init = m.inits[path[0]];
  if (init === undefined) throw new KripkeError('trace', `step 0: the spec has ${m.inits.length} initial state(s), not index ${path[0]}`);
  const steps: Step<S>[] = [{ state: init }];
  const notes: HookNotes = [];
  let s: S = init;
  for (let i = 1; i < path.length; i++) {
    const inst = m.instances[path[i]];
    if (!inst) throw new KripkeError('trace', `step ${i}: there is no action instance ${path[i]} (the spec has ${m.instances.length})`);
    let t: S | null | undefined;
    try {
      t = successorOf(inst, s);
    } catch (e) {
      throw new KripkeError('eval', `step ${i}: action ${formatAction(inst)} threw: ${messageOf(e)}`);
    }
    if (t === null) throw new KripkeError('trace', `step ${i}: action ${formatAction(inst)} is not enabled`);
    steps.push({ state: t as S, action: describeStep(inst, notes) });
    s = t as S;
  }
  return { path, steps, notes };
}

/**
 * Normalises what a property returned to {ok, reason}: `true` holds, `false` and
 * `violated(reason)` fail. Anything else is the spec's bug, not a verdict: KripkeError('eval')
 * naming the property and the type of the value (it must never count as "holds").
 */
export function evaluate(v: Verdict, property: string, role: PropertyRole = 'invariant'): { ok: boolean; reason?: string } {
  if (!failed(role, property, v)) return { ok: true };
  const reason = reasonOf(v);
  return { ok: false, reason: typeof reason === 'string' ? reason : undefined };
}

/**
 * Checks that the last state (or, for an action property, the last transition) of a trace
 * violates the claimed property, which `m` (the whole compiled model, not a `--invariant`
 * selection) must have under the claimed kind. Returns the reason, or throws KripkeError('trace')
 * (KripkeError('eval') if the property throws or returns a non-verdict).
 */
export function confirmClaim<S>(m: CompiledModel<S>, trace: Trace<S>, claim: TraceClaim): string | undefined {
  const last = trace.steps[trace.steps.length - 1];
  const before = trace.steps[trace.steps.length - 2];
  const prev = before && last.action ? { state: before.state, inst: m.instances[last.action.index] } : undefined;
  const j = judgeClaim(m, claim, last.state, prev);
  if (!j.shown) throw new KripkeError('trace', `the trace does not show a violation of ${claim.property}: ${j.why}`);
  return j.reason;
}
