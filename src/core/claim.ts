/**
 * Whether the end of a trace shows what it claims: the invariant fails in the last state, the
 * action property fails on the last transition, the `sometimes` property holds in the last state
 * (a witness), or no action is enabled there (a deadlock). One judge for the explorer, which
 * confirms each counterexample before reporting it (confirm.ts), and for `kripke replay`.
 */
import { isChange } from './change.js';
import { KripkeError, messageOf } from './errors.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { failed, reasonOf, type PropertyRole } from './verdict.js';

/** What a trace claims at its end. */
export interface Claim {
  readonly kind: 'invariant' | 'action' | 'deadlock' | 'sometimes';
  readonly property: string;
}

/** The judgement: shown (with the property's reason), or not, and why not. */
export type Judgement = { readonly shown: true; readonly reason?: string } | { readonly shown: false; readonly why: string };

/** The successor of `s` by `inst`, built, or null if the action is not enabled. */
export function successorOf<S>(inst: Instance<S>, s: S): S | null {
  const r = inst.apply(s, inst.params);
  if (r === null || r === undefined || r === false) return null;
  return (isChange(r) ? r.materialize() : r) as S;
}

const ROLE: Record<Claim['kind'], PropertyRole> = { invariant: 'invariant', action: 'action property', sometimes: 'sometimes property', deadlock: 'invariant' };

/**
 * Judges `claim` on the last state `last` of a trace (and, for an action property, the
 * transition `prev` -> `last` by `inst`). `m` must be the whole model, not a `--invariant`
 * selection. Throws KripkeError('eval') if a property throws or returns a non-verdict.
 */
export function judgeClaim<S>(m: CompiledModel<S>, claim: Claim, last: S, prev?: { readonly state: S; readonly inst: Instance<S> }): Judgement {
  const no = (why: string): Judgement => ({ shown: false, why });
  const verdict = (name: string, f: () => unknown): { fails: boolean; reason?: string } => {
    let v: unknown;
    try {
      v = f();
    } catch (e) {
      throw new KripkeError('eval', `property ${name} threw: ${messageOf(e)}`);
    }
    const fails = failed(ROLE[claim.kind], name, v);
    return { fails, reason: fails ? (reasonOf(v as never) ?? undefined) : undefined };
  };
  const named = (ps: readonly { name: string }[]) => ps.some((p) => p.name === claim.property);
  const lacks = (kind: string): Judgement => {
    const is = named(m.invariants) ? 'an invariant' : named(m.actionProperties) ? 'an action property' : named(m.sometimes) ? 'a sometimes property' : undefined;
    return no(`the spec has no ${kind} ${claim.property}${is ? ` (it is ${is})` : ''}`);
  };
  switch (claim.kind) {
    case 'invariant': {
      const p = m.invariants.find((x) => x.name === claim.property);
      if (!p) return lacks('invariant');
      const r = verdict(p.name, () => p.check(last));
      return r.fails ? { shown: true, reason: r.reason } : no('it holds in the last state');
    }
    case 'sometimes': {
      const p = m.sometimes.find((x) => x.name === claim.property);
      if (!p) return lacks('sometimes property');
      return verdict(p.name, () => p.check(last)).fails ? no('the last state is not a witness') : { shown: true };
    }
    case 'action': {
      const p = m.actionProperties.find((x) => x.name === claim.property);
      if (!p) return lacks('action property');
      if (!prev) return no('the trace has no transition');
      if (!p.families.has(prev.inst.family.index)) return no(`it does not apply to ${prev.inst.name}, the last action`);
      const r = verdict(p.name, () => p.check(prev.state, prev.inst, last));
      return r.fails ? { shown: true, reason: r.reason } : no('it holds on the last transition');
    }
    case 'deadlock': {
      if (!m.deadlock) return no('the spec does not check for deadlock (deadlock: false)');
      if (claim.property !== 'Deadlock') return no(`a deadlock is claimed as the property Deadlock, not ${claim.property}`);
      const enabled = m.instances.find((inst) => {
        try {
          return successorOf(inst, last) !== null;
        } catch (e) {
          throw new KripkeError('eval', `action ${formatAction(inst)} threw: ${messageOf(e)}`);
        }
      });
      return enabled ? no(`${formatAction(enabled)} is enabled in the last state`) : { shown: true, reason: 'no action is enabled' };
    }
    default:
      return no(`'${claim.kind as string}' is not a kind of property (invariant, action, deadlock or sometimes)`);
  }
}
