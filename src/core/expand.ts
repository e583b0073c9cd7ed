/**
 * State expansion: the inner loop of the search, shared by `check` (explorer.ts) and the
 * parallel workers (worker.ts).
 *
 * The inner loop is the hottest code of the project. Per transition it: applies the action,
 * fingerprints the successor (incrementally for a `change(s)`), probes the fingerprint table,
 * and only for a new state builds it, checks it and queues it. What differs between the two
 * callers (where a new state is recorded and queued, how violations, witnesses and errors are
 * reported) is a `Visited` and a `Sink`. A thread only ever runs one kind of each (the main
 * thread the explorer's, a worker thread the worker's), so every call below stays monomorphic.
 */
import { Change, isChange } from './change.js';
import { KripkeError, messageOf, UsageError } from './errors.js';
import { formatAction, type CompiledModel, type Instance } from './model.js';
import { installRecordEquals } from './immutable-internals.js';
import type { Rep } from './rep.js';
import { learnKind } from './state-kind.js';
import { failed, reasonOf, within } from './verdict.js';
import { findMutable } from './values.js';

export type PropertyKind = 'invariant' | 'action' | 'deadlock';

export { reasonOf } from './verdict.js';

/** How many materialised successors per family are deep-checked for mutable values. */
export const MUTABILITY_SAMPLES = 64;

/** The set of seen states (the explorer's StateStore, a worker's shared table). */
export interface Visited {
  /**
   * Records the successor with fingerprint (hi, lo), reached from `parent` by action `action`
   * (held by the representation until `done`). Returns its id if it is new, else -1.
   */
  insert(hi: number, lo: number, parent: number, action: number): number;
  /** Whether (hi, lo) was recorded (asked only of specs with constraints, before `insert`). */
  has(hi: number, lo: number): boolean;
}

/** Where an expansion sends what it finds. Ids are those `Visited.insert` gave (or the caller's). */
export interface Sink<S> {
  /** New state `id` (`t`, just fingerprinted by the representation) passed its checks: queue it. False to stop. */
  queue(t: S, id: number): boolean;
  /**
   * First violation of `property` (already added to the violated set). The state concerned is
   * `id` when `ai` is -1, else the successor of state `id` by action `ai` (an action property's
   * transition, or a successor outside the constraints: checked, never recorded). True if the
   * search stops.
   */
  violation(kind: PropertyKind, property: string, reason: string | undefined, id: number, ai: number): boolean;
  /** First witness of `sometimes` property `index`, at state `id`. */
  witness(index: number, id: number): void;
  /**
   * An error on state `id` (a new state if `isNew`; else the expanded one, or its successor by
   * action `ai` when `ai` >= 0); `inst` is the action to blame, if any. The search stops.
   */
  fail(message: string, id: number, isNew: boolean, inst: Instance<S> | undefined, ai: number): void;
}

/** An expander: `expand` one state, `checkNew` a state discovered elsewhere (Init). */
export interface Expander<S> {
  /** Expands state `s` (id `sid`), just loaded by the representation. False to stop. */
  expand(s: S, sid: number): boolean;
  /**
   * Checks the invariants of a new state (`id`, or the successor of `id` by `ai` when `ai` >= 0),
   * and, if it is `inside` the constraints, the `sometimes` properties; true if the search must
   * stop. Throws a KripkeError('eval') naming the property that threw or did not return a verdict.
   */
  checkNew(s: S, id: number, ai?: number, inside?: boolean): boolean;
  /** Whether `s` satisfies every constraint (throws like `checkNew`). */
  inside(s: S): boolean;

  /** Transitions generated so far. */
  readonly generated: number;
}

/**
 * Makes the expander of a run over representation `rep`. `fp` is the fingerprint out-pair,
 * `fired` counts firings per action instance, `violated` holds the properties already violated,
 * `found[i]` whether `sometimes` property i has a witness.
 */
export function expander<S, L>(
  m: CompiledModel<S>,
  rep: Rep<S, L>,
  visited: Visited,
  sink: Sink<S>,
  fp: Int32Array,
  fired: Float64Array,
  violated: Set<string>,
  found: boolean[],
): Expander<S> {
  installRecordEquals();
  const instances = m.instances;
  const nInst = instances.length;
  const invariants = m.invariants;
  const nInv = invariants.length;
  const constraints = m.constraints;
  const nCons = constraints.length;
  const actionProps = m.actionProperties;
  const sometimes = m.sometimes;
  const deadlock = m.deadlock;
  const kind = learnKind(m.inits[0]);
  const sampled = new Uint32Array(m.families.length);
  // Families whose transitions must be materialised even when the target was seen.
  const needsTarget = new Uint8Array(m.families.length);
  for (const p of actionProps) for (const f of p.families) needsTarget[f] = 1;
  let witnessesLeft = 0;
  for (const f of found) if (!f) witnessesLeft++;
  let generated = 0;
  /** The property being evaluated, for the message if it throws. */
  let evaluating = '';

  const checkNew = (s: S, id: number, ai = -1, inside = true): boolean => {
    try {
      for (let i = 0; i < nInv; i++) {
        const inv = invariants[i];
        if (violated.has(inv.name)) continue;
        evaluating = inv.name;
        const v = inv.check(s);
        if (v !== true && failed('invariant', inv.name, v)) {
          violated.add(inv.name);
          if (sink.violation('invariant', inv.name, reasonOf(v), id, ai)) return true;
        }
      }
      if (witnessesLeft > 0 && inside) {
        for (let i = 0; i < sometimes.length; i++) {
          if (found[i]) continue;
          evaluating = sometimes[i].name;
          const v = sometimes[i].check(s);
          if (v === true || !failed('sometimes property', sometimes[i].name, v)) {
            found[i] = true;
            witnessesLeft--;
            sink.witness(i, id);
          }
        }
      }
    } catch (e) {
      throw e instanceof KripkeError ? e : new KripkeError('eval', `property ${evaluating} threw: ${messageOf(e)}`);
    }
    return false;
  };

  const inside = (s: S): boolean => {
    try {
      for (let c = 0; c < nCons; c++) {
        evaluating = constraints[c].name;
        if (!within(constraints[c].name, constraints[c].check(s))) return false;
      }
    } catch (e) {
      throw e instanceof KripkeError ? e : new KripkeError('eval', `constraint ${evaluating} threw: ${messageOf(e)}`);
    }
    return true;
  };

  /** Checks a new state, turning a throw into an error; returns true if the search must stop. */
  const checkOrFail = (s: S, id: number): boolean => {
    try {
      return checkNew(s, id);
    } catch (e) {
      sink.fail(messageOf(e), id, true, undefined, -1);
      return true;
    }
  };

  /** The state `r` describes, built without the representation (to name a refused value). */
  const build = (r: unknown): S => (isChange(r) ? (r as Change<S>).materialize() : (r as S));

  /** The message for a successor kripke refuses (a mutable value), or null if it is not that. */
  const refused = (r: unknown): string | null => {
    const bad = findMutable(build(r), 'state');
    return bad ? `produced a state kripke refuses: ${bad}` : null;
  };

  const expand = (s: S, sid: number): boolean => {
    /** The action to blame if something throws (none while a property is evaluated). */
    let cur: Instance<S> | undefined;
    /** The action whose successor is being judged (constraints, action properties), else -1. */
    let judging = -1;
    try {
      let enabled = false;
      for (let ai = 0; ai < nInst; ai++) {
        const inst = instances[ai];
        cur = inst;
        judging = -1;
        const r = inst.apply(s, inst.params);
        if (r === null || r === undefined || r === false) continue;
        enabled = true;
        generated++;
        fired[ai]++;
        const fam = inst.family.index;
        const bad = r instanceof Change ? (r.base !== s ? kind.mismatch(r.base) : null) : kind.mismatch(r);
        if (bad !== null) {
          sink.fail(
            r instanceof Change
              ? `action ${formatAction(inst)} returned a change of ${bad}, not of a state (${kind.name}): write change(s), not change(s.field)`
              : `action ${formatAction(inst)} returned ${bad}, not a state (${kind.name}); return the next state, or false/null when not enabled`,
            sid, false, inst, -1);
          return false;
        }
        let t: S | undefined;
        try {
          t = rep.successor(r as Change<S> | S, fp);
        } catch (e) {
          if (e instanceof KripkeError || e instanceof UsageError) throw e;
          const why = refused(r); // a value that cannot be fingerprinted: which mutable value it is
          if (why === null) throw e;
          sink.fail(`action ${formatAction(inst)} ${why}`, sid, false, inst, -1);
          return false;
        }
        // A successor outside the constraints (as TLC's CONSTRAINT): checked, then dropped.
        if (nCons > 0 && !visited.has(fp[0], fp[1])) {
          t ??= rep.built(r as S);
          cur = undefined;
          judging = ai;
          if (!inside(t)) {
            if (needsTarget[fam] === 1 && checkTransition(s, inst, t, sid, ai)) return false;
            if (checkNew(t, sid, ai, false)) return false;
            rep.done();
            continue;
          }
          cur = inst;
          judging = -1;
        }
        const tid = visited.insert(fp[0], fp[1], sid, ai);
        if (tid < 0 && needsTarget[fam] === 0) {
          rep.done();
          continue;
        }
        if (tid >= 0 && sampled[fam] < MUTABILITY_SAMPLES) {
          sampled[fam]++;
          const why = refused(r);
          if (why !== null) {
            sink.fail(`action ${formatAction(inst)} ${why}`, sid, false, inst, -1);
            return false;
          }
        }
        t ??= rep.built(r as S);
        cur = undefined;
        if (needsTarget[fam] === 1) {
          judging = ai;
          if (checkTransition(s, inst, t, sid, ai)) return false;
          judging = -1;
          if (tid < 0) {
            rep.done();
            continue;
          }
        }
        // A new state: check it now (so the first violation found is at minimal depth), queue it.
        if (checkOrFail(t, tid)) return false;
        if (!sink.queue(t, tid)) return false;
        rep.done();
      }
      cur = undefined;
      judging = -1;
      if (!enabled && deadlock && !violated.has('Deadlock')) {
        violated.add('Deadlock');
        if (sink.violation('deadlock', 'Deadlock', 'no action is enabled', sid, -1)) return false;
      }
    } catch (e) {
      const message =
        e instanceof KripkeError ? e.message
        : cur ? `action ${formatAction(cur)}${e instanceof UsageError ? ':' : ' threw:'} ${messageOf(e)}`
        : `property ${evaluating} threw: ${messageOf(e)}`;
      sink.fail(message, sid, false, cur, judging);
      return false;
    }
    return true;
  };

  /** Checks the action properties on transition (s, inst, t); true if the search must stop. */
  const checkTransition = (s: S, inst: Instance<S>, t: S, sid: number, ai: number): boolean => {
    const fam = inst.family.index;
    for (const p of actionProps) {
      if (!p.families.has(fam) || violated.has(p.name)) continue;
      let v;
      try {
        v = p.check(s, inst, t);
      } catch (e) {
        throw new KripkeError('eval', `action property ${p.name} threw on ${formatAction(inst)}: ${messageOf(e)}`);
      }
      if (v !== true && failed('action property', p.name, v)) {
        // The transition's target may be an old state: the violation is reported at `sid`.
        violated.add(p.name);
        if (sink.violation('action', p.name, reasonOf(v), sid, ai)) return true;
      }
    }
    return false;
  };

  return {
    expand,
    checkNew,
    inside,
    get generated() {
      return generated;
    },
  };
}
