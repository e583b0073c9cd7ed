/**
 * Before a counterexample or witness is reported, it is replayed from Init and compared with
 * what the search saw: every state on the way must be one the search recorded (same
 * fingerprint), and the property must fail (or, for a witness, hold) again at the end. A spec
 * whose action is not deterministic, or mutates its input, or whose property is not a function
 * of the state, is reported as such (an evaluation error), never with a trace that shows nothing.
 */
import { judgeClaim, successorOf, type Claim } from './claim.js';
import { messageOf } from './errors.js';
import { formatAction, type CompiledModel } from './model.js';
import type { Rep } from './rep.js';
import { within } from './verdict.js';

/** What a path claims at its end. */
export type PathClaim = Claim;

/** Why a path does not replay as the search saw it: the message, and the step at fault. */
export interface Unconfirmed {
  readonly message: string;
  /** Index in the path of the action at fault (the path before it replays as recorded). */
  readonly step: number;
}

/** Replays `path` and checks `claim`; null when confirmed. */
export type Confirm = (path: readonly number[], claim: PathClaim) => Unconfirmed | null;

/** The confirmation of a search, given the lookup of its recorded fingerprints. */
export function confirmer<S, L>(m: CompiledModel<S>, rep: Rep<S, L>, recorded: (hi: number, lo: number) => boolean): Confirm {
  const fp = new Int32Array(2);
  const inside = (s: S) => m.constraints.every((c) => within(c.name, c.check(s)));
  const notDeterministic = (i: number, name: string, what: string): Unconfirmed => ({
    message: `action ${name} is not deterministic (or mutates its input): ${what} when the trace is replayed from Init (step ${i})`,
    step: i,
  });
  /**
   * A state as the search saw it: states that fit the codec were expanded as decoded from their
   * bytes (fixed-key Maps in the initial state's key order), so the replay sees them the same way.
   */
  const asSearched = (t: S): S => rep.asSearched(t);
  return (path, claim) => {
    const last = path.length - 1;
    let s = asSearched(m.inits[path[0]]);
    let prev = s;
    try {
      for (let i = 1; i <= last; i++) {
        const inst = m.instances[path[i]];
        const t = successorOf(inst, s);
        if (t === null) return notDeterministic(i, formatAction(inst), 'it was enabled during the search, not');
        // Every state the search recorded is met again; the last one of an action property's
        // transition, or one outside the constraints, was not recorded.
        if ((i < last || claim.kind !== 'action') && inside(t)) {
          rep.fingerprintOf(t, fp);
          rep.done();
          if (!recorded(fp[0], fp[1])) return notDeterministic(i, formatAction(inst), 'it produced a state the search never reached');
        }
        prev = s;
        s = asSearched(t);
      }
    } catch (e) {
      return { message: `replaying the trace from Init: ${messageOf(e)}`, step: 0 };
    }
    let shown: boolean;
    try {
      shown = judgeClaim(m, claim, s, last > 0 ? { state: prev, inst: m.instances[path[last]] } : undefined).shown;
    } catch (e) {
      return { message: `${claim.property} threw when the trace was replayed from Init: ${messageOf(e)}`, step: last };
    }
    if (!shown) {
      const what = claim.kind === 'sometimes' ? 'held during the search but not' : claim.kind === 'deadlock' ? 'had no enabled action during the search but has one' : 'failed during the search but holds';
      const who = claim.kind === 'deadlock' ? "the spec's actions are" : `property ${claim.property} is`;
      return { message: `${who} not deterministic: the last state ${what} when the trace is replayed from Init`, step: last };
    }
    return null;
  };
}
